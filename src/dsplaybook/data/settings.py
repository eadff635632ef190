"""The data branch's settings: downloads, Fashion-MNIST, QuickDraw and your own image
folders."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from dsplaybook.config import Section, UniqueItems
from dsplaybook.data.doodles import SHAPES
from dsplaybook.data.fashion_mnist import FILES
from dsplaybook.data.names import BUILTIN, category_filename, quickdraw_id
from dsplaybook.errors import ConfigError

Sha256 = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
Category = Annotated[str, Field(min_length=1, pattern="^[A-Za-z0-9 '-]+$")]


class FashionMnist(Section):
    """Fashion-MNIST's official files; checksums are on the decompressed content, so any
    faithful mirror (gzip or not) is accepted."""

    url: str = Field(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        description="Base URL of the four idx .gz files.",
    )
    mirror: str = Field(
        "resources/mirror/fashion-mnist",
        description="Local folder tried before the URL ('' for none); `make setup` fills it "
        "from Debian's dataset-fashion-mnist package. Holds the idx files, gzip or not.",
    )
    sha256: dict[Literal[FILES], Sha256] = Field(
        default_factory=dict,
        description="SHA-256 of a decompressed idx file, to override the official one built "
        "into dsplaybook. Only for a different dataset.",
    )


class QuickDrawBuild(Section):
    """The ``quickdraw`` keys that shape the dataset (url and mirror only fetch files, so
    moving a mirror rebuilds nothing)."""

    source: Literal["synthetic", "official", "strokes"] = Field(
        "synthetic",
        description="synthetic draws labelled stand-in doodles offline (outputs named "
        "quickdraw_synthetic); official downloads Google's 28x28 bitmaps; strokes downloads "
        "Google's simplified drawings and renders them as the bitmaps are made (outputs "
        "named quickdraw_strokes; the drawing page renders the same way).",
    )
    categories: Annotated[tuple[Category, ...], UniqueItems()] = Field(
        ("circle", "square", "triangle", "zigzag"),
        min_length=2,
        description="QuickDraw category names, spaces allowed (e.g. The Eiffel Tower).",
    )
    per_category: int = Field(
        20_000, ge=10, description="Drawings taken from each category (the first N of its file)."
    )
    recognized_only: bool = Field(
        True,
        description="strokes: take only drawings the game recognised (the official bitmaps "
        "hold every drawing, recognised or not).",
    )
    test_fraction: float = Field(
        0.2,
        gt=0,
        lt=1,
        description="Share of each category held out as the test set (stratified, seeded).",
    )

    @model_validator(mode="after")
    def _categories_can_be_built(self) -> QuickDrawBuild:
        files = [category_filename(c) for c in self.categories]
        if len(set(files)) != len(files):
            raise ConfigError(
                "config: key 'quickdraw.categories': two names differ only by "
                "space/underscore; keep one of them"
            )
        unknown = [c for c in self.categories if c not in SHAPES]
        if self.source == "synthetic" and unknown:
            raise ConfigError(
                f"config: key 'quickdraw.categories': cannot synthesise {unknown[0]!r}; "
                f"synthetic source draws only {', '.join(sorted(SHAPES))}; "
                "set quickdraw.source: official (or strokes) for real QuickDraw categories"
            )
        return self

    @property
    def dataset_id(self) -> str:
        return quickdraw_id(self.source)


class QuickDraw(QuickDrawBuild):
    """Google QuickDraw categories as an MNIST replacement, or offline stand-ins."""

    url: str = Field(
        "https://storage.googleapis.com/quickdraw_dataset/full/numpy_bitmap/",
        description="Base URL of the per-category numpy_bitmap files.",
    )
    strokes_url: str = Field(
        "https://storage.googleapis.com/quickdraw_dataset/full/simplified/",
        description="Base URL of the per-category simplified .ndjson files (source: strokes).",
    )
    mirror: str = Field(
        "",
        description="Local folder with <category>.npy files (official) or <category>.ndjson "
        "files (strokes), tried before the URL ('' for none).",
    )


class NamedDataset(Section):
    """A dataset of yours: its name in results/, never a built-in one's."""

    name: str = Field(
        pattern="^[a-z0-9_]+$",
        description="The dataset's name in results/ (lower case, digits, _).",
    )

    @model_validator(mode="after")
    def _not_a_builtin_name(self) -> NamedDataset:
        if self.name in (*BUILTIN, quickdraw_id("synthetic"), quickdraw_id("strokes")):
            raise ValueError(f"name {self.name!r} is a built-in dataset's; choose another")
        return self


