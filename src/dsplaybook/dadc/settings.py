"""The dadc branch's settings: simulated collection rounds, the model in the loop, the
hard test subset and the drawing rounds with people."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from dsplaybook.config import Scaled, Section, UniqueItems, block
from dsplaybook.dadc.cnn_settings import Cnn
from dsplaybook.dadc.loop_model import LOOP_METHODS
from dsplaybook.dadc.player_settings import PlayerStudy
from dsplaybook.dadc.simulate import STRATEGIES, DadcScale
from dsplaybook.represent.features import FEATURE_SETS

FeatureName = Literal[tuple(FEATURE_SETS)]
LoopMethod = Literal[LOOP_METHODS]


class LoopModel(Section):
    """The model retrained from scratch every round."""

    kind: Literal["classifier", "cnn"] = Field(
        "classifier", description="classifier (a method on features) or cnn (on pixels)."
    )
    features: FeatureName = Field(
        "autoencoder", description="classifier: the feature set it sees (cnn: raw pixels)."
    )
    method: LoopMethod = Field("svm", description="classifier: the method.")
    cnn: Cnn = block(Cnn)


class HumanRounds(Section):
    """Adversarial drawing rounds with people (the drawing page, make app)."""

    dataset: Literal["quickdraw", "fashion_mnist"] = Field(
        "quickdraw",
        description="The dataset people draw for (quickdraw = the synthetic stand-ins unless "
        "quickdraw.source is official or strokes).",
    )
    round_size: int = Field(10, ge=1, description="Fooling drawings that close a round.")
    base_per_class: int = Field(
        1000, ge=1, description="Training images per class every round's model starts from."
    )
    method: LoopMethod = Field(
        "svm",
        description="The round models' method (svm on hog: 100% of scripted clean drawings "
        "of the stand-ins at round 0, logreg on raw pixels: 75%; docs/benchmarks.md).",
    )
    features: Literal["hog", "raw"] = Field(
        "hog", description="What the round models see: HOG descriptors or raw pixels."
    )
    hog_cell_size: int = Field(7, ge=2, le=14, description="Pixels per HOG cell side.")
    hog_orientations: int = Field(9, ge=2, description="HOG gradient direction bins.")
    copies: int = Field(
        10,
        ge=0,
        description="Varied copies (rotated, stretched, jittered strokes) of every fooling "
        "drawing a round's model trains on.",
    )
    weight: float = Field(
        3.0, gt=0, description="Training weight of a drawing and of each of its copies."
    )
    validation: Literal["peer", "none"] = Field(
        "peer",
        description="peer: a fooling drawing counts (toward the round and in training) only "
        "once other players confirm its class; none: every fooling drawing counts.",
    )
    confirmations: Literal["auto"] | Annotated[int, Field(ge=1)] = Field(
        "auto",
        description="How many more confirmations than rejections from other players (other "
        "browser profiles) validate a fooling drawing, and rejections than confirmations "
        "reject it; auto: 1 while at most two players take part in the round, else 2.",
    )
    drawings: str = Field(
        "",
        description="A drawings store made by a script, evaluated instead of "
        "annotations/<dataset>.sqlite.",
    )


class HardTest(Section):
    """Test images a strong reference model gets wrong or is least sure of."""

    fraction: float = Field(0.2, gt=0, le=1, description="Share of the test set in the subset.")
    features: FeatureName = Field("autoencoder", description="The reference model's features.")
    method: LoopMethod = Field("svm", description="The reference model's method.")
    train_size: int = Field(
        20_000,
        ge=0,
        description="Labelled training images the reference model learns from; 0 = all.",
    )


class Dadc(Scaled[DadcScale]):
    """Dynamic adversarial data collection vs standard collection and active learning;
    every strategy spends initial_labels + rounds × round_budget labels."""

    strategies: Annotated[tuple[Literal[tuple(STRATEGIES)], ...], UniqueItems()] = Field(
        tuple(STRATEGIES), min_length=1, description="Collection strategies compared."
    )
    scale: str = Field("demo", description="The entry of scales to run (demo: minutes).")
    scales: dict[str, DadcScale] = Field(
        default_factory=lambda: {
            "demo": DadcScale(rounds=8, round_budget=50, initial_labels=50, seeds=3),
            "full": DadcScale(rounds=20, round_budget=100, initial_labels=100, seeds=5),
        },
        description="Named presets of rounds, round_budget, initial_labels and seeds.",
    )
    model: LoopModel = block(LoopModel)
    kmeans_sample: int = Field(
        10_000, ge=1, description="Pool images k-means sees (uncertainty_kmeans' initial set)."
    )
    human: HumanRounds = block(HumanRounds)
    hard_test: HardTest = block(HardTest)
    players: PlayerStudy = block(PlayerStudy)

    def run_settings(self) -> dict:
        """What one simulated run reads (``DadcSettings``, less its seed)."""
        return {**self.current.to_data(), "kmeans_sample": self.kmeans_sample}

    def loop_model(self, classifiers: Section) -> dict:
        """Only the keys the chosen kind uses, so editing the other kind's knobs re-runs
        nothing."""
        if self.model.kind == "cnn":
            return {"kind": "cnn", "cnn": self.model.cnn.to_data()}
        return {
            "kind": "classifier",
            "features": self.model.features,
            "method": self.model.method,
            "hyperparameters": getattr(classifiers, self.model.method).to_data(),
        }
