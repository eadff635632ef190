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

    source: Literal["synthetic", "official"] = Field(
        "synthetic",
        description="synthetic draws labelled stand-in doodles offline (outputs named "
        "quickdraw_synthetic); official downloads Google's drawings.",
    )
    categories: Annotated[tuple[Category, ...], UniqueItems()] = Field(
        ("circle", "square", "triangle", "zigzag"),
        min_length=2,
        description="QuickDraw category names, spaces allowed (e.g. The Eiffel Tower).",
    )
    per_category: int = Field(
        20_000, ge=10, description="Drawings taken from each category (the first N of its file)."
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
                "set quickdraw.source: official for real QuickDraw categories"
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
    mirror: str = Field(
        "",
        description="Local folder with <category>.npy files, tried before the URL ('' for none).",
    )


class FolderDataset(Section):
    """Your own images: a folder with <class>/ and unlabelled/ sub-folders (docs/data.md)."""

    name: str = Field(
        pattern="^[a-z0-9_]+$",
        description="The dataset's name in results/ (lower case, digits, _).",
    )
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

    @model_validator(mode="after")
    def _not_a_builtin_name(self) -> FolderDataset:
        if self.name in (*BUILTIN, quickdraw_id("synthetic")):
            raise ValueError(f"name {self.name!r} is a built-in dataset's; choose another")
        return self


Dataset = Literal[BUILTIN] | FolderDataset
