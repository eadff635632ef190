"""The settings tree is the config contract: the schema and docs/config.md are generated
from it, config.yaml covers it, every vocabulary comes from its registry, and a bad value
is one line naming the key and the fix."""

from __future__ import annotations

import inspect
import re
import typing

import pytest
import yaml
from conftest import REPO
from pydantic import BaseModel, Field, create_model

from dsplaybook import settings_export
from dsplaybook.dadc.loop_model import LOOP_METHODS
from dsplaybook.dadc.simulate import STRATEGIES
from dsplaybook.errors import ConfigError
from dsplaybook.label_budget.graph import GraphSpreading, GraphSvmEnsemble
from dsplaybook.label_budget.methods import METHODS
from dsplaybook.label_budget.selection import SELECTIONS
from dsplaybook.label_budget.sweep import SweepSettings
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.represent.features import FEATURE_SETS
from dsplaybook.settings import Config, load_config


def shipped() -> dict:
    return yaml.safe_load((REPO / "config.yaml").read_text())


# ---- generated files ----------------------------------------------------------------


def test_committed_schema_is_the_one_the_tree_generates():
    committed = (REPO / settings_export.SCHEMA_PATH).read_text()
    assert committed == settings_export.schema_text(), "run `make settings` and commit"


def test_committed_config_reference_is_the_one_the_tree_generates():
    committed = (REPO / settings_export.REFERENCE_PATH).read_text()
    assert committed == settings_export.reference_text(), "run `make settings` and commit"


def test_a_new_field_changes_the_generated_schema(monkeypatch):
    # what the two tests above catch: a field added without regenerating
    grown = create_model("Config", __base__=Config, extra_knob=(int, Field(1)))
    monkeypatch.setattr(settings_export, "Config", grown)
    assert "extra_knob" in settings_export.schema_text()
    assert settings_export.schema_text() != (REPO / settings_export.SCHEMA_PATH).read_text()


# ---- config.yaml ----------------------------------------------------------------------


