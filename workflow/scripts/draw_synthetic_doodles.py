"""Rule draw_synthetic_doodles: labelled offline stand-ins in QuickDraw's format."""

import numpy as np

from dsplaybook.atomic import atomic_path
from dsplaybook.logs import log_to_file
from dsplaybook.synthetic_doodles import draw_category

log = log_to_file(snakemake.log[0])
bitmaps = draw_category(
    snakemake.params.category, snakemake.params.n_drawings, snakemake.params.seed
)
with atomic_path(snakemake.output.npy) as tmp, open(tmp, "wb") as fh:
    np.save(fh, bitmaps)
log.info("drew %d synthetic %r doodles", len(bitmaps), snakemake.params.category)
