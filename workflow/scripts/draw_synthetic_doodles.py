"""Rule draw_synthetic_doodles: labelled offline stand-ins in QuickDraw's format."""

from dsplaybook.data.doodles import write_category
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    n = write_category(snakemake.output.npy, p.category, p.n_drawings, p.seed)
    log.info("drew %d synthetic %r doodles", n, p.category)


run_rule(main, snakemake)