class FolderDataset(NamedDataset):
    """Your own images: a folder with <class>/ and unlabelled/ sub-folders (docs/data.md)."""

    source: Literal["folder"] = Field(description="folder: a folder of your own images.")
    path: str = Field(
        min_length=1,
        description="Folder with <class>/ and unlabelled/ (or unlabeled/) sub-folders of "
        "image files (PNG, JPEG, BMP, GIF, TIFF, WebP).",
    )
    image_size: Literal[28] = Field(
        28, description="Side of the stored images (the MNIST-style contract is 28)."
    )
    classes: Annotated[tuple[Annotated[str, Field(min_length=1)], ...], UniqueItems()] = Field(
        (), description="Class names in label order; empty means the class sub-folders, sorted."
    )
    on_bad_image: Literal["skip", "fail"] = Field(
        "skip",
        description="An image that cannot be read (corrupt, too large, too elongated, a name "
        "the workflow cannot carry, a link outside the folder) is skipped with a log line "
        "and counted, or stops the build naming the file.",
    )
    max_pixels: int = Field(
        50_000_000,
        ge=1,
        description="Largest image (width × height, from the file's header, before decoding); "
        "larger ones count as unreadable (decompression bombs).",
    )
    max_aspect: float = Field(
        10.0,
        ge=1,
        description="Most elongated image (longer side / shorter side) read; more elongated "
        "ones count as unreadable (at 28×28 they would be a line).",
    )
    test_fraction: float = Field(
        0.2, ge=0, lt=1, description="Share of the labelled images held out as the test set."
    )


TABLE_FEATURES = ("raw", "pca", "trees")  # the feature sets that apply to a table
Column = Annotated[str, Field(min_length=1)]
Columns = Annotated[tuple[Column, ...], UniqueItems()]
FileName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.+-]+$")]


class TableSweep(Section):
    """The label-budget sweep of one table: its budgets, feature sets and the score that
    picks its best cell (the image sets' keys in ``label_budget`` do not fit a table)."""

    budgets: Annotated[tuple[Annotated[int, Field(ge=2)], ...], UniqueItems()] = Field(
        (20, 50, 100, 200, 500, 1000),
        min_length=1,
        description="Numbers of labelled training rows.",
    )
    features: Annotated[tuple[Literal[TABLE_FEATURES], ...], UniqueItems()] = Field(
        ("raw", "pca", "trees"),
        min_length=1,
        description="Feature sets swept: raw (median-filled, standardised, one-hot), pca, "
        "trees (a random-trees embedding reduced by SVD); all fitted without labels.",
    )
    selection_features: Literal[TABLE_FEATURES] = Field(
        "raw", description="The feature set the selections other than random measure in."
    )
    selection_cells: tuple[
        Annotated[str, Field(pattern=r"^([a-z0-9]+|[*]):([a-z0-9]+|[*])$")], ...
    ] = Field(
        ("raw:logreg", "raw:rf"),
        description="features:method cells the selections other than random run.",
    )
    metric: Literal["accuracy", "balanced_accuracy", "macro_f1", "average_precision"] = Field(
        "average_precision",
        description="The score that picks the best cell per budget and sets labels_needed.csv "
        "(average precision of the positive class; macro over classes for more than two).",
    )
    precision: float = Field(
        0.9,
        gt=0,
        lt=1,
        description="recall_at_precision: the recall reached at this precision (positive "
        "class; macro over classes for more than two).",
    )
    all_labels: bool = Field(
        True,
        description="Also fit every random-selection cell on all labelled training rows "
        "(budget 'all' in summary.csv): the reference labels_needed.csv compares with.",
    )
    reference_shares: Annotated[tuple[Annotated[float, Field(gt=0, le=1)], ...], UniqueItems()] = (
        Field(
            (0.9,),
            description="labels_needed.csv: the labels needed to reach these shares of the "
            "all-labels figure (of the metric).",
        )
    )


