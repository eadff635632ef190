"""Dynamic adversarial data collection (DADC) and active learning, simulated on a pool.

Every strategy starts from the same initial labelled set (k-means seeding excepted),
then adds ``round_budget`` labels per round and retrains; the totals are equal:

* ``standard``: random unlabelled images;
* ``adversarial``: a simulated annotator looks at random unlabelled images in turn and
  keeps only those the *current* model misclassifies, until the round budget is met —
  the images looked at are the human effort (``candidates_seen``); when the pool has
  no fooling images left, the round is filled with the least-sure ones (see ``fooled``);
* ``uncertainty``: the images with the smallest margin between the model's top two
  class scores (margin-based active learning);
* ``uncertainty_kmeans``: the same, started from a diverse initial set (the image
  nearest each k-means centroid) instead of a random one.

Randomness is paired: for a given seed, round r's candidate order and model seed are the
same for every strategy, so strategies differ only by what they choose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from dsplaybook.config import Section
from dsplaybook.dadc.loop_model import seeded_clone
from dsplaybook.errors import InputError
from dsplaybook.label_budget.selection import kmeans_initial, pick_uncertain, random_initial

log = logging.getLogger("dsplaybook")


class DadcScale(Section):
    """One entry of ``dadc.scales``: how long the simulated collection runs."""

    rounds: int = Field(ge=1, description="Collection rounds after the initial labels.")
    round_budget: int = Field(ge=1, description="Labels added per round.")
    initial_labels: int = Field(ge=2, description="Labels before the first round.")
    seeds: int = Field(ge=1, description="Replicates (one job each).")


class DadcSettings(DadcScale):
    """One scale of ``dadc.scales`` plus ``kmeans_sample`` and the replicate's seed."""

    kmeans_sample: int = Field(ge=1)
    seed: int
    chunk: int = 2_048  # images the annotator shows the model at once

    @property
    def total_labels(self) -> int:
        return self.initial_labels + self.rounds * self.round_budget


@dataclass
class DadcRun:
    rounds: pd.DataFrame  # one row per round: labels, candidates_seen, errors
    picks: pd.DataFrame  # one row per labelled image: round, index, label, model's guess

    def labelled_rounds(self, **keys: object) -> pd.DataFrame:
        """The rounds table with ``keys`` (dataset, strategy, …) as its first columns."""
        return pd.concat([pd.DataFrame(keys, index=self.rounds.index), self.rounds], axis=1)


def replicate_seed(seed: int, replicate: int) -> int:
    """The seed of replicate ``replicate`` (shared by every strategy: a paired design)."""
    return (seed * 7_919 + replicate * 104_729 + 17) % 2**31


def round_seed(seed: int, round_: int) -> int:
    return (seed * 1_000_003 + round_ * 7_907) % 2**31


def pick_standard(candidates: np.ndarray, budget: int) -> np.ndarray:
    return candidates[:budget]


def pick_adversarial(
    model, x: np.ndarray, y: np.ndarray, candidates: np.ndarray, budget: int, chunk: int
) -> tuple[np.ndarray, int]:
    """Walk the candidates in order, keep those the model gets wrong; return the kept
    images and how many the annotator looked at to find them.

    A finite pool can run out of images that fool the model (a real annotator would
    write new ones). Then the annotator has looked at every candidate, keeps all that
    fool it and fills the round with the ones the model is least sure about, so every
    strategy still spends the same labels; the ``fooled`` count in rounds.csv shows it.
    """
    kept: list[np.ndarray] = []
    found = 0
    for start in range(0, len(candidates), chunk):
        block = candidates[start : start + chunk]
        fooled = block[model.predict(x[block]) != y[block]]
        need = budget - found
        if len(fooled) >= need:
            last = fooled[need - 1]
            kept.append(fooled[:need])
            return np.concatenate(kept), start + int(np.flatnonzero(block == last)[0]) + 1
        kept.append(fooled)
        found += len(fooled)
    fooling = np.concatenate(kept)
    rest = candidates[~np.isin(candidates, fooling)]
    fill = pick_uncertain(model, x, rest, budget - found)
    log.warning(
        "adversarial: only %d of %d unlabelled images fool the model; filling the round "
        "with the %d it is least sure about",
        found,
        len(candidates),
        len(fill),
    )
    return np.concatenate([fooling, fill]), len(candidates)


