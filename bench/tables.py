"""Tables labelled with few labels: the figures docs/benchmarks.md and docs/tables.md quote.

Reads a finished table sweep (`snakemake --configfile docs/examples/tables.yaml`) and
prints, per budget, the best cell's scores with random and with chosen labels (mean ± sd
over draws), the all-labels reference, the labels needed to reach a share of it, and the
audit's findings.

    python bench/tables.py [--dataset ai4i] [--results results] [--scores a,b]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from dsplaybook.label_budget.sweep import best_per_budget


def cell(row: pd.Series, score: str) -> str:
    return f"{row[f'{score}_mean']:.3f} ± {row[f'{score}_sd']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="ai4i")
    parser.add_argument("--results", default="results")
    parser.add_argument("--metric", default="", help="the score that picks the best cell")
    parser.add_argument("--scores", default="average_precision,recall_at_precision")
    args = parser.parse_args()
    folder = Path(args.results) / "label_budget" / args.dataset
    summary = pd.read_csv(folder / "summary.csv")
    needed = pd.read_csv(folder / "labels_needed.csv")
    metric = args.metric or str(needed["metric"].iloc[0])
    scores = args.scores.split(",")
    reference_budget = summary["budget"].max()
    swept = summary[summary["budget"] < reference_budget]
    best = best_per_budget(swept, metric=metric)
    header = " | ".join(f"{s} (best cell)" for s in scores)
    print(f"{args.dataset}: best cell per budget by {metric}, mean ± sd over draws\n")
    print(f"| selection | labels | cell | {header} |")
    print("|---" * (3 + len(scores)) + "|")
    for _, row in best.iterrows():
        values = " | ".join(cell(row, s) for s in scores)
        print(f"| {row['selection']} | {row['budget']} | {row['features']} + {row['method']} | "
              f"{values} |")  # fmt: skip
    top = summary[summary["budget"] == reference_budget]
    reference = top.sort_values(f"{metric}_mean", ascending=False).iloc[0]
    values = " | ".join(f"{reference[f'{s}_mean']:.3f}" for s in scores)
    print(f"| all labels | {reference_budget} | {reference['features']} + "
          f"{reference['method']} | {values} |")  # fmt: skip
    print("\nlabels needed (best cell, log-interpolated between swept budgets; blank: never)")
    for _, row in needed.iterrows():
        labels = "never" if pd.isna(row["labels"]) else f"{row['labels']:.0f}"
        print(f"  {row['selection']}: {row['goal_is']} = {row['goal']:.3f} -> {labels} "
              f"({row['cell'] if isinstance(row['cell'], str) else ''})")  # fmt: skip
    findings = Path(args.results) / "audit" / args.dataset / "findings.txt"
    if findings.exists():
        print("\n" + findings.read_text())


if __name__ == "__main__":
    main()
