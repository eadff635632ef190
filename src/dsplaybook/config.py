"""The one way from config to code: schema validation with defaults filled in, the
checks the schema cannot express, and ``from_config`` for every settings dataclass.

Errors are one line naming the key, the bad value and what is allowed, so a typo in
``--config`` stops the run before any job starts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from dsplaybook.errors import ConfigError

_NULL_TEXT = ("null", "none", "~")


def _scalar_from_text(text: str, schema: Mapping) -> Any:
    """Snakemake's ``--config key={nested: 5}`` hands nested values over as text ('5',
    'null', 'false'); read text as the first type the schema allows that it parses as
    (in the schema's order, so a string-typed key keeps its text)."""
    kinds = schema.get("type", [])
    stripped = text.strip()
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        if kind == "string":
            return text
        if kind == "null" and stripped.lower() in _NULL_TEXT:
            return None
        if kind == "boolean" and stripped.lower() in ("true", "false"):
            return stripped.lower() == "true"
        if kind == "integer" and re.fullmatch(r"[+-]?\d+", stripped):
            return int(stripped)
        if kind == "number":
            try:
                return float(stripped)
            except ValueError:
                pass
    return text


def from_text(value: Any, schema: Mapping) -> Any:
    """``value`` with every text leaf read as the schema expects it there, through
    properties, additionalProperties, items, oneOf and anyOf (a oneOf branch wins when
    the converted value is valid against it)."""
    for key in ("oneOf", "anyOf"):
        for option in schema.get(key, []):
            candidate = from_text(value, option)
            if jsonschema.Draft202012Validator(option).is_valid(candidate):
                return candidate
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        out = {}
        for name, item in value.items():
            sub = properties.get(name, extra if isinstance(extra, Mapping) else None)
            out[name] = from_text(item, sub) if sub else item
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        return [from_text(item, schema["items"]) for item in value]
    if isinstance(value, str):
        return _scalar_from_text(value, schema)
    return value


def _extend_with_defaults(validator_class: type) -> type:
    """The jsonschema recipe: fill ``default`` values while validating."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):  # noqa: ANN001
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = _copy(sub["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def _copy(value: Any) -> Any:
    return yaml.safe_load(yaml.safe_dump(value))


_Validator = _extend_with_defaults(jsonschema.Draft202012Validator)


def load_schema(path: str | Path) -> dict:
    """The schema with local ``$ref: "#/$defs/<name>"`` written out in place, so text
    conversion and default filling see one plain tree (a roster is used in two places)."""
    with open(path, encoding="utf-8") as fh:
        schema = yaml.safe_load(fh)
    return _inline_refs(schema, schema.get("$defs", {}))


def _inline_refs(node: Any, defs: Mapping) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**_inline_refs(_copy(defs[ref.removeprefix("#/$defs/")]), defs), **rest}
        return {k: _inline_refs(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def validate_config(config: dict, schema: Mapping, source: str = "config") -> dict:
    """Read text values as the schema's types, fill defaults into ``config`` in place and
    validate it; ConfigError on the first problem."""
    converted = from_text(config, schema)
    config.clear()
    config.update(converted)
    validator = _Validator(schema)
    errors = sorted(
        validator.iter_errors(config), key=lambda e: (len(e.path), list(map(str, e.path)))
    )
    if errors:
        raise ConfigError(_describe(errors[0], source))
    return config


def _describe(error: jsonschema.ValidationError, source: str) -> str:
    key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        where = f"{key}." if error.absolute_path else ""
        return f"{source}: unknown key '{where}{extra[0]}'; allowed keys here: {allowed}"
    expected = error.schema.get("type") if error.validator == "type" else None
    if isinstance(error.instance, str) and expected in ("object", "array"):
        shape = "a mapping {key: value, ...}" if expected == "object" else "a list [a, b, ...]"
        top = key.split(".")[0]
        return (
            f"{source}: key '{key}': could not parse {error.instance!r} as {shape}; check the "
            f"quotes and brackets, e.g. --config '{top}={{\"name\": value}}'"
        )
    hint = first_sentence(error.schema.get("description", ""))
    fix = f" ({hint})" if hint else ""
    return f"{source}: key '{key}': {error.message}{fix}"


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (not the one in 'e.g.' or 'i.e.')."""
    match = re.search(r"(?<!\be\.g)(?<!\bi\.e)\.(\s|$)", text)
    return text[: match.start()] if match else text


class FromConfig:
    """Mixin for settings dataclasses: ``Settings.from_config(mapping, **extra)``.

    Keys of ``mapping`` (a config block, as ``params:`` hands it over) must be field
    names; ``extra`` adds what the config block does not hold (seed, threads). Lists
    become tuples so frozen settings stay hashable. Defaults belong to the schema: a
    dataclass default exists only for library callers and tests/test_registries.py
    proves it equals the schema's.
    """

    @classmethod
    def from_config(cls, mapping: Mapping[str, Any], **extra: Any):  # noqa: ANN206
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        values = {**mapping, **extra}
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise ConfigError(
                f"config: key {unknown[0]!r} is not a setting of {cls.__name__}; "
                f"allowed: {', '.join(names)}"
            )
        return cls(**{k: _frozen(v) for k, v in values.items()})


def at_scale(block: Mapping[str, Any], scale: str) -> dict:
    """A block with a ``scales: {name: overrides}`` entry, resolved for ``scale``: its
    overrides replace the block's own keys and ``scales`` itself goes."""
    return {**{k: v for k, v in block.items() if k != "scales"}, **block["scales"][scale]}


def _frozen(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def check_semantics(cfg: Mapping[str, Any]) -> list[str]:
    """Rules the JSON schema cannot express, each a one-line ConfigError; returns the
    warnings (legal but probably not meant) as one line each."""
    from dsplaybook.data import doodles, quickdraw

    if not cfg["branches"]:
        raise ConfigError(
            "config: key 'branches': empty, so `rule all` would build nothing; "
            "name at least one of data, lineups, label_budget, aftershock, dadc"
        )
    warnings = []
    image_branches = [b for b in cfg["branches"] if b in ("data", "label_budget", "dadc")]
    if image_branches and not cfg["datasets"]:
        warnings.append(
            f"config: key 'datasets': empty, so branches {', '.join(image_branches)} build "
            "nothing; name fashion_mnist and/or quickdraw to run them"
        )
    qd = cfg["quickdraw"]
    files = [quickdraw.category_filename(c) for c in qd["categories"]]
    if len(set(files)) != len(files):
        raise ConfigError(
            "config: key 'quickdraw.categories': two names differ only by space/underscore; "
            "keep one of them"
        )
    if qd["source"] == "synthetic":
        unknown = [c for c in qd["categories"] if c not in doodles.SHAPES]
        if unknown:
            raise ConfigError(
                f"config: key 'quickdraw.categories': cannot synthesise {unknown[0]!r}; "
                f"synthetic source draws only {', '.join(sorted(doodles.SHAPES))}; "
                "set quickdraw.source: official for real QuickDraw categories"
            )
    _check_labelling(cfg["label_budget"], cfg["labelling"])
    folders = [d["name"] for d in cfg["datasets"] if isinstance(d, dict)]
    if folders and cfg["labelling"]["features"] == "best":
        raise ConfigError(
            f"config: keys 'labelling.features' and 'labelling.method': best needs the "
            f"label-budget sweep, which folder dataset {folders[0]!r} has none of; name "
            "them, e.g. labelling: {features: pca, method: logreg}"
        )
    if cfg["aftershock"]["source"] == "files" and not cfg["aftershock"]["split_list"]:
        raise ConfigError(
            "config: key 'aftershock.split_list': required when aftershock.source is files; "
            "point it at the study's names_train_ids.csv"
        )
    dadc = cfg["dadc"]
    scale = dadc["scales"][dadc["scale"]]
    if (
        "uncertainty_kmeans" in dadc["strategies"]
        and dadc["kmeans_sample"] < scale["initial_labels"]
    ):
        raise ConfigError(
            f"config: key 'dadc.kmeans_sample': {dadc['kmeans_sample']} images cannot seed "
            f"{scale['initial_labels']} k-means clusters (dadc.scales.{dadc['scale']}."
            "initial_labels); raise kmeans_sample"
        )
    return warnings


def _check_labelling(sweep: Mapping[str, Any], labelling: Mapping[str, Any]) -> None:
    if labelling["budget"] not in sweep["budgets"]:
        raise ConfigError(
            f"config: key 'labelling.budget': {labelling['budget']} is not one of "
            f"label_budget.budgets {sweep['budgets']}; pick one of those"
        )
    for key, allowed in (("features", sweep["features"]), ("method", sweep["methods"])):
        if labelling[key] not in ["best", *allowed]:
            raise ConfigError(
                f"config: key 'labelling.{key}': {labelling[key]!r}; use best or one of "
                f"label_budget.{key if key == 'features' else 'methods'} {allowed}"
            )
    if (labelling["features"] == "best") != (labelling["method"] == "best"):
        raise ConfigError(
            "config: keys 'labelling.features' and 'labelling.method': "
            "set both to best or name both"
        )
