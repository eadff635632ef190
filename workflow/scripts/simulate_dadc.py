"""Rule simulate_dadc: one collection strategy, one seed, every round."""

from dsplaybook.atomic import atomic_path
from dsplaybook.dadc import DadcSettings, replicate_seed, simulate
from dsplaybook.dadc_models import loop_model_factory
from dsplaybook.datasets import read_mnist_style
from dsplaybook.errors import exit_on_input_error
from dsplaybook.features import train_test_matrices
from dsplaybook.hard_test_set import read_hard_mask
from dsplaybook.logs import log_to_file


def main() -> None:
    log = log_to_file(snakemake.log[0])
    w, p = snakemake.wildcards, snakemake.params
    seed = replicate_seed(p.seed, int(w.replicate))
    if p.dadc["model"]["kind"] == "cnn":
        from dsplaybook.keras_runtime import configure

        configure(seed, snakemake.threads)
    data = read_mnist_style(snakemake.input.h5)
    x_train, x_test = train_test_matrices(data, snakemake.input.features)
    hard = read_hard_mask(snakemake.input.hard, len(x_test))
    settings = DadcSettings(
        rounds=p.dadc["rounds"],
        round_budget=p.dadc["round_budget"],
        initial_labels=p.dadc["initial_labels"],
        seed=seed,
        kmeans_sample=p.dadc["kmeans_sample"],
    )
    n_classes = int(max(data.y_train.max(), data.y_test.max())) + 1
    make_model = loop_model_factory(p.dadc["model"], n_classes, snakemake.threads)
    run = simulate(
        x_train,
        data.y_train,
        x_test,
        data.y_test,
        hard,
        w.strategy,
        settings,
        make_model,
        log.info,
    )
    rounds = run.rounds
    for i, (name, value) in enumerate(
        [
            ("dataset", w.dataset),
            ("strategy", w.strategy),
            ("replicate", int(w.replicate)),
            ("seed", seed),
        ]
    ):
        rounds.insert(i, name, value)
    with atomic_path(snakemake.output.rounds) as tmp:
        rounds.to_csv(tmp, index=False)
    with atomic_path(snakemake.output.picks) as tmp:
        run.picks.to_csv(tmp, index=False)


exit_on_input_error(main, snakemake.log[0])
