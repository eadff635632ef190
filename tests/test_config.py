from pathlib import Path

import pytest
import yaml

from dsplaybook.config import load_schema, validate_config
from dsplaybook.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")


def test_shipped_config_is_valid_and_equals_schema_defaults():
    shipped = yaml.safe_load((REPO / "config.yaml").read_text())
    filled = validate_config(yaml.safe_load((REPO / "config.yaml").read_text()), SCHEMA)
    defaults = validate_config({}, SCHEMA)
    # config.yaml documents every knob: its values are the schema defaults.
    assert filled == defaults
    assert set(shipped) == set(defaults)


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"seed": "abc"}, "key 'seed': 'abc' is not of type 'integer'"),
        ({"sed": 1}, "unknown key 'sed'"),
        ({"quickdraw": {"per_categry": 5}}, "unknown key 'quickdraw.per_categry'"),
        ({"quickdraw": {"test_fraction": 1.5}}, "key 'quickdraw.test_fraction'"),
        ({"datasets": ["mnist"]}, "key 'datasets.0'"),
        ({"quickdraw": {"source": "web"}}, "key 'quickdraw.source'"),
    ],
)
def test_bad_values_give_one_line_naming_the_key(config, fragment):
    with pytest.raises(ConfigError) as err:
        validate_config(config, SCHEMA)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_defaults_fill_nested_keys_without_overriding_given_ones():
    config = validate_config({"quickdraw": {"per_category": 99}}, SCHEMA)
    assert config["quickdraw"]["per_category"] == 99
    assert config["quickdraw"]["test_fraction"] == 0.2
    assert config["download"]["attempts"] == 3


def test_numbers_given_as_text_by_snakemake_config_are_read_as_numbers():
    # `--config 'quickdraw={per_category: 5000}'` reaches the workflow as text
    config = validate_config(
        {
            "quickdraw": {"per_category": "5000", "test_fraction": "0.25"},
            "label_budget": {"budgets": ["100", "200"]},
            "lineups": {"stack": "false"},
        },
        SCHEMA,
    )
    assert config["quickdraw"]["per_category"] == 5000
    assert config["quickdraw"]["test_fraction"] == 0.25
    assert config["label_budget"]["budgets"] == [100, 200]
    assert config["lineups"]["stack"] is False
    with pytest.raises(ConfigError, match="key 'quickdraw.per_category': '5k'"):
        validate_config({"quickdraw": {"per_category": "5k"}}, SCHEMA)


def _filled(**overrides):
    config = validate_config({}, SCHEMA)
    for path, value in overrides.items():
        node = config
        *parents, leaf = path.split("__")
        for key in parents:
            node = node[key]
        node[leaf] = value
    return config


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"labelling__budget": 300}, "key 'labelling.budget': 300 is not one of"),
        ({"labelling__features": "sift"}, "key 'labelling.features': 'sift'"),
        ({"labelling__method": "svm"}, "set both to best or name both"),
        ({"quickdraw__categories": ["circle", "cat"]}, "cannot synthesise 'cat'"),
        ({"quickdraw__categories": ["ice cream", "ice_cream"]}, "differ only by space"),
        ({"dadc__kmeans_sample": 10}, "key 'dadc.kmeans_sample': 10 images cannot seed"),
        ({"aftershock__source": "files"}, "key 'aftershock.split_list': required"),
        ({"branches": []}, "key 'branches': empty"),
    ],
)
def test_semantic_checks_give_one_line_naming_the_key(overrides, fragment):
    from dsplaybook.config import check_semantics

    check_semantics(validate_config({}, SCHEMA))  # the defaults pass
    with pytest.raises(ConfigError, match=fragment.replace(".", r"\.").replace("(", r"\(")):
        check_semantics(_filled(**overrides))


def test_from_config_rejects_unknown_keys_and_freezes_lists():
    from dsplaybook.learning.sweep import SweepSettings

    settings = SweepSettings.from_config({"budgets": [10, 20], "draws": 2, "pool_size": 5}, seed=3)
    assert settings.budgets == (10, 20) and settings.seed == 3
    assert isinstance(settings.budgets, tuple)  # lists become tuples in frozen settings
    with pytest.raises(ConfigError, match="'knn' is not a setting of SweepSettings"):
        SweepSettings.from_config({"knn": 10})


def test_empty_datasets_warn_only_when_a_branch_needs_images():
    from dsplaybook.config import check_semantics

    assert check_semantics(_filled(branches=["lineups", "aftershock"], datasets=[])) == []
    (warning,) = check_semantics(_filled(datasets=[]))
    assert warning.startswith("config: key 'datasets': empty, so branches data, label_budget")


@pytest.mark.parametrize(
    ("given", "path", "expected"),
    [
        ({"lineups": {"max_per_team": "1"}}, "lineups.max_per_team", 1),
        ({"lineups": {"max_per_team": "null"}}, "lineups.max_per_team", None),
        ({"lineups": {"max_overlap": "4"}}, "lineups.max_overlap", 4),
        ({"lineups": {"max_overlap": "None"}}, "lineups.max_overlap", None),
        ({"lineups": {"lock": ["1234"]}}, "lineups.lock", ["1234"]),  # ids stay text
        ({"lineups": {"pools": {"week1": "a.csv"}}}, "lineups.pools.week1", "a.csv"),
        (
            {
                "lineups": {
                    "roster": {
                        "salary_cap": "50000",
                        "slots": {"QB": "1", "RB": "2"},
                        "flex": [{"positions": ["RB"], "count": "1"}],
                    }
                }
            },
            "lineups.roster",
            {
                "salary_cap": 50000,
                "slots": {"QB": 1, "RB": 2},
                "flex": [{"positions": ["RB"], "count": 1}],
            },
        ),
        ({"lineups": {"roster": "draftkings_nfl"}}, "lineups.roster", "draftkings_nfl"),
        ({"classifiers": {"svm": {"gamma": "0.5"}}}, "classifiers.svm.gamma", 0.5),
        ({"classifiers": {"svm": {"gamma": "auto"}}}, "classifiers.svm.gamma", "auto"),
    ],
)
def test_nested_config_text_takes_the_first_type_the_schema_allows(given, path, expected):
    config = validate_config(given, SCHEMA)
    for key in path.split("."):
        config = config[key]
    assert config == expected and type(config) is type(expected)


def test_hints_keep_e_g_and_broken_nested_values_say_could_not_parse():
    with pytest.raises(ConfigError) as err:
        validate_config({"quickdraw": {"categories": ["caf\u00e9!"]}}, SCHEMA)
    assert "(QuickDraw category names, spaces allowed (e.g. The Eiffel Tower))" in str(err.value)
    with pytest.raises(ConfigError, match="key 'lineups': could not parse '{stack: tru' as a map"):
        validate_config({"lineups": "{stack: tru"}, SCHEMA)
