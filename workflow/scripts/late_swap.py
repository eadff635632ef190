"""Rule late_swap: the submitted upload file -> the same file with every lineup's
players in games not yet started re-optimised."""

from dsplaybook.atomic import write_csv
from dsplaybook.lineups.late_swap import late_swap, started_players
from dsplaybook.lineups.optimize import LineupSettings
from dsplaybook.lineups.player_pool import PoolSettings, load_pool, projection_files
from dsplaybook.lineups.presets import roster_rules
from dsplaybook.lineups.settings import LateSwap
from dsplaybook.lineups.upload import read_upload
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    rules = roster_rules(p.roster)
    settings = LineupSettings.from_config(p.settings)
    swap = LateSwap.from_config(p.swap)
    pool_settings = PoolSettings.from_config(p.pool)
    # read every player, injured too (a submitted lineup may hold one who is out now);
    # then an injured player in a game not yet started is swapped out like an excluded one
    pool = load_pool(
        snakemake.input.pool,
        pool_settings.model_copy(update={"drop_injured": False}),
        rules,
        projections=projection_files(p),
    )
    rules = rules.for_pool(pool["position"])
    submitted = read_upload(snakemake.input.submitted, pool, rules)
    started = started_players(pool, swap.started, swap.at)
    if pool_settings.drop_injured:
        out = pool["injury"].str.upper().isin({s.upper() for s in pool_settings.injury_statuses})
        injured = tuple(pool["id"][out.to_numpy() & ~started].astype(str))
        settings = settings.model_copy(update={"exclude": (*settings.exclude, *injured)})
        log.info("%d injured players in games not started are left out", len(injured))
    log.info("%d players in started games stay where they are", int(started.sum()))
    swapped = late_swap(pool, rules, settings, submitted, started)
    for note in swapped.notes:
        log.warning("%s", note)
    out = submitted.with_lineups(pool, swapped.lineups, swapped.slots, rules)
    write_csv(out, snakemake.output.upload, header=False)
    points = pool["projection"].to_numpy()
    before = sum(points[x].sum() for x in submitted.lineups)
    after = sum(points[x].sum() for x in swapped.lineups)
    log.info(
        "%d lineups swapped: %.2f projected points in all before, %.2f after",
        len(swapped.lineups),
        before,
        after,
    )


run_rule(main, snakemake)
