"""Aftershock grids in the released format of DeVries et al. (2018), real or synthetic.

Each slip model has a ``*_grid.csv`` with one row per 5 km cell (columns as in the
study's FieldsToWrite.csv); a split list (Name, Original, ID) gives every file's
TRAIN/TEST side and its earthquake (ID). The label is ``aftershocksyn`` (1 if the cell
had an aftershock); files that only carry ``grid_aftershock_count`` get it derived.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.data.download import ContentError, RetryPolicy, fetch_verified
from dsplaybook.errors import InputError

COMPONENTS = ("xx", "yy", "zz", "xy", "xz", "yz")
STRESS_COLUMNS = tuple(f"stresses_full_{c}" for c in COMPONENTS)
LABEL = "aftershocksyn"
SPLIT_COLUMNS = ("Name", "Original", "ID")
# A grid file name becomes a path under resources/: plain names only, never ../ or /.
GRID_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"


def _read_text_csv(path: Path) -> pd.DataFrame:
    """Every cell as the file writes it, so an error can quote it exactly."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise InputError(f"{path}: not a readable CSV ({str(err).splitlines()[0]})") from err


def _reject_first(path: Path, bad: pd.Series, column: str, text: pd.Series, why: str) -> None:
    """One line naming the first bad cell (rows numbered as in a spreadsheet)."""
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"{path}: row {row + 2} column {column!r}: {text.iloc[row]!r} {why}")


