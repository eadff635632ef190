"""Rule download_aftershock_grid: one released *_grid.csv, mirror first."""

from pathlib import Path

import pandas as pd

from dsplaybook.aftershock_data import STRESS_COLUMNS
from dsplaybook.download import ContentError, RetryPolicy, fetch_verified
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def check_grid(path: Path) -> None:
    try:
        header = pd.read_csv(path, nrows=2)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise ContentError(f"not a CSV ({err})") from err
    missing = [c for c in STRESS_COLUMNS if c not in header.columns]
    if missing:
        raise ContentError(f"column {missing[0]!r} missing: not a grid file of the study")


def main() -> None:
    log_to_file(snakemake.log[0])
    name = snakemake.wildcards.grid_file
    cfg = snakemake.config["aftershock"]
    fetch_verified(
        snakemake.output.grid,
        url=cfg["url"].rstrip("/") + "/" + name if cfg["url"] else None,
        mirror_files=[Path(cfg["mirror"]) / name] if cfg["mirror"] else (),
        check=check_grid,
        fix_hint=f"set aftershock.mirror to a folder holding {name} or aftershock.url",
        retry=RetryPolicy.from_config(snakemake.config["download"]),
    )


exit_on_input_error(main, snakemake.log[0])
