"""What the self-supervised CNN (`sslcnn`) reaches at a scale of `represent.scale`.

Trains on the training images of results/data/<dataset>.h5 with config.yaml's
`represent.sslcnn` at the given scale, and at the given epochs (the learning rate
follows the whole run's cosine schedule) embeds train and test images and runs the
sweep's own cells (logistic regression and RBF SVM, the default seeds and paired draws,
every budget of config.yaml). Prints one row per checkpoint and method.

    python bench/sslcnn_scales.py [--scale full] [--dataset fashion_mnist] [--at 10 50 100]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="default", choices=["default", "full"])
    parser.add_argument("--dataset", default="fashion_mnist")
    parser.add_argument("--at", type=int, nargs="*", help="epochs to evaluate (default: last)")
    parser.add_argument("--methods", nargs="*", default=["logreg", "svm"])
    args = parser.parse_args()

    from dsplaybook.represent.keras_runtime import configure

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    device = configure(config["seed"], os.cpu_count() or 1)
    import keras

    from dsplaybook.data.datasets import read_mnist_style
    from dsplaybook.label_budget.sweep import SweepSettings, run_cell
    from dsplaybook.represent.autoencoders import embed
    from dsplaybook.represent.selfsupervised import (
        SelfSupervisedSettings,
        train_self_supervised,
    )

    h5 = REPO / "results" / "data" / f"{args.dataset}.h5"
    if not h5.exists():
        print(f"sslcnn_scales: skipped, run `snakemake --cores 2 {h5.relative_to(REPO)}` first")
        return
    data = read_mnist_style(h5)
    from dsplaybook.settings import load_config

    tree = load_config(config)
    sslcnn = tree.represent.sslcnn.model_copy(update={"scale": args.scale})
    settings = SelfSupervisedSettings.from_config(sslcnn.at_scale())
    budget = config["label_budget"]
    sweep = SweepSettings(
        budgets=tuple(budget["budgets"]),
        draws=budget["draws"],
        seed=config["seed"],
        pool_size=budget["pool_size"],
    )
    checkpoints = set(args.at or [settings.epochs])
    started = time.perf_counter()
    print(f"{platform.node()} {os.cpu_count()} cores, {device}; {args.dataset}, {settings}")
    print("epochs | train s | method | " + " | ".join(str(b) for b in sweep.budgets))

    class Evaluate(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 not in checkpoints:
                return
            seconds = time.perf_counter() - started
            encoder = self.model.encoder
            x_tr, x_te = embed(encoder, data.x_train), embed(encoder, data.x_test)
            for method in args.methods:
                cell = run_cell(x_tr, data.y_train, x_te, data.y_test, method, sweep)
                by_budget = cell.groupby("budget")["accuracy"].agg(["mean", "std"])
                figures = " | ".join(
                    f"{100 * r['mean']:.1f} ± {100 * r['std']:.1f}" for _, r in by_budget.iterrows()
                )
                print(f"{epoch + 1} | {seconds:.0f} | {method} | {figures}", flush=True)

    train_self_supervised(data.x_train, settings, config["seed"], callbacks=[Evaluate()])


if __name__ == "__main__":
    main()
