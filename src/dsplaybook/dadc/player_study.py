"""The drawing-players study on real stroke files: per class, a seeded shuffle of its
first recognised drawings cut into disjoint splits (initial, the players' pool, the
references', the peer's, test), a hard set from two reference models, a peer model, and
``stroke_players.simulate_players``; plus the per-round summary and its plot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dsplaybook.dadc.drawings import strokes_to_bitmap
from dsplaybook.dadc.player_settings import PlayerRules, PlayerSettings, PlayerStudy
from dsplaybook.dadc.round_model import HumanRoundSettings, fit_round_model
from dsplaybook.dadc.stroke_players import relative_reduction, simulate_players
from dsplaybook.data.strokes import Strokes, read_category
from dsplaybook.errors import InputError

Pairs = list[tuple[Strokes, int]]


SPLITS = ("initial", "pool", "reference", "peer", "test")


def split_drawings(
    files: Sequence[str | Path], study: PlayerStudy, seed: int, recognized_only: bool = True
) -> dict[str, Pairs]:
    """Per class (file order), a seeded shuffle of its first ``study.per_class`` drawings
    cut into the disjoint splits."""
    rng = np.random.default_rng(seed)
    out: dict[str, Pairs] = {name: [] for name in SPLITS}
    for c, path in enumerate(files):
        try:
            drawings = read_category(path, study.per_class, recognized_only)
        except InputError as err:
            raise InputError(
                f"{err} (dadc.players needs initial + pool + reference + peer + test = "
                f"{study.per_class} a class; lower them)"
            ) from err
        order = rng.permutation(len(drawings))
        at = 0
        for name in SPLITS:
            n = getattr(study, name)
            out[name] += [(drawings[k], c) for k in order[at : at + n]]
            at += n
    return out


def render_pairs(pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
    bitmaps = np.stack([strokes_to_bitmap(st) for st, _ in pairs])
    return bitmaps, np.array([c for _, c in pairs], dtype=np.int64)


def hard_mask(
    reference: Pairs, x_test: np.ndarray, y_test: np.ndarray, strong: HumanRoundSettings,
    fraction: float, second: HumanRoundSettings,
) -> np.ndarray:  # fmt: skip
    """Test drawings the strong reference gets wrong or is least sure of (lowest
    true-class margin), among those a ``second`` reference gets right."""
    x_ref, y_ref = render_pairs(reference)
    weights = np.ones(len(y_ref))
    first = fit_round_model(x_ref, y_ref, weights, strong)
    confirming = fit_round_model(x_ref, y_ref, weights, second)
    p = first.probabilities(x_test, int(y_test.max()) + 1)
    rows = np.arange(len(y_test))
    true = p[rows, y_test].copy()
    p[rows, y_test] = -np.inf
    margin = true - p.max(axis=1)
    confirmed = confirming.predict(x_test) == y_test
    ranked = [k for k in np.argsort(margin, kind="stable") if confirmed[k]]
    mask = np.zeros(len(y_test), dtype=bool)
    mask[ranked[: int(fraction * len(y_test))]] = True
    return mask


def run_study(
    files: Sequence[str | Path],
    study: PlayerStudy,
    round_model: HumanRoundSettings,
    seed: int,
    recognized_only: bool = True,
    hyperparameters: Mapping[str, Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """One replicate: both strategies' per-round errors (``simulate_players`` rows).
    ``hyperparameters``: per method (the references' and the peer's), default the
    registry's."""
    given = hyperparameters or {}

    def model(method: str, features: str) -> HumanRoundSettings:
        return round_model.model_copy(
            update={"seed": seed, "method": method, "features": features,
                    "hyperparameters": dict(given.get(method, {}))}
        )  # fmt: skip

    parts = split_drawings(files, study, seed, recognized_only)
    x_test, y_test = render_pairs(parts["test"])
    model_s = round_model.model_copy(update={"seed": seed})
    hard = hard_mask(
        parts["reference"], x_test, y_test, model_s, study.hard_fraction,
        second=model("logreg", "hog"),
    )  # fmt: skip
    x_peer, y_peer = render_pairs(parts["peer"])
    peer_s = model(study.peer_method, study.peer_features)
    peer = fit_round_model(x_peer, y_peer, np.ones(len(y_peer)), peer_s)
    settings = PlayerSettings(**study.model_dump(include=set(PlayerRules.model_fields)), seed=seed)
    run = simulate_players(
        parts["initial"], parts["pool"], (x_test, y_test, hard), peer, settings, model_s
    )
    return run.assign(hard_size=int(hard.sum()), test_size=len(y_test))


def round_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """Per round, mean and sd over seeds: each strategy's errors, the players' fools and
    peer rejections, and DADC's relative error reduction against standard collection
    on each test set (positive: fewer errors)."""
    wide = rounds.pivot_table(
        index=["seed", "round"],
        columns="strategy",
        values=["test_error", "hard_error", "fools", "peer_rejected"],
    )
    per_seed = pd.DataFrame(
        {
            f"{strategy}_{column}": wide[column][strategy]
            for column in ("test_error", "hard_error")
            for strategy in ("standard", "dadc")
        }
        | {"fools": wide["fools"]["dadc"], "peer_rejected": wide["peer_rejected"]["dadc"]}
    )
    for column in ("test", "hard"):
        per_seed[f"{column}_reduction"] = relative_reduction(
            per_seed[f"standard_{column}_error"], per_seed[f"dadc_{column}_error"]
        )
    grouped = per_seed.reset_index().drop(columns="seed").groupby("round")
    table = grouped.mean().add_suffix("_mean").join(grouped.std().add_suffix("_sd"))
    table.insert(0, "seeds", rounds.groupby("round")["seed"].nunique())
    return table.reset_index()


def plot_study(rounds: pd.DataFrame, path: str | Path, budget: int) -> None:
    """Error by round, players (DADC) vs standard, on the hard set and the test set."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seeds = rounds["seed"].nunique()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharex=True)
    for ax, column, title in zip(
        axes, ["hard_error", "test_error"], ["hard set", "held-out real drawings"], strict=True
    ):
        for strategy, style, label in (
            ("standard", "o-", "standard (unedited real drawings)"),
            ("dadc", "s-", "drawing players (DADC)"),
        ):
            m = rounds[rounds.strategy == strategy].groupby("round")[column]
            ax.errorbar(
                m.mean().index, 100 * m.mean(), 100 * m.std().fillna(0), fmt=style,
                capsize=3, label=label,
            )  # fmt: skip
        ax.set_title(f"Error on the {title}")
        ax.set_xlabel(f"round ({budget} drawings made each)")
        ax.set_ylabel("error (%)")
    axes[0].legend(fontsize=8)
    fig.suptitle(f"Simulated players on real QuickDraw drawings, {seeds} seeds (mean ± sd)")
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)
