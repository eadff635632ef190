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
    """``frame`` with every text cell (object or string columns) made safe; the column
    names too. The same frame when nothing needed it."""
    text = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    risky = [c for c in text if frame[c].map(lambda v: safe_cell(v) is not v).any()]
    renamed = {c: safe_cell(c) for c in frame.columns if isinstance(c, str) and safe_cell(c) != c}
    if not risky and not renamed:
        return frame
    safe = frame.copy()
    for column in risky:
        safe[column] = safe[column].map(safe_cell)
    return safe.rename(columns=renamed)
