"""The contest's settings: payout, field size, the field model and the candidates the
portfolio is chosen from (``lineups.contest``; a leaf of the contest package, typed from
the payout tables' registry)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, NonNegativeInt, PositiveInt, model_validator

from dsplaybook.config import Section, block
from dsplaybook.lineups.contest.prizes import CUSTOM, PAYOUTS
from dsplaybook.lineups.contest.prizes import custom as payouts_custom


class Prize(Section):
    """A prize for the ranks first … last."""

    first: PositiveInt = Field(description="Best rank of the range (1 = first place).")
    last: PositiveInt = Field(description="Worst rank of the range.")
    prize: float = Field(ge=0, description="Prize of each of these ranks.")

    @model_validator(mode="after")
    def _ordered(self) -> Prize:
        if self.first > self.last:
            raise ValueError(f"first {self.first} is after last {self.last}; swap them")
        return self


class OwnershipModel(Section):
    """The field's ownership when no column gives it: within each position a player's share
    is a softmax of these coefficients times his features (each a share of the position's
    best) (the mean of a
    Dirichlet regression; an assumption, replaced by an ownership column or a fit)."""

    projection: float = Field(
        5.0, description="Weight of the projection (as a share of the position's best)."
    )
    value: float = Field(
        5.0, description="Weight of points per $1,000 (as a share of the position's best)."
    )
    salary: float = Field(0.0, description="Weight of the salary (share of the position's top).")


class Contest(Section):
    """The contest the portfolio plays and the field it plays against (Haugh & Singal)."""

    payout: Literal[(*PAYOUTS, CUSTOM)] = Field(
        "top_heavy",
        description="top_heavy (a GPP: top 20% paid, power law to first), double_up, or "
        "custom (prizes).",
    )
    field_size: int = Field(10_000, ge=2, description="Entries in the contest, ours included.")
    entry_fee: float = Field(20.0, gt=0, description="Fee per entry.")
    rake: float = Field(0.15, ge=0, lt=1, description="The site's cut of the fees (presets).")
    prizes: tuple[Prize, ...] = Field(
        (), description="payout: custom: [{first: 1, last: 1, prize: 5000}, ...]."
    )
    entries: PositiveInt = Field(20, description="Our entries (the portfolio's lineups).")
    opponents: int = Field(
        10_000,
        ge=10,
        description="Opponent lineups simulated; a larger field counts each one "
        "(field - entries) / opponents times.",
    )
    max_unused_salary: float = Field(
        0.01,
        ge=0,
        le=1,
        description="Share of the cap an opponent leaves unused at most (real DraftKings "
        "fields leave $175 / $83 of $50,000 on average; bench/contest_calibration.py).",
    )
    copula: Literal["independent", "stacked"] = Field(
        "stacked",
        description="independent: opponents pick each position by ownership alone; stacked: "
        "stack_share of them pair their QB with a receiver of his team.",
    )
    stack_share: float = Field(
        0.7,
        ge=0,
        le=1,
        description="Share of stacked opponents (copula: stacked; 0.7 gives the 74% of real "
        "DraftKings NFL entries that pair a QB with his receiver).",
    )
    ownership_files: dict[str, str] = Field(
        default_factory=dict,
        description="Pool name -> CSV with columns id and ownership (% or share), when the "
        "export has no ownership_column.",
    )
    ownership_model: OwnershipModel = block(OwnershipModel)
    candidates: PositiveInt = Field(
        3000, description="Best lineups by projection meeting the rules, as candidates."
    )
    contrarian: tuple[float, ...] = Field(
        (0.5, 1.0),
        description="More candidates: the best lineups with points × (1 - c × ownership), "
        "one set per c.",
    )
    qb_candidates: NonNegativeInt = Field(
        8, description="And the best lineups of each of this many top QBs (stack-diverse)."
    )
    per_qb: PositiveInt = Field(100, description="Lineups per such QB.")
    shortlist: PositiveInt = Field(
        1000, description="Candidates the greedy weighs: the best by expected payout alone."
    )
    choose_sims: int = Field(
        5000, ge=100, description="Simulated slates the portfolio is chosen on."
    )
    evaluate_sims: int = Field(
        10_000, ge=100, description="Fresh slates (other seeds) it is evaluated on."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Contest:
        if self.entries >= self.field_size:
            raise ValueError(f"entries {self.entries} must be fewer than field_size")
        if self.payout == CUSTOM and not self.prizes:
            raise ValueError("payout: custom needs prizes: [{first, last, prize}, ...]")
        if self.payout != CUSTOM and self.prizes:
            raise ValueError(f"prizes are given but payout is {self.payout}; set payout: custom")
        for prize in self.prizes:
            if prize.last > self.field_size:
                raise ValueError(f"prize rank {prize.last} is beyond field_size")
        return self

    def prize_table(self) -> np.ndarray:
        """The prize of every rank 1 … field_size."""
        if self.payout == CUSTOM:
            ranges = [(p.first, p.last, p.prize) for p in self.prizes]
            return payouts_custom(self.field_size, ranges)
        return PAYOUTS[self.payout](self.field_size, self.entry_fee, self.rake)
