"""Rule build_quickdraw: per-category bitmaps -> one MNIST-style HDF5, seeded split."""

from dsplaybook.datasets import write_mnist_style
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file
from dsplaybook.quickdraw import combine_categories, load_category


def main() -> None:
    log = log_to_file(snakemake.log[0])
    p = snakemake.params
    synthetic = p.source == "synthetic"
    per_class = [load_category(path, p.per_category) for path in snakemake.input.categories]
    data = combine_categories(
        per_class,
        list(p.categories),
        test_fraction=p.test_fraction,
        seed=p.seed,
        source=(
            "SYNTHETIC doodles drawn by dsplaybook (not Google QuickDraw)"
            if synthetic
            else "Google QuickDraw numpy_bitmap (CC BY 4.0)"
        ),
        synthetic=synthetic,
    )
    write_mnist_style(snakemake.output.h5, data)
    log.info(
        "wrote %d train / %d test images of %s", len(data.x_train), len(data.x_test), p.categories
    )


exit_on_input_error(main, snakemake.log[0])
