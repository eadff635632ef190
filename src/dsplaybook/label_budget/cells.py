"""Which (selection, features, method) cells a dataset's sweep runs: ``label_budget.skip``
and ``label_budget.selection_cells`` applied.

Kept free of heavy imports: the workflow calls it while parsing.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

BASELINE = "random"  # the selection that runs every cell


def matches(dataset: str, f: str, m: str, patterns: list[str]) -> bool:
    """Does any ``features:method`` / ``dataset/features:method`` pattern (``*`` for any
    side) name this cell?"""
    for entry in patterns:
        where, _, cell = entry.rpartition("/")
        if where and where != dataset:
            continue
        f_pattern, m_pattern = cell.split(":")
        if fnmatchcase(f, f_pattern) and fnmatchcase(m, m_pattern):
            return True
    return False


def sweep_cells(
    dataset: str, features: list[str], methods: list[str], skip: list[str]
) -> list[tuple[str, str]]:
    """The (features, method) cells of ``dataset``. A skip entry is ``features:method``
    or ``dataset/features:method`` (that dataset only); either side may be ``*``."""
    return [(f, m) for f in features for m in methods if not matches(dataset, f, m, skip)]


def selection_cells(
    dataset: str,
    selections: list[str],
    features: list[str],
    methods: list[str],
    skip: list[str],
    chosen_cells: list[str],
) -> list[tuple[str, str, str]]:
    """(selection, features, method): every cell with random labels, the
    ``chosen_cells`` ones with the other selections."""
    cells = sweep_cells(dataset, features, methods, skip)
    out = []
    for selection in selections:
        for f, m in cells:
            if selection == BASELINE or matches(dataset, f, m, chosen_cells):
                out.append((selection, f, m))
    return out