def tree_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key of the tree, nested blocks included (a mapping of blocks: its entries)."""
    keys = []
    for name, info in model.model_fields.items():
        keys.append(prefix + name)
        block = info.annotation
        if isinstance(block, type) and issubclass(block, BaseModel):
            keys += tree_keys(block, f"{prefix}{name}.")
    return keys


def dig(data: dict, key: str):
    for part in key.split("."):
        data = data[part]
    return data


def test_config_yaml_validates_and_holds_the_defaults():
    assert load_config(shipped()).to_data() == Config().to_data()


def test_every_key_of_the_tree_appears_in_config_yaml():
    data = shipped()
    missing = []
    for key in tree_keys(Config):
        try:
            dig(data, key)
        except (KeyError, TypeError):
            missing.append(key)
    assert not missing, f"config.yaml lacks {missing}"


def test_tree_keys_walk_nested_blocks():
    keys = tree_keys(Config)
    assert {"lineups.simulation.n_sims", "classifiers.graphsvm.gamma", "dadc.human.method"} <= set(
        keys
    )


# ---- one-line errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"seed": "abc"}, "key 'seed': 'abc': Input should be a valid integer"),
        ({"sed": 1}, "unknown key 'sed'"),
        ({"quickdraw": {"per_categry": 5}}, "unknown key 'quickdraw.per_categry'"),
        ({"quickdraw": {"test_fraction": 1.5}}, "key 'quickdraw.test_fraction': 1.5"),
        ({"datasets": ["mnist"]}, "key 'datasets.0': 'mnist'"),
        ({"quickdraw": {"source": "web"}}, "key 'quickdraw.source': 'web'"),
        (
            {"datasets": [{"name": "x", "source": "folder"}]},
            "key 'datasets.0.path': Field required",
        ),
        ({"label_budget": {"budgets": [100, 100]}}, "100 is listed twice"),
        (
            {"lineups": {"roster": {"salary_cap": 1, "slots": {"RB": [2]}}}},
            "'lineups.roster.slots.RB'",
        ),
        (
            {"lineups": {"pools": {"a": {"path": "", "roster": "yahoo"}}}},
            "'lineups.pools.a.roster'",
        ),
        ({"dadc": {"scale": "huge"}}, "scale 'huge' is not among scales ['demo', 'full']"),
        (
            {"quickdraw": {"categories": ["caf\u00e9!"]}},
            "(QuickDraw category names, spaces allowed",
        ),
        ({"lineups": "{stack: tru"}, "key 'lineups': could not parse '{stack: tru' as a mapping"),
    ],
)
def test_bad_values_give_one_line_naming_the_key(config, fragment):
    with pytest.raises(ConfigError) as err:
        load_config(config)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"labelling": {"budget": 300}}, "key 'labelling.budget': 300 is not one of"),
        ({"labelling": {"features": "sift"}}, "key 'labelling.features': 'sift'"),
        ({"labelling": {"method": "svm"}}, "set both to best or name both"),
        ({"quickdraw": {"categories": ["circle", "cat"]}}, "cannot synthesise 'cat'"),
        ({"dadc": {"kmeans_sample": 10}}, "key 'dadc.kmeans_sample': 10 images cannot seed"),
        ({"aftershock": {"source": "files"}}, "key 'aftershock.split_list': required"),
        ({"branches": []}, "key 'branches': empty"),
        ({"labelling": {"features": "auto", "method": "svm"}}, "set both to auto or name both"),
        (
            {"label_budget": {"methods": ["svm", "graphspread"]}},
            "key 'label_budget.selection_cells': 'hog2_scattering_pca:graphsvm' matches no swept "
            "cell",
        ),
    ],
)
def test_checks_across_keys_live_on_the_models(config, fragment):
    with pytest.raises(ConfigError, match=re.escape(fragment)):
        load_config(config)


def test_selection_cells_need_only_match_when_chosen_selections_run():
    only_random = {"methods": ["svm"], "selections": ["random"]}
    assert load_config({"label_budget": only_random}).label_budget.methods == ("svm",)
    wildcard = {"methods": ["svm"], "selection_cells": ["fashion_mnist/*:svm"]}
    assert load_config({"label_budget": wildcard}).label_budget.selection_cells


def test_a_folder_dataset_needs_no_named_cell():  # best without a sweep: cross-validation
    folder = {"datasets": [{"name": "mine", "source": "folder", "path": "/x"}]}
    assert load_config(folder).labelling.features == "best"
    assert load_config({**folder, "labelling": {"features": "auto", "method": "auto"}})


def test_empty_datasets_warn_only_when_a_branch_needs_images():
    assert load_config({"branches": ["lineups", "aftershock"], "datasets": []}).warnings() == []
    (warning,) = load_config({"datasets": []}).warnings()
    assert warning.startswith("config: key 'datasets': empty, so branches data, label_budget")


def test_defaults_fill_nested_keys_without_overriding_given_ones():
    config = load_config({"quickdraw": {"per_category": 99}})
    assert config.quickdraw.per_category == 99
    assert config.quickdraw.test_fraction == 0.2
    assert config.download.attempts == 3


@pytest.mark.parametrize(
    ("given", "path", "expected"),
    [
        ({"quickdraw": {"per_category": "5000"}}, "quickdraw.per_category", 5000),
        ({"quickdraw": {"test_fraction": "0.25"}}, "quickdraw.test_fraction", 0.25),
        ({"label_budget": {"budgets": ["100", "200"]}}, "label_budget.budgets", [100, 200]),
        ({"lineups": {"stack": "false"}}, "lineups.stack.qb_receivers", 0),
        ({"lineups": {"stack": {"bring_back": "1"}}}, "lineups.stack.bring_back", 1),
        ({"lineups": {"min_games": "site"}}, "lineups.min_games", "site"),
        ({"lineups": {"max_per_team": "1"}}, "lineups.max_per_team", 1),
        ({"lineups": {"max_per_team": "null"}}, "lineups.max_per_team", None),
        ({"lineups": {"max_overlap": "None"}}, "lineups.max_overlap", None),
        ({"lineups": {"lock": ["1234"]}}, "lineups.lock", ["1234"]),  # ids stay text
        ({"lineups": {"pools": {"week1": "a.csv"}}}, "lineups.pools.week1", "a.csv"),
        ({"lineups": {"roster": "draftkings_nfl"}}, "lineups.roster", "draftkings_nfl"),
        (
            {"lineups": {"roster": {"salary_cap": "50000", "slots": {"QB": "1"}}}},
            "lineups.roster.slots",
            {"QB": 1},
        ),
        ({"classifiers": {"svm": {"gamma": "0.5"}}}, "classifiers.svm.gamma", 0.5),
        ({"classifiers": {"svm": {"gamma": "auto"}}}, "classifiers.svm.gamma", "auto"),
    ],
)
def test_text_from_snakemake_config_is_read_as_the_fields_type(given, path, expected):
    if "budgets" in str(given):
        given = {**given, "labelling": {"budget": 100}}
    value = dig(load_config(given).to_data(), path)
    assert value == expected and type(value) is type(expected)


def test_from_config_rejects_unknown_keys_and_freezes_lists():
    settings = SweepSettings.from_config({"budgets": [10, 20], "draws": 2, "pool_size": 5}, seed=3)
    assert settings.budgets == (10, 20) and settings.seed == 3
    assert isinstance(settings.budgets, tuple)  # lists become tuples in frozen settings
    with pytest.raises(ConfigError, match="unknown key 'knn'"):
        SweepSettings.from_config({"knn": 10}, seed=1)


# ---- vocabularies and defaults have one home --------------------------------------------


def literal_names(annotation) -> list[str]:
    """The names a (possibly nested) Literal field allows, in order."""
    for arg in typing.get_args(annotation) or ():
        found = literal_names(arg)
        if found:
            return found
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return []


def field(path: str):
    model, *parents, leaf = [Config, *path.split(".")]
    for name in parents:
        model = model.model_fields[name].annotation
    return model.model_fields[leaf].annotation


VOCABULARIES = [
    ("label_budget.methods", list(METHODS)),
    ("label_budget.features", list(FEATURE_SETS)),
    ("label_budget.selections", list(SELECTIONS)),
    ("label_budget.selection.features", list(FEATURE_SETS)),
    ("dadc.model.features", list(FEATURE_SETS)),
    ("dadc.hard_test.features", list(FEATURE_SETS)),
    ("dadc.model.method", list(LOOP_METHODS)),
    ("dadc.hard_test.method", list(LOOP_METHODS)),
    ("dadc.human.method", list(LOOP_METHODS)),
    ("dadc.strategies", list(STRATEGIES)),
    ("lineups.roster", list(PRESETS)),
    ("labelling.queue.strategy", ["auto", *SELECTIONS]),
    ("labelling.queue.features", list(FEATURE_SETS)),
    ("labelling.queue.method", list(LOOP_METHODS)),
    ("labelling.features", ["best", "auto", *FEATURE_SETS]),
    ("labelling.method", ["best", "auto", *METHODS]),
]


@pytest.mark.parametrize(("path", "registry"), VOCABULARIES, ids=[v[0] for v in VOCABULARIES])
def test_vocabularies_are_the_registries(path, registry):
    assert literal_names(field(path)) == registry


def test_every_method_has_its_classifiers_block_and_no_other_defaults():
    assert list(Config.model_fields["classifiers"].annotation.model_fields) == list(METHODS)
    for name, method in METHODS.items():
        assert Config.model_fields["classifiers"].annotation.model_fields[name].annotation is (
            method.params
        )


@pytest.mark.parametrize(
    ("estimator", "block"), [(GraphSpreading, "graphspread"), (GraphSvmEnsemble, "graphsvm")]
)
def test_estimator_defaults_are_the_trees(estimator, block):
    tree = getattr(Config().classifiers, block).to_data()
    signature = inspect.signature(estimator)
    shared = {k: signature.parameters[k].default for k in tree if k in signature.parameters}
    assert shared == tree


def test_rule_files_hold_no_hand_written_vocabulary():
    names = [*METHODS, *STRATEGIES, *FEATURE_SETS]
    for smk in (REPO / "workflow" / "rules").glob("*.smk"):
        for line in smk.read_text().splitlines():
            if line.lstrip().startswith("#"):
                continue
            for text in re.findall(r"\"([^\"]*\|[^\"]*)\"", line):
                listed = set(text.split("|")) & set(names)
                assert not listed, f"{smk.name}: hand-written list {text!r}"
