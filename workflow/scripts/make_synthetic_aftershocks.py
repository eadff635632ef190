"""Rule make_synthetic_aftershocks: documented synthetic grids + split list, same columns."""

from dsplaybook.aftershock.aftershock_synthetic import SyntheticSettings, write_synthetic_folder
from dsplaybook.logs import run_rule


def main(log) -> None:
    settings = SyntheticSettings.from_config(snakemake.params.synthetic)
    split, n_rows = write_synthetic_folder(settings, snakemake.output.grids)
    log.info(
        "SYNTHETIC: %d slip models of %d earthquakes, %d rows; split %s",
        len(split),
        split["ID"].nunique(),
        n_rows,
        split["Original"].value_counts().to_dict(),
    )


run_rule(main, snakemake)
