# Config validation through the settings tree, and the wiring every branch shares
# (wildcard vocabularies from the registries, feature files, the targets of `rule all`).
# No rules here; each branch's own helpers are in helpers/<branch>.smk.
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError

from dsplaybook.dadc.simulate import STRATEGIES
from dsplaybook.errors import ConfigError
from dsplaybook.label_budget.methods import METHODS
from dsplaybook.label_budget.selection import SELECTIONS
from dsplaybook.represent.features import COMBINED, FEATURE_SETS, HANDMADE, LEARNED
from dsplaybook.represent.features import feature_path
from dsplaybook.settings import load_config

# Snakemake deep-merges nested --config values into config.yaml's; for the pools that
# would keep the demo pool beside the user's, so a --config pools mapping replaces them.
_given = workflow.config_settings.config or {}  # the --config values alone
if isinstance(_given.get("lineups"), dict) and "pools" in _given["lineups"]:
    config["lineups"]["pools"] = _given["lineups"]["pools"]

try:
    SETTINGS = load_config(config)
    for warning in SETTINGS.warnings():
        print(f"dsplaybook warning: {warning}", file=sys.stderr)
except ConfigError as err:
    # One line, no traceback: the message names the key and the fix.
    sys.exit(f"dsplaybook error: {err}")
config.clear()
config.update(SETTINGS.to_data())  # every default filled in: what scripts may read


def one_of(names):
    """A wildcard constraint matching exactly the given names (none: matches nothing;
    an empty constraint would match anything)."""
    return "|".join(names) or "(?!)"


# Wildcard vocabularies come from the library's registries, never from hand-written lists.
METHOD_NAMES = one_of(METHODS)
SELECTION_NAMES = one_of(SELECTIONS)
FEATURE_NAMES = one_of(FEATURE_SETS)
LEARNED_NAMES = one_of(LEARNED)
HANDMADE_NAMES = one_of(HANDMADE)
COMBINED_NAMES = one_of(COMBINED)
STRATEGY_NAMES = one_of(STRATEGIES)

BUILTIN_IDS = SETTINGS.builtin_dataset_ids()  # fashion_mnist / quickdraw(_synthetic)
FOLDER_DATASETS = SETTINGS.folder_datasets  # your own image folders, by name
TABLE_DATASETS = SETTINGS.table_datasets  # tables (CSV), by name


def feature_file(dataset, features):
    """The feature file (learned or hand-made) a rule reads; none for raw pixels."""
    path = feature_path(dataset, features)
    return [] if path is None else str(path)


def hyperparameters(method):
    """One method's classifiers block: a rule that reads only it re-runs only for it."""
    return config["classifiers"][method]


def all_targets():
    """Targets of the branches listed in config `branches`."""
    per_branch = {
        "data": data_targets,
        "lineups": lineup_targets,
        "label_budget": label_budget_targets,
        "aftershock": aftershock_targets,
        "dadc": dadc_targets,
    }
    return [t for branch in config["branches"] for t in per_branch[branch]()]
