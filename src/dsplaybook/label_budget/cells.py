"""Which (features, method) cells a dataset's sweep runs: ``label_budget.skip`` applied.

Kept free of heavy imports: the workflow calls it while parsing.
"""

from __future__ import annotations

from fnmatch import fnmatchcase


def sweep_cells(
    dataset: str, features: list[str], methods: list[str], skip: list[str]
) -> list[tuple[str, str]]:
    """The (features, method) cells of ``dataset``. A skip entry is ``features:method``
    or ``dataset/features:method`` (that dataset only); either side may be ``*``."""

    def skipped(f: str, m: str) -> bool:
        for entry in skip:
            where, _, cell = entry.rpartition("/")
            if where and where != dataset:
                continue
            f_pattern, m_pattern = cell.split(":")
            if fnmatchcase(f, f_pattern) and fnmatchcase(m, m_pattern):
                return True
        return False

    return [(f, m) for f in features for m in methods if not skipped(f, m)]
