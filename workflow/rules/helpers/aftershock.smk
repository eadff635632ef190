# Input functions, params and targets of the aftershock branch (its rules: ../aftershock.smk).
from dsplaybook.aftershock.aftershock_data import GRID_NAME, read_split_list
from dsplaybook.errors import InputError


def aftershock_grid_names():
    """File names in the configured split list (source: files), read at parse time."""
    try:
        return list(read_split_list(SETTINGS.aftershock.split_list)["Name"])
    except (InputError, OSError) as err:
        sys.exit(f"dsplaybook error: aftershock.split_list: {err}")


def aftershock_inputs(wildcards):
    if SETTINGS.aftershock.source == "synthetic":
        return {"grids": "resources/aftershock/synthetic"}
    return {
        "split_list": SETTINGS.aftershock.split_list,
        "grid_files": expand(
            "resources/aftershock/grids/{grid_file}", grid_file=aftershock_grid_names()
        ),
    }


def aftershock_targets():
    names = ["audit.md", "auc_table.csv", "roc.png", "train_vs_test.png"]
    return [f"results/aftershock/{name}" for name in names]
