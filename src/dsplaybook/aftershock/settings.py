"""The aftershock branch's settings: the leakage audit of the aftershock study."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PositiveFloat, PositiveInt, model_validator

from dsplaybook.config import Section, block
from dsplaybook.errors import ConfigError


class SyntheticGrids(Section):
    """The documented synthetic stand-in for the study's grids."""

    n_events: int = Field(40, ge=4, description="Earthquakes generated.")
    max_versions: int = Field(3, ge=1, description="Slip models per earthquake: 1..max_versions.")
    test_fraction: float = Field(
        0.3, gt=0, lt=1, description="Share of grid files in the test set."
    )
    leaky: bool = Field(
        True,
        description="The study's file-level split (false: one version, split by event).",
    )
    seed: int = Field(0, ge=0, description="Generator seed: events, slip models and the split.")


class ModelSelection(Section):
    """Candidates compared on the original split and on grouped re-splits."""

    forest_min_samples_leaf: tuple[PositiveInt, ...] = Field(
        (5, 50, 500), min_length=1, description="Random forest leaf sizes."
    )
    one_neuron_C: tuple[PositiveFloat, ...] = Field(
        (0.01, 1.0), min_length=1, description="One-neuron (logistic) regularisation strengths."
    )


class TableAudit(Section):
    """The leakage audit every table dataset gets on the way in (results/audit/<table>/)."""

    resplits: int = Field(
        5, ge=2, description="Seeded re-splits (grouped when the table has groups)."
    )
    forest_trees: int = Field(50, ge=1, description="Trees of the audit's random forest.")
    leak_auc: float = Field(
        0.98,
        gt=0.5,
        le=1,
        description="A single feature reaching this AUC on its own is flagged (a leaked label?).",
    )
    max_rows: int = Field(
        50_000, ge=100, description="Rows audited (a seeded sample of larger tables)."
    )
    inversion_sd: float = Field(
        2.0,
        ge=0,
        description="Test above train is flagged when its gap exceeds the re-splits' gaps by "
        "this many sd (2: about 1 chance flag in 40 per model on a clean table).",
    )
    perfect_auc: float = Field(
        0.999,
        gt=0.5,
        le=1,
        description="A model reaching this test AUC is flagged: columns together may restate "
        "the label (AI4I's failure modes do; no single one does).",
    )


class Aftershock(Section):
    """Leakage audit of the aftershock study (DeVries et al. 2018) and its critique."""

    source: Literal["synthetic", "files"] = Field(
        "synthetic",
        description="synthetic grids (documented stand-in) or the study's released grid files.",
    )
    split_list: str = Field(
        "", description="files: CSV with Name, Original (TRAIN/TEST), ID for every grid file."
    )
    mirror: str = Field(
        "", description="files: local folder with the *_grid.csv files, tried first."
    )
    url: str = Field("", description="files: base URL of the *_grid.csv files.")
    synthetic: SyntheticGrids = block(SyntheticGrids)
    network_epochs: int = Field(5, ge=1, description="Epochs of the study's 6-layer network.")
    forest_trees: int = Field(100, ge=1, description="Trees of the random forest.")
    resplits: int = Field(10, ge=1, description="Grouped re-splits (by earthquake), seeded.")
    resplit_test_size: float = Field(
        0.2, gt=0, lt=1, description="Share of earthquakes in each re-split's test set."
    )
    model_selection: ModelSelection = block(ModelSelection)
    table_audit: TableAudit = block(TableAudit)

    @model_validator(mode="after")
    def _files_need_a_split_list(self) -> Aftershock:
        if self.source == "files" and not self.split_list:
            raise ConfigError(
                "config: key 'aftershock.split_list': required when aftershock.source is "
                "files; point it at the study's names_train_ids.csv"
            )
        return self
