"""Rule make_synthetic_aftershocks: documented synthetic grids + split list, same columns."""

import os
import shutil
import tempfile
from pathlib import Path

from dsplaybook.aftershock_synthetic import SyntheticSettings, generate, write
from dsplaybook.logs import log_to_file

log = log_to_file(snakemake.log[0])
settings = SyntheticSettings(**snakemake.params.synthetic)
split, grids = generate(settings)
dest = Path(snakemake.output.grids)
dest.parent.mkdir(parents=True, exist_ok=True)
tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
try:
    write(split, grids, tmp)
    os.replace(tmp, dest)
except BaseException:
    shutil.rmtree(tmp, ignore_errors=True)
    raise
log.info(
    "SYNTHETIC: %d slip models of %d earthquakes, %d rows; split %s",
    len(split),
    split["ID"].nunique(),
    sum(len(g) for g in grids.values()),
    split["Original"].value_counts().to_dict(),
)
