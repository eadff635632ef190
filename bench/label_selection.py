"""Which images to label: the tables docs/benchmarks.md quotes, from a finished sweep.

Reads results/label_budget/<dataset>/summary.csv and labels_needed.csv (run the sweep
first: `make run TARGET=results/label_budget/fashion_mnist/summary.csv`) and prints, per
selection, its best cell's accuracy (mean ± sd) at each budget, the random baseline's
same cell, the pool shares auto-accepted at 95% / 99%, and the labels needed per goal.

    python bench/label_selection.py [--dataset fashion_mnist] [--results results]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from dsplaybook.label_budget.sweep import best_per_budget


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="fashion_mnist")
    parser.add_argument("--results", default="results")
    args = parser.parse_args()
    folder = Path(args.results) / "label_budget" / args.dataset
    summary = pd.read_csv(folder / "summary.csv")
    best = best_per_budget(summary)
    paired = summary.set_index(["selection", "features", "method", "budget"])["accuracy_mean"]
    print("| selection | budget | best cell | accuracy | same cell, random labels | "
          "accepted at 95% (true acc.) | accepted at 99% (true acc.) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for row in best.itertuples():
        baseline = paired.get(("random", row.features, row.method, row.budget), float("nan"))
        print(
            f"| {row.selection} | {row.budget} | {row.features} + {row.method} | "
            f"{row.accuracy_mean:.1%} ± {row.accuracy_sd:.1%} | {baseline:.1%} | "
            f"{row.accept_95_mean:.1%} ({row.accept_95_accuracy_mean:.1%}) | "
            f"{row.accept_99_mean:.1%} ({row.accept_99_accuracy_mean:.1%}) |"
        )
    needed = pd.read_csv(folder / "labels_needed.csv")
    table = needed.pivot(index="selection", columns="goal", values="labels")
    print("\nlabels needed (best cell, log-interpolated between swept budgets; blank: never)")
    print(table.to_string(float_format=lambda v: f"{v:.0f}"))


if __name__ == "__main__":
    main()
