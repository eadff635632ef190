"""Rule download_fashion_mnist: one verified idx file, mirror first."""

from dsplaybook import fashion_mnist
from dsplaybook.download import RetryPolicy, expect_sha256, fetch_verified
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log_to_file(snakemake.log[0])
    part = snakemake.wildcards.part
    cfg = snakemake.config["fashion_mnist"]
    mirror = cfg["mirror"]
    fetch_verified(
        snakemake.output.idx,
        url=cfg["url"].rstrip("/") + f"/{part}.gz" if cfg["url"] else None,
        mirror_files=fashion_mnist.mirror_candidates(mirror, part) if mirror else (),
        check=expect_sha256(snakemake.params.sha256),
        fix_hint=(
            f"set fashion_mnist.mirror to a folder holding {part}.gz "
            "(e.g. run `make setup` for Debian's copy) or check the network/URL"
        ),
        retry=RetryPolicy.from_config(snakemake.config["download"]),
    )


exit_on_input_error(main, snakemake.log[0])
