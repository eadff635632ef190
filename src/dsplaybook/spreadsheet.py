"""Cells safe to open in a spreadsheet: a text cell that starts with ``= + - @`` (or a
tab or carriage return) is a formula to Excel, LibreOffice and Google Sheets, and a name
a person typed (``?who=``), a class folder or a file name can start that way. OWASP's
rule for CSV injection: prefix such a cell with ``'``, which the spreadsheet shows as
text and does not display. Numbers stay numbers (only text columns are touched)."""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (object or string columns) made safe, and the
    column names too; the same frame when nothing needed it. Columns are taken by
    position: an upload file repeats names (two WR columns)."""
    risky = []
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        text = column.dtype == object or pd.api.types.is_string_dtype(column)
        if text and column.map(lambda v: safe_cell(v) is not v).any():
            risky.append(position)
    names = [safe_cell(c) for c in frame.columns]
    if not risky and names == list(frame.columns):
        return frame
    safe = frame.copy()
    for position in risky:
        safe.isetitem(position, safe.iloc[:, position].map(safe_cell))
    safe.columns = names
    return safe
