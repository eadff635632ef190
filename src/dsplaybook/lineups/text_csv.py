"""A site's CSV read as text, every cell a string (the readers parse their own columns),
column names stripped; an unreadable file is one line naming it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dsplaybook.errors import InputError


def read_text_csv(path: str | Path, **options) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, **options)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise InputError(f"{path}: not a readable CSV ({str(err).splitlines()[0]})") from err
    raw.columns = [str(c).strip() for c in raw.columns]
    return raw
