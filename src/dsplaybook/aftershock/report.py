"""Write an audit as plain-words Markdown, tidy CSV tables and two pictures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_curve

from dsplaybook.aftershock.leakage import AuditResult
from dsplaybook.plots import plt, save_figure


def auc_table(result: AuditResult) -> pd.DataFrame:
    """One row per model: original split train/test AUC and grouped re-split AUC."""
    grouped = result.resplit_scores.groupby("model").agg(
        grouped_train_auc=("train_auc", "mean"),
        grouped_test_auc_mean=("auc", "mean"),
        grouped_test_auc_sd=("auc", "std"),
    )
    table = result.split_scores.rename(
        columns={"train_auc": "original_train_auc", "test_auc": "original_test_auc"}
    ).merge(grouped, left_on="model", right_index=True, how="left")
    return table


def markdown(result: AuditResult, title: str, data_note: str, selection: pd.DataFrame) -> str:
    lines = [f"# {title}", "", f"*Data: {data_note}*", "", "## Findings", ""]
    lines += [f"- {finding}" for finding in result.findings]
    lines += ["", "## AUC by model and split scheme", "", _md_table(auc_table(result)), ""]
    lines += ["## Model selection (parameters vs AUC)", "", _md_table(selection), ""]
    if not result.leaky_features.empty:
        lines += [
            "## Single features that predict the label",
            "",
            _md_table(result.leaky_features),
            "",
        ]
    return "\n".join(lines) + "\n"


def _md_table(frame: pd.DataFrame) -> str:
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind == "f":
            frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else f"{v:.3f}")
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def plot_roc(result: AuditResult, dest: str | Path, title: str) -> None:
    fig, ax = plt.subplots(figsize=(6, 5.5))
    for name, (labels, scores) in result.test_scores.items():
        fpr, tpr, _ = roc_curve(labels, scores)
        auc = result.split_scores.set_index("model").loc[name, "test_auc"]
        ax.plot(fpr, tpr, label=f"{name} (AUC {auc:.3f})")
    ax.plot([0, 1], [0, 1], "k:", lw=0.8)
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    _save(fig, dest)


def plot_train_vs_test(result: AuditResult, dest: str | Path, title: str) -> None:
    """Train vs test AUC for every model: the original split and each grouped re-split."""
    fig, ax = plt.subplots(figsize=(6.5, 6))
    cmap = plt.get_cmap("tab10")
    for i, row in enumerate(result.split_scores.itertuples()):
        grouped = result.resplit_scores[result.resplit_scores["model"] == row.model]
        ax.scatter(grouped["train_auc"], grouped["auc"], color=cmap(i), marker="o", s=18, alpha=0.6)
        ax.scatter(
            [row.train_auc],
            [row.test_auc],
            color=cmap(i),
            marker="*",
            s=160,
            edgecolor="black",
            label=row.model,
        )
    values = np.concatenate(
        [
            result.split_scores[["train_auc", "test_auc"]].to_numpy().ravel(),
            result.resplit_scores[["train_auc", "auc"]].to_numpy().ravel(),
        ]
    )
    lo, hi = np.nanmin(values) - 0.02, np.nanmax(values) + 0.02
    ax.plot([lo, hi], [lo, hi], "k:", lw=0.8)
    ax.text(lo + 0.01, hi - 0.03, "above the line: test beats train", fontsize=8)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("train AUC")
    ax.set_ylabel("test AUC")
    ax.set_title(title, fontsize=10)
    ax.legend(
        fontsize=8,
        loc="lower right",
        title="★ original split, ● grouped re-splits",
        title_fontsize=8,
    )
    fig.tight_layout()
    _save(fig, dest)


def _save(fig, dest: str | Path) -> None:
    save_figure(fig, dest)
