"""Rule download_quickdraw: one category's numpy bitmaps, mirror first."""

from dsplaybook import quickdraw
from dsplaybook.download import RetryPolicy, fetch_verified
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log_to_file(snakemake.log[0])
    category = snakemake.params.category
    cfg = snakemake.config["quickdraw"]
    fetch_verified(
        snakemake.output.npy,
        url=quickdraw.category_url(cfg["url"], category) if cfg["url"] else None,
        mirror_files=quickdraw.mirror_candidates(cfg["mirror"], category) if cfg["mirror"] else (),
        check=quickdraw.check_bitmap_file,
        fix_hint=(
            f"check that {category!r} is a QuickDraw category (exact spelling, spaces allowed) "
            f"or set quickdraw.mirror to a folder holding '{category}.npy'"
        ),
        retry=RetryPolicy.from_config(snakemake.config["download"]),
    )


exit_on_input_error(main, snakemake.log[0])
