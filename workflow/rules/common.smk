# Config validation and helper functions. No rules here.
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError

from dsplaybook import fashion_mnist, quickdraw, synthetic_doodles
from dsplaybook.config import load_schema, validate_config
from dsplaybook.errors import ConfigError

SCHEMA = Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml"


def _check_config_semantics(cfg):
    """Rules the JSON schema cannot express, each a one-line ConfigError."""
    qd = cfg["quickdraw"]
    files = [quickdraw.category_filename(c) for c in qd["categories"]]
    if len(set(files)) != len(files):
        raise ConfigError(
            "config: key 'quickdraw.categories': two names differ only by space/underscore; "
            "keep one of them"
        )
    if qd["source"] == "synthetic":
        unknown = [c for c in qd["categories"] if c not in synthetic_doodles.SHAPES]
        if unknown:
            raise ConfigError(
                f"config: key 'quickdraw.categories': cannot synthesise {unknown[0]!r}; "
                f"synthetic source draws only {', '.join(sorted(synthetic_doodles.SHAPES))}; "
                "set quickdraw.source: official for real QuickDraw categories"
            )


try:
    validate_config(config, load_schema(SCHEMA))
    _check_config_semantics(config)
except ConfigError as err:
    # One line, no traceback: the message names the key and the fix.
    sys.exit(f"dsplaybook error: {err}")


# ---- datasets ---------------------------------------------------------------

QUICKDRAW_ID = (
    "quickdraw"
    if config["quickdraw"]["source"] == "official"
    else "quickdraw_synthetic"
)
FASHION_MNIST_FILES = fashion_mnist.FILES


def dataset_ids():
    """Dataset names as they appear in results/ (quickdraw is marked when synthetic)."""
    return [QUICKDRAW_ID if d == "quickdraw" else d for d in config["datasets"]]


def quickdraw_category_name(wildcards):
    """Map a resources/ file stem back to the configured category name (spaces kept)."""
    for category in config["quickdraw"]["categories"]:
        if quickdraw.category_filename(category) == f"{wildcards.category}.npy":
            return category
    raise WorkflowError(
        f"resources/quickdraw/*/{wildcards.category}.npy: not among quickdraw.categories; "
        "add the category to config.yaml"
    )


def quickdraw_category_files(wildcards):
    folder = "official" if config["quickdraw"]["source"] == "official" else "synthetic"
    return [
        f"resources/quickdraw/{folder}/{quickdraw.category_filename(c)}"
        for c in config["quickdraw"]["categories"]
    ]


def fashion_mnist_sha256(wildcards):
    return config["fashion_mnist"]["sha256"][wildcards.part]


# ---- targets ----------------------------------------------------------------


def data_targets():
    ids = dataset_ids()
    return expand("results/data/{dataset}.h5", dataset=ids) + expand(
        "results/data/{dataset}_samples.png", dataset=ids
    )


def all_targets():
    return data_targets()
