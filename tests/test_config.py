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
