"""dsplaybook: five practical data-science techniques as plain, testable functions.

This package never imports Snakemake; the workflow's rule scripts are thin adapters
that read ``snakemake.input``/``params``/``output`` and call into it.
"""

__version__ = "0.1.0"