def _pick_uncertain_round(model, x, y, candidates, budget, chunk):
    return pick_uncertain(model, x, candidates, budget), budget


def _pick_standard_round(model, x, y, candidates, budget, chunk):
    return pick_standard(candidates, budget), budget


@dataclass(frozen=True)
class Strategy:
    initial: str  # "random" or "kmeans": how the first labelled set is chosen
    # (model, x, y, candidates, budget, chunk) -> (chosen images, images looked at)
    pick: Callable[..., tuple[np.ndarray, int]]


# The registry of collection strategies (the schema's dadc.strategies enum is tested against it).
STRATEGIES: dict[str, Strategy] = {
    "standard": Strategy("random", _pick_standard_round),
    "adversarial": Strategy("random", pick_adversarial),
    "uncertainty": Strategy("random", _pick_uncertain_round),
    "uncertainty_kmeans": Strategy("kmeans", _pick_uncertain_round),
}


def simulate(
    x_pool: np.ndarray,
    y_pool: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    hard: np.ndarray,
    strategy: str,
    settings: DadcSettings,
    model_template,  # an unfitted scikit-learn classifier
    progress: Callable[[str], None] = lambda _: None,
) -> DadcRun:
    """Run one strategy for ``settings.rounds`` rounds; evaluate after every round.

    Every round fits a ``seeded_clone`` of ``model_template`` (any scikit-learn classifier
    with predict_proba or decision_function). ``hard`` marks the hard test images.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; choose from {', '.join(STRATEGIES)}")
    s = settings
    if s.total_labels > len(x_pool):
        raise InputError(
            f"dadc: {s.total_labels} labels (initial_labels + rounds × round_budget) exceed "
            f"the {len(x_pool)} pool images; lower them"
        )
    if STRATEGIES[strategy].initial == "kmeans":
        labelled = kmeans_initial(x_pool, s.initial_labels, s.kmeans_sample, s.seed)
    else:
        labelled = random_initial(len(x_pool), s.initial_labels, s.seed)
    is_labelled = np.zeros(len(x_pool), dtype=bool)
    is_labelled[labelled] = True
    picks = [pd.DataFrame({"round": 0, "index": labelled, "previous_prediction": -1})]
    candidates_seen = s.initial_labels
    rows = []

    model: Any = None  # the previous round's model (none before round 1)
    fooled = 0  # new labels the previous model got wrong (none before round 1)
    for round_ in range(s.rounds + 1):
        if round_ > 0:
            order = np.random.default_rng(round_seed(s.seed, round_)).permutation(len(x_pool))
            candidates = order[~is_labelled[order]]
            chosen, looked_at = STRATEGIES[strategy].pick(
                model, x_pool, y_pool, candidates, s.round_budget, s.chunk
            )
            picks.append(
                pd.DataFrame(
                    {
                        "round": round_,
                        "index": chosen,
                        "previous_prediction": model.predict(x_pool[chosen]),
                    }
                )
            )
            candidates_seen += looked_at
            fooled = int((picks[-1]["previous_prediction"] != y_pool[chosen]).sum())
            is_labelled[chosen] = True
        index = np.flatnonzero(is_labelled)
        model = seeded_clone(model_template, round_seed(s.seed, round_))
        model.fit(x_pool[index], y_pool[index])
        predicted = model.predict(x_test)
        wrong = predicted != y_test
        rows.append(
            {
                "round": round_,
                "labels": len(index),
                "candidates_seen": candidates_seen,
                "fooled": fooled,
                "test_error": float(wrong.mean()),
                "hard_error": float(wrong[hard].mean()),
            }
        )
        progress(
            f"{strategy} round {round_}: {len(index)} labels, {candidates_seen} seen, "
            f"{fooled} new fooled the previous model, "
            f"test error {rows[-1]['test_error']:.4f}, hard {rows[-1]['hard_error']:.4f}"
        )
    picked = pd.concat(picks, ignore_index=True)
    picked.insert(2, "label", y_pool[picked["index"].to_numpy()])
    return DadcRun(rounds=pd.DataFrame(rows), picks=picked)
