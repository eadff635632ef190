# Input functions, params and targets of the data branch (its rules: ../data.smk).
from dsplaybook.data import fashion_mnist, folder
from dsplaybook.data.tables import resource_path, table_files
from dsplaybook.data.datasets import dataset_file
from dsplaybook.data.names import category_filename, category_suffix
from dsplaybook.data.settings import QuickDrawBuild

QUICKDRAW_ID = SETTINGS.quickdraw.dataset_id


def folder_settings(wildcards):
    """The folder dataset's own entry of config `datasets`."""
    return FOLDER_DATASETS[wildcards.folder].to_data()


def folder_images(wildcards):
    """Every image file of the folder: adding, changing or removing one rebuilds the set."""
    return [str(p) for p in folder.image_files(FOLDER_DATASETS[wildcards.folder].path)]


def table_settings(wildcards):
    """The table dataset's own entry of config `datasets`, less its sweep block (changing
    the sweep re-fetches and rebuilds nothing)."""
    return TABLE_DATASETS[wildcards.table].model_dump(mode="json", exclude={"sweep"})


def table_file_names(wildcards):
    """The table's fetched file(s): the training file, then the test file if any."""
    t = TABLE_DATASETS[wildcards.table]
    return [str(resource_path(t.name, f)) for f in table_files(t)]


def table_file_name(wildcards):
    """The file a download_table job fetches (one of the table's, checked)."""
    if wildcards.file not in table_files(TABLE_DATASETS[wildcards.table]):
        raise WorkflowError(
            f"resources/tables/{wildcards.table}/{wildcards.file}: not a file of dataset "
            f"{wildcards.table}; check its file and test_file in config"
        )
    return wildcards.file


def quickdraw_category_name(wildcards):
    """Map a resources/ file stem back to the configured category name (spaces kept)."""
    for category in SETTINGS.quickdraw.categories:
        if category_filename(category, "") == wildcards.category:
            return category
    raise WorkflowError(
        f"resources/quickdraw/*/{wildcards.category}.*: not among quickdraw.categories; "
        "add the category to config.yaml"
    )


def quickdraw_category_files(wildcards):
    source = SETTINGS.quickdraw.source
    suffix = category_suffix(source)
    return [
        f"resources/quickdraw/{source}/{category_filename(c, suffix)}"
        for c in SETTINGS.quickdraw.categories
    ]


def fashion_mnist_sha256(wildcards):
    return fashion_mnist.expected_sha256(
        wildcards.part, config["fashion_mnist"]["sha256"]
    )


def data_targets():
    ids = SETTINGS.dataset_ids()
    tables = list(TABLE_DATASETS)
    return (
        [str(dataset_file(name)) for name in ids + tables]
        + expand("results/data/{dataset}_samples.png", dataset=ids)
        + expand("results/audit/{table}/findings.txt", table=tables)
    )