class TableDataset(NamedDataset):
    """A table (CSV) whose label column may be partly empty: docs/tables.md."""

    source: Literal["table"] = Field(description="table: a CSV table (docs/tables.md).")
    file: FileName = Field(
        description="The table's file name (CSV, optionally .gz; or .parquet with pyarrow "
        "installed): fetched from the mirror folder, then from url, into "
        "resources/tables/<name>/."
    )
    test_file: FileName | Literal[""] = Field(
        "",
        description="A separate test file with the same columns ('' splits the table by "
        "test_fraction, by group or by time when those are given).",
    )
    mirror: str = Field(
        "", description="Local folder holding the file(s), tried first ('' for none)."
    )
    url: str = Field("", description="Base URL of the file(s) ('' for none).")
    sha256: dict[FileName, Annotated[str, Field(pattern="^[0-9a-f]{64}$")]] = Field(
        default_factory=dict,
        description="Expected SHA-256 per file name (checked after download; none: any "
        "readable CSV is accepted).",
    )
    header: bool = Field(True, description="The file's first row names its columns.")
    columns: Columns = Field(
        (), description="Column names for a file without a header row, in file order."
    )
    label: Column = Field(description="The label column (empty cells: unlabelled rows).")
    label_map: dict[str, str] = Field(
        default_factory=dict,
        description="Label value -> class (e.g. attack name -> attack family); values not "
        "listed are their own class.",
    )
    classes: Columns = Field(
        (),
        description="Class names in label order (the last is the positive class of a "
        "two-class table); empty: the training labels, sorted.",
    )
    numeric: Columns = Field(
        (),
        description="Numeric feature columns; empty: every column not declared otherwise.",
    )
    categorical: Columns = Field(
        (), description="Categorical feature columns (one-hot; categories from training rows)."
    )
    drop: Columns = Field((), description="Columns read but not used: ids, other labels, leaks.")
    group: str = Field(
        "",
        description="A group column (machine, patient, host): the split keeps each group on "
        "one side and the audit checks it ('' for none).",
    )
    time: str = Field(
        "",
        description="A time column (sortable): the latest test_fraction of rows is the test "
        "set ('' for none).",
    )
    test_fraction: float = Field(
        0.2, gt=0, lt=1, description="Share of the labelled rows held out as the test set."
    )
    unknown_categories: Literal["fail", "ignore"] = Field(
        "fail",
        description="A category in test_file that the training file never shows stops the "
        "build naming it, or is encoded as no category (all zeros).",
    )
    sweep: TableSweep = Field(
        default_factory=TableSweep, description="The table's label-budget sweep."
    )

    @model_validator(mode="after")
    def _columns_declared_once(self) -> TableDataset:
        roles = {
            "label": (self.label,),
            "numeric": self.numeric,
            "categorical": self.categorical,
            "drop": self.drop,
            "group": (self.group,) if self.group else (),
            "time": (self.time,) if self.time else (),
        }
        seen: dict[str, str] = {}
        for role, names in roles.items():
            for name in names:
                if name in seen:
                    raise ValueError(
                        f"column {name!r} is both {seen[name]} and {role}; declare it once"
                    )
                seen[name] = role
        if not self.header and not self.columns:
            raise ValueError("header is false: list the file's column names in columns")
        if self.group and self.time:
            raise ValueError("give group or time, not both: a split can follow only one")
        return self


# a dataset of yours is told apart by its `source`, so an error names that entry's keys
Dataset = Literal[BUILTIN] | Annotated[FolderDataset | TableDataset, Field(discriminator="source")]
