"""Rule simulate_dadc: one collection strategy, one seed, every round."""

from dsplaybook.atomic import write_csv
from dsplaybook.dadc.hard_test_set import read_hard_mask
from dsplaybook.dadc.loop_model import loop_model
from dsplaybook.dadc.simulate import DadcSettings, replicate_seed, simulate
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import train_test_matrices


def main(log) -> None:
    w, p = snakemake.wildcards, snakemake.params
    seed = replicate_seed(p.seed, int(w.replicate))
    if p.model["kind"] == "cnn":
        from dsplaybook.represent.keras_runtime import configure

        configure(seed, snakemake.threads)
    settings = DadcSettings.from_config(p.settings, seed=seed)
    data = read_mnist_style(snakemake.input.h5)
    x_train, x_test = train_test_matrices(data, snakemake.input.features)
    hard = read_hard_mask(snakemake.input.hard, len(x_test))
    model = loop_model(
        p.model, len(data.class_names), snakemake.threads, p.model.get("hyperparameters")
    )
    run = simulate(
        x_train, data.y_train, x_test, data.y_test, hard, w.strategy, settings, model, log.info
    )
    keys = {"dataset": w.dataset, "strategy": w.strategy, "replicate": int(w.replicate)}
    write_csv(run.labelled_rounds(**keys, seed=seed), snakemake.output.rounds)
    write_csv(run.picks, snakemake.output.picks)


run_rule(main, snakemake)
