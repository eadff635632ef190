"""The workflow's view of the drawing rounds: per-round datasets and the DADC measure.

For every round k the evaluation retrains round k's model exactly as the app did (base
subset + the drawings that count up to the round's ``last_drawing`` and
``last_validation``) and reports how often it was fooled in its own round, its validated
model error rate (vMER: validated fooling drawings / drawings) and rejection rate, how
often round k+1's model is fooled by round k's validated fools (the DADC measure: does
the newer model learn from the older one's mistakes?), and its error on the dataset's
test set and on the hard subset.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dsplaybook.dadc.round_model import HumanRoundSettings, bitmaps, train_round_model
from dsplaybook.dadc.validation import round_figures, statuses, training_drawings, validators
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.plots import plt, save_figure


def drawing_round(drawings: pd.DataFrame, round_: int, data: MnistStyle) -> MnistStyle:
    """The drawings judged by round ``round_``'s model as an MNIST-style set (training
    part; no test part), in the dataset's classes."""
    rows = drawings[drawings["round"] == round_]
    return MnistStyle(
        x_train=bitmaps(rows),
        y_train=rows["true_class"].to_numpy(dtype=np.int64),
        x_test=np.zeros((0, 28, 28), np.uint8),
        y_test=np.zeros(0, np.int64),
        class_names=data.class_names,
        source=f"human drawings, round {round_} (dsplaybook drawing page)",
    )


def evaluate_rounds(
    data: MnistStyle,
    hard: np.ndarray,
    drawings: pd.DataFrame,
    rounds: pd.DataFrame,
    s: HumanRoundSettings,
    verdicts: pd.DataFrame | None = None,
    facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per round that has drawings (see the module's docstring); ``verdicts``
    and ``facts`` are the store's validations and round_facts tables."""
    if rounds.empty:
        raise InputError("dadc.human: the store has no rounds yet; draw in the page first")
    if verdicts is None:
        verdicts = pd.DataFrame(columns=["id", "drawing", "session", "verdict"])
    cut = {} if facts is None else dict(zip(facts["round"], facts["last_validation"], strict=True))
    models = {}
    for r in rounds.itertuples():
        counting = training_drawings(
            drawings, verdicts, r.last_drawing, cut.get(r.round, 0), s.validation, s.confirmations
        )
        models[int(r.round)] = train_round_model(data, counting, s)
    status = statuses(drawings, verdicts, s.validation, s.confirmations)
    judges = validators(drawings, verdicts)
    rows = []
    for k in sorted(set(drawings["round"].astype(int)) & set(models)):
        mine = drawings["round"] == k
        figures = round_figures(drawings[mine], status[mine])
        fools = drawings[mine & (status == "validated")]
        confirming = judges["confirmed_by"].reindex(fools["id"].astype(int)).fillna(0)
        wrong = models[k].predict(data.x_test) != data.y_test
        newer = np.nan
        if k + 1 in models and len(fools):
            guess = models[k + 1].predict(bitmaps(fools))
            newer = float((guess != fools["true_class"].to_numpy()).mean())
        rows.append(
            {
                "round": k,
                **figures,
                "validators_per_fool": float(confirming.mean()) if len(fools) else np.nan,
                "next_model_fooled_rate": newer,
                "test_error": float(wrong.mean()),
                "hard_error": float(wrong[hard].mean()) if hard.any() else np.nan,
            }
        )
    return pd.DataFrame(rows)


def plot_rounds(table: pd.DataFrame, dataset: str, dest: str) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(table["round"], table["fool_rate"], "o-", label="fooled in its own round")
    left.plot(table["round"], table["vmer"], "^-", label="validated fools (vMER)")
    left.plot(
        table["round"],
        table["next_model_fooled_rate"],
        "s--",
        label="next round's model, on this round's fooling drawings",
    )
    left.set_ylim(-0.02, 1.02)
    left.set_xlabel("round")
    left.set_ylabel("share of drawings that fool the model")
    left.legend(fontsize=8)
    right.plot(table["round"], table["test_error"], "o-", label="test set")
    right.plot(table["round"], table["hard_error"], "s-", label="hard subset")
    right.set_xlabel("round")
    right.set_ylabel("error of the round's model")
    right.legend(fontsize=8)
    for ax in (left, right):
        ax.set_xticks(table["round"])
        ax.grid(alpha=0.3)
    fig.suptitle(f"{dataset}: adversarial drawing rounds with people", fontsize=10)
    fig.tight_layout()
    save_figure(fig, dest)
