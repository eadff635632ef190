"""A table (CSV) as a dataset: rows are examples, declared columns are features.

What a table dataset holds (``results/data/<name>.h5``, the same file and reader as the
image sets, ``data.datasets``): ``x_train``/``x_test`` float32 rows × encoded features
(numbers as read, NaN where a cell is empty; one 0/1 column per category of each
categorical column, categories from the training file), ``feature_names`` naming each
column (``Type=L``), labels as class indices (-1: an empty label cell, training rows
only), and the group of each row when a group column is given. Scaling and filling are
representations (``represent.features``), fitted on training rows, never stored here.

Every problem with the file is one line naming the file, the column and the fix.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import Field

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.data.download import (
    ContentError,
    RetryPolicy,
    expect_sha256,
    fetch_verified,
    sha256_of,
)
from dsplaybook.data.settings import TableDataset
from dsplaybook.errors import InputError

log = logging.getLogger("dsplaybook")

SHOWN = 5  # values named in an error message


class TableSettings(TableDataset):
    """One ``datasets`` entry with ``source: table``, and the seed of its split."""

    seed: int = Field(0, ge=0, description="Seed of the test split.")


def table_files(t: TableDataset) -> list[str]:
    return [t.file, *([t.test_file] if t.test_file else [])]


def resource_path(name: str, file: str, resources: str | Path = "resources") -> Path:
    """Where the workflow keeps a table's fetched file."""
    return Path(resources) / "tables" / name / file


def download_table_file(
    t: TableDataset,
    file: str,
    dest: str | Path,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008
) -> None:
    """One of the table's files from its mirror folder or URL, checked (its SHA-256 when
    configured, else that it reads as a table with the declared columns)."""

    def check(path: Path) -> None:
        if file in t.sha256:
            expect_sha256(t.sha256[file])(path)
            return
        try:
            read_raw(path, t, nrows=50)
        except InputError as err:  # say why without the temporary file's name
            raise ContentError(f"not the table: {str(err).split(': ', 1)[-1]}") from err

    fetch_verified(
        dest,
        url=t.url.rstrip("/") + "/" + file if t.url else None,
        mirror_files=[Path(t.mirror) / file] if t.mirror else (),
        check=check,
        fix_hint=f"set datasets[{t.name}].mirror to a folder holding {file!r}, or url to "
        "the folder it is published in",
        retry=retry,
    )
    log.info("%s: sha256 %s", file, sha256_of(Path(dest)))


def read_raw(path: str | Path, t: TableDataset, nrows: int | None = None) -> pd.DataFrame:
    """The file as text cells (nothing parsed yet), with the declared columns present."""
    path = Path(path)
    names = list(t.columns) if t.columns else None
    if path.suffix.lower() == ".parquet":
        frame = read_parquet(path, nrows)
    else:
        frame = read_csv(path, t, names, nrows)
    if frame.empty:
        raise InputError(f"{path}: no data rows; check the file")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda column: column.str.strip())  # once: every use reads stripped
    declared = [t.label, *t.numeric, *t.categorical, *t.drop, t.group, t.time]
    for column in filter(None, declared):
        if column not in frame.columns:
            raise InputError(
                f"{path}: column {column!r} (datasets[{t.name}]) is not in the file, whose "
                f"columns are {_some(frame.columns)}; fix the name in config"
            )
    return frame


def read_parquet(path: Path, nrows: int | None) -> pd.DataFrame:
    """A Parquet file as text cells (empty for missing), like a CSV's."""
    try:
        frame = pd.read_parquet(path)
    except ImportError as err:
        raise InputError(
            f"{path}: reading Parquet needs pyarrow; `pip install pyarrow` or save the table as CSV"
        ) from err
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: not a readable Parquet table ({err}); re-export it") from err
    frame = frame.head(nrows) if nrows else frame
    return frame.astype(object).where(frame.notna(), "").astype(str)


