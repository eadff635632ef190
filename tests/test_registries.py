"""Each vocabulary has one registry in the library; the schema and the settings
dataclasses must agree with it, so a name or a default is never kept in step by hand."""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import REPO

from dsplaybook.audit.aftershock_synthetic import SyntheticSettings
from dsplaybook.config import load_schema, validate_config
from dsplaybook.dadc.loop_model import LOOP_METHODS
from dsplaybook.dadc.simulate import STRATEGIES, DadcSettings
from dsplaybook.data.download import RetryPolicy
from dsplaybook.learning.methods import METHODS
from dsplaybook.learning.queue import QUEUE_STRATEGIES
from dsplaybook.learning.sweep import SweepSettings
from dsplaybook.lineups.bookcases import BookcaseProblem
from dsplaybook.lineups.rosters import PRESETS
from dsplaybook.lineups.simulation import SimulationSettings
from dsplaybook.represent.autoencoders import NetworkSettings
from dsplaybook.represent.features import FEATURE_SETS
from dsplaybook.represent.selfsupervised import SelfSupervisedSettings

SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")


def schema_at(path: str) -> dict:
    node = SCHEMA
    for key in path.split("."):
        node = node["properties"][key]
    return node


def defaults() -> dict:
    return validate_config({}, SCHEMA)


def dig(config: dict, path: str):
    for key in path.split("."):
        config = config[key]
    return config


ENUMS = [
    ("label_budget.methods", lambda s: s["items"]["enum"], list(METHODS)),
    ("label_budget.features", lambda s: s["items"]["enum"], list(FEATURE_SETS)),
    ("dadc.model.features", lambda s: s["enum"], list(FEATURE_SETS)),
    ("dadc.hard_test.features", lambda s: s["enum"], list(FEATURE_SETS)),
    ("dadc.model.method", lambda s: s["enum"], list(LOOP_METHODS)),
    ("dadc.hard_test.method", lambda s: s["enum"], list(LOOP_METHODS)),
    ("dadc.strategies", lambda s: s["items"]["enum"], list(STRATEGIES)),
    ("lineups.roster", lambda s: s["oneOf"][0]["enum"], list(PRESETS)),
    ("classifiers", lambda s: list(s["properties"]), list(METHODS)),
    ("labelling.queue.strategy", lambda s: s["enum"], list(QUEUE_STRATEGIES)),
    ("labelling.queue.features", lambda s: s["enum"], list(FEATURE_SETS)),
    ("labelling.queue.method", lambda s: s["enum"], list(LOOP_METHODS)),
    ("dadc.human.method", lambda s: s["enum"], list(LOOP_METHODS)),
]


@pytest.mark.parametrize(("path", "enum", "registry"), ENUMS, ids=[e[0] for e in ENUMS])
def test_schema_vocabularies_equal_the_registries(path, enum, registry):
    assert enum(schema_at(path)) == registry, f"schema {path} and its registry differ"


@pytest.mark.parametrize("method", list(METHODS))
def test_classifier_defaults_in_schema_equal_the_registry(method):
    assert defaults()["classifiers"][method] == dict(METHODS[method].defaults)


SETTINGS = [
    (SweepSettings, "label_budget"),
    (DadcSettings, "dadc.scales.demo"),
    (DadcSettings, "dadc"),
    (SimulationSettings, "lineups.simulation"),
    (SyntheticSettings, "aftershock.synthetic"),
    (BookcaseProblem, "optimization.bookcases"),
    (RetryPolicy, "download"),
    (NetworkSettings, "represent.cvae"),
    (SelfSupervisedSettings, "represent.sslcnn"),
]


@pytest.mark.parametrize(("cls", "path"), SETTINGS, ids=[f"{c.__name__}-{p}" for c, p in SETTINGS])
def test_dataclass_defaults_equal_the_schema(cls, path):
    block = dig(defaults(), path)
    shared = [f for f in dataclasses.fields(cls) if f.name in block]
    assert shared, f"{cls.__name__} shares no key with {path}"
    for f in shared:
        if f.default is dataclasses.MISSING or f.default == ():
            continue  # no competing default ('()' = a layer list this network kind lacks)
        value = block[f.name]
        value = tuple(value) if isinstance(value, list) else value
        assert f.default == value, f"{cls.__name__}.{f.name}={f.default!r}, schema {value!r}"


def test_rule_files_hold_no_hand_written_vocabulary():
    names = [*METHODS, *STRATEGIES, *FEATURE_SETS]
    for smk in (REPO / "workflow" / "rules").glob("*.smk"):
        for line in smk.read_text().splitlines():
            if line.lstrip().startswith("#"):
                continue
            quoted = re.findall(r"\"([^\"]*\|[^\"]*)\"", line)
            for text in quoted:
                listed = set(text.split("|")) & set(names)
                assert not listed, f"{smk.name}: hand-written list {text!r}"
