"""Settings of the simulated drawing players (``dadc.players``): how they collect, and
the study on real stroke files that compares them with standard collection."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from dsplaybook.config import Section
from dsplaybook.dadc.loop_model import LOOP_METHODS

PeerMethod = Literal[LOOP_METHODS]  # type: ignore[valid-type]  # a registry's names


class PlayerRules(Section):
    """How simulated players collect drawings."""

    rounds: int = Field(5, ge=1, description="Collection rounds.")
    round_budget: int = Field(200, ge=1, description="Drawings made per round (attempts).")
    attempts: int = Field(
        2,
        ge=1,
        description="Attempts on one real drawing before taking another (the first "
        "as drawn, then edits).",
    )
    edits_per_attempt: int = Field(1, ge=1, description="Tricks combined in one attempt.")
    first_unedited: bool = Field(
        True,
        description="A player's first attempt is the real drawing as its person drew it "
        "(a natural fool counts too); edits follow only if the model recognised it.",
    )
    weight: float = Field(1.0, gt=0, description="Training weight of a collected drawing.")
    keep_recognised_edits: bool = Field(
        False,
        description="Edited attempts the model still recognised enter training too (the "
        "page keeps every drawing given); false: only real drawings as drawn and fools.",
    )
    copies: int = Field(
        10,
        ge=0,
        description="Varied redrawings of each fool added to training, as the page adds "
        "them (machine-made: not counted as drawings made).",
    )


class PlayerSettings(PlayerRules):
    """One replicate's rules and its seed."""

    seed: int = 0


class PlayerStudy(PlayerRules):
    """``dadc.players``: simulated players who draw new fools from real drawings (runs
    when ``quickdraw.source`` is strokes)."""

    seeds: int = Field(5, ge=1, description="Replicates (one job each).")
    initial: int = Field(50, ge=2, description="Real drawings a class the models start from.")
    pool: int = Field(700, ge=1, description="Real drawings a class players and standard take.")
    reference: int = Field(400, ge=2, description="Drawings a class the two references train on.")
    peer: int = Field(250, ge=2, description="Drawings a class the peer model trains on.")
    test: int = Field(300, ge=2, description="Held-out real drawings a class.")
    hard_fraction: float = Field(
        0.2,
        gt=0,
        lt=1,
        description="Share of the test drawings in the hard set: those the strong reference "
        "(the round model's method) gets wrong or is least sure of, that the second "
        "reference (logreg on HOG) classifies right.",
    )
    peer_method: PeerMethod = Field(
        "rf", description="The peer: a second, independent model standing in for validators."
    )
    peer_features: str = Field("hog", pattern="^(hog|raw)$", description="hog | raw")

    @property
    def per_class(self) -> int:
        return self.initial + self.pool + self.reference + self.peer + self.test