def read_csv(
    path: Path, t: TableDataset, names: list[str] | None, nrows: int | None
) -> pd.DataFrame:
    try:
        return pd.read_csv(
            path,
            header=0 if t.header else None,
            names=names,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",  # a byte-order mark is not part of the first column
            skipinitialspace=True,
            nrows=nrows,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as err:
        raise InputError(
            f"{path}: not a readable CSV table ({str(err).splitlines()[0]}); "
            "fix the file or re-export it as UTF-8 CSV"
        ) from err


def _some(values) -> str:
    values = list(values)
    shown = ", ".join(repr(str(v)) for v in values[:SHOWN])
    return shown + (f" … ({len(values)} in all)" if len(values) > SHOWN else "")


def numeric_columns(frame: pd.DataFrame, t: TableDataset, path: Path) -> list[str]:
    """The declared numeric columns, or every column not declared otherwise; with numeric
    declared, a column in no list is an error (a new column should not vanish unseen)."""
    taken = {t.label, *t.categorical, *t.drop, t.group, t.time}
    rest = [c for c in frame.columns if c not in taken]
    if not t.numeric:
        return rest
    undeclared = [c for c in rest if c not in t.numeric]
    if undeclared:
        raise InputError(
            f"{path}: column {undeclared[0]!r} is not declared (datasets[{t.name}]); add it "
            "to numeric, categorical or drop"
        )
    return list(t.numeric)


def parse_numbers(frame: pd.DataFrame, column: str, path: Path) -> np.ndarray:
    """A numeric column as float (empty cells NaN), or the first bad cell named."""
    text = frame[column]
    values = pd.to_numeric(text.where(text != "", None), errors="coerce")
    bad = values.isna() & (text != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{path}: column {column!r} row {row + 1}: {text.iloc[row]!r} is not a number; "
            "fix the cell or declare the column categorical (or drop)"
        )
    return values.to_numpy(dtype=np.float64)


def check_informative(path: Path, column: str, values: pd.Series) -> None:
    """A column that is empty everywhere, or one value everywhere, teaches nothing."""
    present = values[values != ""]
    if present.empty:
        raise InputError(f"{path}: column {column!r} is empty in every row; add it to drop")
    if present.nunique() == 1 and len(present) == len(values):
        raise InputError(
            f"{path}: column {column!r} holds one value ({present.iloc[0]!r}) in every row; "
            "add it to drop"
        )


@dataclass(frozen=True)
class Encoding:
    """How text cells become the feature matrix, learned from the training file."""

    numeric: tuple[str, ...]
    categories: tuple[tuple[str, tuple[str, ...]], ...]  # column -> its categories

    @property
    def feature_names(self) -> tuple[str, ...]:
        onehot = [f"{c}={v}" for c, values in self.categories for v in values]
        return (*self.numeric, *onehot)

    def encode(self, frame: pd.DataFrame, path: Path, unknown: str) -> np.ndarray:
        parts = [parse_numbers(frame, c, path)[:, None] for c in self.numeric]
        for column, values in self.categories:
            cells = category_cells(frame, column)
            new = sorted(set(cells) - set(values))
            if new and unknown == "fail":
                raise InputError(
                    f"{path}: column {column!r} has categories the training file never "
                    f"shows: {_some(new)}; set unknown_categories: ignore to encode them as "
                    "none, or add such rows to the training file"
                )
            parts.append((cells.to_numpy()[:, None] == np.array(values)[None, :]).astype(float))
        return np.hstack(parts).astype(np.float32) if parts else np.zeros((len(frame), 0))


def category_cells(frame: pd.DataFrame, column: str) -> pd.Series:
    """A categorical column's cells, an empty one as its own category."""
    return frame[column].replace("", "(missing)")


def learn_encoding(frame: pd.DataFrame, t: TableDataset, path: Path) -> Encoding:
    numeric = numeric_columns(frame, t, path)
    for column in [*numeric, *t.categorical]:
        check_informative(path, column, frame[column])
    if not numeric and not t.categorical:
        raise InputError(f"{path}: no feature columns left; declare numeric or categorical")
    categories = tuple((c, tuple(sorted(set(category_cells(frame, c))))) for c in t.categorical)
    return Encoding(tuple(numeric), categories)


def label_classes(
    train: pd.Series, test: pd.Series | None, t: TableDataset, path: Path
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray | None]:
    """Class names and the labels as indices (-1: empty cell)."""

    def mapped(values: pd.Series) -> pd.Series:
        return values.map(lambda v: t.label_map.get(v, v) if v else "")

    y_train = mapped(train)
    y_test = mapped(test) if test is not None else None
    seen = sorted(set(y_train) - {""})
    classes = tuple(t.classes) or tuple(seen)
    if len(classes) < 2:
        raise InputError(
            f"{path}: column {t.label!r} has fewer than two classes ({_some(seen)}); "
            "label rows of another class or check the label column"
        )
    index = {c: i for i, c in enumerate(classes)}

    def as_index(values: pd.Series, where: str, empty_ok: bool) -> np.ndarray:
        unknown = sorted(set(values) - set(classes) - ({""} if empty_ok else set()))
        if unknown:
            raise InputError(
                f"{where}: column {t.label!r} has labels outside classes: {_some(unknown)}; "
                "add them to classes or map them with label_map"
            )
        return values.map(lambda v: index.get(v, -1)).to_numpy(dtype=np.int64)

    y_tr = as_index(y_train, str(path), empty_ok=True)
    y_te = as_index(y_test, f"{path} (test)", empty_ok=False) if y_test is not None else None
    return classes, y_tr, y_te


def time_order(text: pd.Series, column: str, path: Path) -> np.ndarray:
    """A time column's values as sortable keys: numbers, else dates (text would put '10'
    before '9')."""
    numbers = pd.to_numeric(text, errors="coerce")
    if not numbers.isna().any():
        return numbers.to_numpy(dtype=float)
    dates = pd.to_datetime(text, errors="coerce", format="mixed")
    if not dates.isna().any():
        return dates.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    bad = text[numbers.isna() & dates.isna()].iloc[0]
    raise InputError(
        f"{path}: column {column!r} (time): {bad!r} is neither a number nor a date; "
        "fix the cell or leave time empty"
    )


def split_rows(
    frame: pd.DataFrame, labelled: np.ndarray, t: TableSettings, path: Path
) -> np.ndarray:
    """Mask of the table's rows held out as the test set: labelled rows only; whole groups
    when a group column is given, the latest rows when a time column is."""
    rng = np.random.default_rng(t.seed)
    test = np.zeros(len(frame), dtype=bool)
    rows = np.flatnonzero(labelled)
    if t.time:
        when = time_order(frame[t.time], t.time, path)
        order = rows[np.argsort(when[rows], kind="stable")]
        test[order[len(order) - round(len(order) * t.test_fraction) :]] = True
    elif t.group:
        groups = frame[t.group].to_numpy()[rows]
        unique = rng.permutation(np.unique(groups))
        held_groups = unique[: max(1, round(len(unique) * t.test_fraction))]
        test[rows[np.isin(groups, held_groups)]] = True
    else:
        test[rng.choice(rows, size=round(len(rows) * t.test_fraction), replace=False)] = True
    return test


def build_table_dataset(t: TableSettings, train_path: str | Path, test_path=None) -> MnistStyle:
    """The table dataset from its file(s) (see the module's docstring)."""
    train_path = Path(train_path)
    frame = read_raw(train_path, t)
    test_frame = read_raw(Path(test_path), t) if t.test_file else None
    test_labels = test_frame[t.label] if test_frame is not None else None
    classes, y, y_test = label_classes(frame[t.label], test_labels, t, train_path)
    encoding = learn_encoding(frame, t, train_path)  # the whole training file's categories
    x = encoding.encode(frame, train_path, "fail")
    groups = frame[t.group].to_numpy(str) if t.group else None
    if test_frame is not None:
        assert y_test is not None
        x_test = encoding.encode(test_frame, Path(test_path), t.unknown_categories)
        groups_test = test_frame[t.group].to_numpy(str) if t.group else None
    else:  # one file: hold out a share of its labelled rows
        held = split_rows(frame, y >= 0, t, train_path)
        x, x_test, y, y_test = x[~held], x[held], y[~held], y[held]
        groups, groups_test = (groups[~held], groups[held]) if groups is not None else (None, None)
    log.info(
        "%s: %d training rows (%d labelled), %d test rows, %d features from %d columns, classes %s",
        t.name,
        len(x),
        int((y >= 0).sum()),
        len(x_test),
        x.shape[1],
        len(encoding.numeric) + len(encoding.categories),
        dict(zip(classes, np.bincount(y[y >= 0], minlength=len(classes)).tolist(), strict=True)),
    )
    return MnistStyle(
        x_train=x,
        y_train=y,
        x_test=x_test,
        y_test=y_test,
        class_names=classes,
        source=f"table {train_path.name}" + (f" + {Path(test_path).name}" if t.test_file else ""),
        feature_names=encoding.feature_names,
        groups_train=tuple(groups) if groups is not None else (),
        groups_test=tuple(groups_test) if groups_test is not None else (),
    )
