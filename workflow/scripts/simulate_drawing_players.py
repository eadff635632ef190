"""Rule simulate_drawing_players: one replicate of the drawing players' study."""

from dsplaybook.atomic import write_csv
from dsplaybook.dadc.player_settings import PlayerStudy
from dsplaybook.dadc.player_study import run_study
from dsplaybook.dadc.round_model import HumanRoundSettings
from dsplaybook.dadc.simulate import replicate_seed
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    seed = replicate_seed(p.seed, int(snakemake.wildcards.replicate))
    methods = p.hyperparameters
    model = HumanRoundSettings(
        **p.round_model, seed=seed, hyperparameters=methods[p.round_model["method"]]
    )
    files = list(snakemake.input.strokes)
    rounds = run_study(files, PlayerStudy(**p.study), model, seed, p.recognized_only, methods)
    write_csv(rounds, snakemake.output.rounds, float_format="%.6f")
    for row in rounds.itertuples():
        log.info(
            "%s round %d: %d drawings made, %d fools, %d rejected by the peer; test error "
            "%.4f, hard %.4f",
            row.strategy, row.round, row.made, row.fools, row.peer_rejected,
            row.test_error, row.hard_error,
        )  # fmt: skip


run_rule(main, snakemake)
