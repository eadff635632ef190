# Input functions, params and targets of the data branch (its rules: ../data.smk).
from dsplaybook.data import fashion_mnist, folder
from dsplaybook.data.datasets import dataset_file
from dsplaybook.data.names import category_filename
from dsplaybook.data.settings import QuickDrawBuild

QUICKDRAW_ID = SETTINGS.quickdraw.dataset_id


def folder_settings(wildcards):
    """The folder dataset's own entry of config `datasets`."""
    return FOLDER_DATASETS[wildcards.folder].to_data()


def folder_images(wildcards):
    """Every image file of the folder: adding, changing or removing one rebuilds the set."""
    return [str(p) for p in folder.image_files(FOLDER_DATASETS[wildcards.folder].path)]


def quickdraw_category_name(wildcards):
    """Map a resources/ file stem back to the configured category name (spaces kept)."""
    for category in SETTINGS.quickdraw.categories:
        if category_filename(category) == f"{wildcards.category}.npy":
            return category
    raise WorkflowError(
        f"resources/quickdraw/*/{wildcards.category}.npy: not among quickdraw.categories; "
        "add the category to config.yaml"
    )


def quickdraw_category_files(wildcards):
    source = SETTINGS.quickdraw.source
    return [
        f"resources/quickdraw/{source}/{category_filename(c)}"
        for c in SETTINGS.quickdraw.categories
    ]


def fashion_mnist_sha256(wildcards):
    return fashion_mnist.expected_sha256(
        wildcards.part, config["fashion_mnist"]["sha256"]
    )


def data_targets():
    ids = SETTINGS.dataset_ids()
    return [str(dataset_file(name)) for name in ids] + expand(
        "results/data/{dataset}_samples.png", dataset=ids
    )
