"""Rule evaluate_human_rounds: the DADC measure over the rounds people drew."""

from dsplaybook.atomic import write_csv
from dsplaybook.dadc.drawing_store import DrawingStore
from dsplaybook.dadc.hard_test_set import read_hard_mask
from dsplaybook.dadc.human_rounds import evaluate_rounds, plot_rounds
from dsplaybook.dadc.round_model import HumanRoundSettings
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    settings = HumanRoundSettings.from_config(
        p.human, seed=p.seed, hyperparameters=p.hyperparameters
    )
    data = read_mnist_style(snakemake.input.h5)
    hard = read_hard_mask(snakemake.input.hard, len(data.y_test))
    store = DrawingStore(snakemake.input.store, readonly=True)
    drawings, verdicts, facts = store.drawings(), store.verdicts(), store.round_facts()
    table = evaluate_rounds(data, hard, drawings, store.rounds(), settings, verdicts, facts)
    write_csv(table, snakemake.output.rounds, float_format="%.6f")
    plot_rounds(table, snakemake.wildcards.dataset, snakemake.output.plot)
    for row in table.itertuples():
        log.info(
            "round %d: %d drawings, fool rate %.2f, vMER %.2f, rejected %.2f, next model "
            "fooled %.2f, test error %.4f",
            row.round, row.drawings, row.fool_rate, row.vmer, row.rejection_rate,
            row.next_model_fooled_rate, row.test_error,
        )  # fmt: skip


run_rule(main, snakemake)