def read_split_list(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    names = _read_text_csv(path)
    missing = [c for c in SPLIT_COLUMNS if c not in names.columns]
    if missing:
        raise InputError(f"{path}: column {missing[0]!r} is missing; need Name, Original, ID")
    name = names["Name"]
    unsafe = ~name.str.fullmatch(GRID_NAME) | name.str.contains("..", regex=False)
    why = "is not a plain file name (letters, digits, '.', '_', '-'; no folders); fix the list"
    _reject_first(path, unsafe, "Name", name, why)
    side = names["Original"]
    _reject_first(
        path,
        ~side.str.upper().isin(["TRAIN", "TEST"]),
        "Original",
        side,
        "is neither TRAIN nor TEST",
    )
    return names.assign(Original=names["Original"].str.upper())


def read_grid(path: str | Path) -> pd.DataFrame:
    """One slip model's grid: the six stress components (Pa), coordinates and the label."""
    path = Path(path)
    text = _read_text_csv(path)
    if text.empty:
        raise InputError(f"{path}: has a header but no rows; download the grid file again")
    if LABEL not in text.columns and "grid_aftershock_count" not in text.columns:
        raise InputError(
            f"{path}: neither {LABEL!r} nor 'grid_aftershock_count' is a column; "
            "is this a *_grid.csv of the study?"
        )
    needed = [*STRESS_COLUMNS, "x", "y", "z"]
    missing = [c for c in needed if c not in text.columns]
    if missing:
        raise InputError(f"{path}: column {missing[0]!r} is missing (see FieldsToWrite.csv)")
    source = LABEL if LABEL in text.columns else "grid_aftershock_count"
    grid = pd.read_csv(path)
    for column in [*needed, source]:
        values = pd.to_numeric(text[column], errors="coerce")
        bad = values.isna() | ~np.isfinite(values)
        _reject_first(path, bad, column, text[column], "is not a finite number")
        grid[column] = values
    if source != LABEL:
        grid[LABEL] = (grid["grid_aftershock_count"] > 0).astype(int)
    return grid[[*needed, LABEL, *[c for c in grid.columns if c not in (*needed, LABEL)]]]


def load_grids(split_list: str | Path, grid_dir: str | Path) -> pd.DataFrame:
    """All grids of the split list in one table with ``file``, ``earthquake`` and ``split``."""
    names = read_split_list(split_list)
    frames = []
    for name, side, event in names[list(SPLIT_COLUMNS)].itertuples(index=False):
        path = Path(grid_dir) / name
        if not path.exists():
            raise InputError(
                f"{path}: listed in {split_list} but missing; download it or fix aftershock.mirror"
            )
        grid = read_grid(path)
        frames.append(grid.assign(file=name, earthquake=str(event), split=side.lower()))
    table = pd.concat(frames, ignore_index=True)
    keep = ["file", "earthquake", "split", "x", "y", "z", *STRESS_COLUMNS, LABEL]
    extras = [c for c in ("stresses_full_cfs", "stresses_full_max_shear") if c in table.columns]
    return table[keep + extras]


def network_inputs(table: pd.DataFrame) -> np.ndarray:
    """The published network's 12 inputs: |σ_ij| and −|σ_ij| for each component, / 1e6."""
    absolute = np.abs(table[list(STRESS_COLUMNS)].to_numpy(float)) / 1e6
    return np.hstack([absolute, -absolute]).astype(np.float32)


def stress_metrics(table: pd.DataFrame, friction: float = 0.4) -> pd.DataFrame:
    """Scalar stress metrics used as scores: summed |σ|, max shear, von Mises, Coulomb."""
    s = {c: table[f"stresses_full_{c}"].to_numpy(float) for c in COMPONENTS}
    tensor = np.stack(
        [
            np.stack([s["xx"], s["xy"], s["xz"]], -1),
            np.stack([s["xy"], s["yy"], s["yz"]], -1),
            np.stack([s["xz"], s["yz"], s["zz"]], -1),
        ],
        -2,
    )
    eig = np.linalg.eigvalsh(tensor)
    max_shear = (eig[:, 2] - eig[:, 0]) / 2
    mean = (s["xx"] + s["yy"] + s["zz"]) / 3
    dev_sq = sum((s[c] - mean) ** 2 for c in ("xx", "yy", "zz")) + 2 * sum(
        s[c] ** 2 for c in ("xy", "xz", "yz")
    )
    von_mises = np.sqrt(1.5 * dev_sq)
    if "stresses_full_cfs" in table.columns:
        coulomb = table["stresses_full_cfs"].to_numpy(float)
    else:  # receiver plane x-z (normal y), slip along x: Δτ + μ'Δσn
        coulomb = s["xy"] + friction * s["yy"]
    summed = sum(np.abs(s[c]) for c in COMPONENTS)
    return pd.DataFrame(
        {
            "summed_abs_stress": summed,
            "max_shear": max_shear,
            "von_mises": von_mises,
            "coulomb": coulomb,
        },
        index=table.index,
    )


SYNTHETIC_NOTE = (
    "SYNTHETIC grids made by dsplaybook (point double-couple stresses, aftershocks drawn "
    "from von Mises stress); they mimic the study's structure, not its numbers"
)


def load_audit_table(source: str, inputs) -> tuple[pd.DataFrame, str]:
    """The audit table and a note on where it came from. ``inputs`` holds ``grids`` (a
    synthetic folder) or ``split_list`` and ``grid_files`` (the study's files)."""
    if source == "synthetic":
        folder = Path(inputs.grids)
        return load_grids(folder / "names_train_ids.csv", folder), SYNTHETIC_NOTE
    folder = Path(inputs.grid_files[0]).parent
    return load_grids(inputs.split_list, folder), "the study's released grid files"


def check_grid_header(path: Path) -> None:
    """Content check for a downloaded grid: a CSV with the study's stress columns."""
    try:
        header = pd.read_csv(path, nrows=2)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise ContentError(f"not a CSV ({err})") from err
    missing = [c for c in STRESS_COLUMNS if c not in header.columns]
    if missing:
        raise ContentError(f"column {missing[0]!r} missing: not a grid file of the study")


def download_grid(name: str, dest: str | Path, cfg: Mapping[str, str], retry: RetryPolicy) -> None:
    """One released ``*_grid.csv`` from ``cfg['mirror']`` or ``cfg['url']``."""
    fetch_verified(
        dest,
        url=cfg["url"].rstrip("/") + "/" + name if cfg["url"] else None,
        mirror_files=[Path(cfg["mirror"]) / name] if cfg["mirror"] else (),
        check=check_grid_header,
        fix_hint=f"set aftershock.mirror to a folder holding {name} or aftershock.url",
        retry=retry,
    )
