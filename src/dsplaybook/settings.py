"""The settings tree: one typed model per branch, assembled into ``Config``, the contract
of ``config.yaml``. The JSON schema (workflow/schemas/config.schema.yaml) and
docs/config.md are generated from it (``python -m dsplaybook.settings``); the workflow,
the app and library callers validate through ``load_config``.

This module sits above every branch it assembles (import-linter's contract in
pyproject.toml); ``dsplaybook.config`` below them holds what the branches share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from dsplaybook.aftershock.settings import Aftershock
from dsplaybook.config import Section, UniqueItems, block, validated
from dsplaybook.dadc.settings import Dadc
from dsplaybook.data.download import RetryPolicy
from dsplaybook.data.settings import Dataset, FashionMnist, FolderDataset, QuickDraw, TableDataset
from dsplaybook.errors import ConfigError
from dsplaybook.label_budget.cells import matches
from dsplaybook.label_budget.settings import Classifiers, LabelBudget
from dsplaybook.labelling.settings import Labelling
from dsplaybook.lineups.section import Lineups
from dsplaybook.represent.settings import Represent

BRANCHES = ("data", "lineups", "label_budget", "aftershock", "dadc")
IMAGE_BRANCHES = ("data", "label_budget", "dadc")


class App(Section):
    """The label and drawing pages (make app DATASET=<name>)."""

    host: str = Field(
        "127.0.0.1", description="Address to listen on; any other than loopback needs --password."
    )
    port: int = Field(7860, ge=1, le=65535, description="Port to listen on.")
    allowed_hosts: Annotated[
        tuple[Annotated[str, Field(pattern=r"^[A-Za-z0-9.*:\[\]-]{1,253}$")], ...],
        UniqueItems(),
    ] = Field(
        (),
        description="Host names the pages answer to besides the bound host, localhost and "
        "127.0.0.1 (e.g. the name a proxy forwards); others are refused (DNS rebinding).",
    )


class Config(Section):
    """dsplaybook configuration: every key of config.yaml."""

    seed: int = Field(42, ge=0, description="Master seed; every random step derives from it.")
    branches: Annotated[tuple[Literal[BRANCHES], ...], UniqueItems()] = Field(
        BRANCHES,
        description=f"Branches whose outputs `rule all` builds: {', '.join(BRANCHES)}; any "
        "target can still be asked for by name.",
    )
    datasets: Annotated[tuple[Dataset, ...], UniqueItems()] = Field(
        ("fashion_mnist", "quickdraw"),
        description="Datasets to build: fashion_mnist, quickdraw, a folder of your own "
        "images, e.g. {name: shoes, source: folder, path: /data/shoes}, or a table "
        "(source: table; docs/tables.md).",
    )
    download: RetryPolicy = block(RetryPolicy)
    fashion_mnist: FashionMnist = block(FashionMnist)
    quickdraw: QuickDraw = block(QuickDraw)
    samples_per_class: int = Field(
        8, ge=1, le=30, description="Images per class in results/data/<dataset>_samples.png."
    )
    lineups: Lineups = block(Lineups)
    represent: Represent = block(Represent)
    label_budget: LabelBudget = block(LabelBudget)
    classifiers: Classifiers = block(Classifiers)
    labelling: Labelling = block(Labelling)
    annotations: str = Field(
        "annotations",
        description="Folder of what people entered (<dataset>.sqlite), outside results/: "
        "make clean never touches it.",
    )
    app: App = block(App)
    aftershock: Aftershock = block(Aftershock)
    dadc: Dadc = block(Dadc)

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if not self.branches:
            raise ConfigError(
                "config: key 'branches': empty, so `rule all` would build nothing; "
                f"name at least one of {', '.join(BRANCHES)}"
            )
        self._check_labelling()
        self._check_selection_cells()
        names = [d.name for d in self.datasets if not isinstance(d, str)]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ConfigError(
                f"config: key 'datasets': two datasets are named {twice[0]!r}; rename one"
            )
        initial = self.dadc.current.initial_labels
        if "uncertainty_kmeans" in self.dadc.strategies and self.dadc.kmeans_sample < initial:
            raise ConfigError(
                f"config: key 'dadc.kmeans_sample': {self.dadc.kmeans_sample} images cannot "
                f"seed {initial} k-means clusters (dadc.scales.{self.dadc.scale}.initial_labels); "
                "raise kmeans_sample"
            )
        return self

    def _check_selection_cells(self) -> None:
        """A selection cell that no features × methods pair can match would run the chosen
        selections on nothing, silently (a dataset may still skip it by design)."""
        sweep = self.label_budget
        images = [d for d in self.datasets if not isinstance(d, TableDataset)]
        if "label_budget" not in self.branches or not images or set(sweep.selections) <= {"random"}:
            return  # tables name their own selection cells (datasets[].sweep)
        for pattern in sweep.selection_cells:
            dataset = pattern.rpartition("/")[0]  # judged by the pattern's own dataset
            if not any(
                matches(dataset, f, m, [pattern]) for f in sweep.features for m in sweep.methods
            ):
                raise ConfigError(
                    f"config: key 'label_budget.selection_cells': {pattern!r} matches no "
                    f"swept cell (features {list(sweep.features)}, methods "
                    f"{list(sweep.methods)}); add them there or name a swept cell"
                )

    def _check_labelling(self) -> None:
        sweep, labelling = self.label_budget, self.labelling
        if labelling.budget not in sweep.budgets:
            raise ConfigError(
                f"config: key 'labelling.budget': {labelling.budget} is not one of "
                f"label_budget.budgets {list(sweep.budgets)}; pick one of those"
            )
        for table in self.table_datasets.values():
            if labelling.features == "best" and labelling.budget not in table.sweep.budgets:
                raise ConfigError(
                    f"config: key 'labelling.budget': {labelling.budget} is not one of "
                    f"datasets[{table.name}].sweep.budgets {list(table.sweep.budgets)}; add "
                    "it there (the table's pool labelling starts from that many labels)"
                )
        for key, allowed in (("features", sweep.features), ("method", sweep.methods)):
            value = getattr(labelling, key)
            if value not in ["best", "auto", *allowed]:
                raise ConfigError(
                    f"config: key 'labelling.{key}': {value!r}; use best, auto or one of "
                    f"label_budget.{key if key == 'features' else 'methods'} {list(allowed)}"
                )
        for choice in ("best", "auto"):
            if (labelling.features == choice) != (labelling.method == choice):
                raise ConfigError(
                    "config: keys 'labelling.features' and 'labelling.method': "
                    f"set both to {choice} or name both"
                )

    def warnings(self) -> list[str]:
        """Legal but probably not meant, one line each."""
        image_branches = [b for b in self.branches if b in IMAGE_BRANCHES]
        if image_branches and not self.datasets:
            return [
                f"config: key 'datasets': empty, so branches {', '.join(image_branches)} "
                "build nothing; name fashion_mnist and/or quickdraw to run them"
            ]
        return []

    # ---- the results layout: datasets as they are named in results/ ----

    @property
    def folder_datasets(self) -> dict[str, FolderDataset]:
        return {d.name: d for d in self.datasets if isinstance(d, FolderDataset)}

    @property
    def table_datasets(self) -> dict[str, TableDataset]:
        return {d.name: d for d in self.datasets if isinstance(d, TableDataset)}

    def dataset_id(self, name: str) -> str:
        """A config dataset's name in results/ (quickdraw marked when synthetic)."""
        return self.quickdraw.dataset_id if name == "quickdraw" else name

    def builtin_dataset_ids(self) -> list[str]:
        return [self.dataset_id(d) for d in self.datasets if isinstance(d, str)]

    def dataset_ids(self) -> list[str]:
        """Every image dataset as it appears in results/, your own folders included."""
        return self.builtin_dataset_ids() + list(self.folder_datasets)

    def human_labelled_ids(self) -> list[str]:
        """Datasets whose pool labelling trains on the label store: every folder dataset,
        and fashion_mnist/quickdraw when labelling.source is human."""
        human = self.labelling.source == "human"
        return (self.builtin_dataset_ids() if human else []) + list(self.folder_datasets)

    def simulated_labelled_ids(self) -> list[str]:
        """Datasets whose pool labelling asks a simulated person (the known labels): the
        built-in image sets unless labelling.source is human, and every table."""
        builtin = [d for d in self.builtin_dataset_ids() if d not in self.human_labelled_ids()]
        return builtin + list(self.table_datasets)


def load_config(data: Mapping[str, Any] | None, source: str = "config") -> Config:
    """The validated tree (defaults filled) from a config mapping, or ConfigError with one
    line naming the key, the value and the fix."""
    return validated(Config, dict(data or {}), source)
