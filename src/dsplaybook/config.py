"""Config validation against the JSON schema, with defaults filled in.

Errors are one line naming the key, the bad value and what is allowed, so a typo in
``--config`` stops the run before any job starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from dsplaybook.errors import ConfigError


def _scalar_from_text(value: Any, schema: Mapping) -> Any:
    """Snakemake's ``--config key={nested: 5}`` hands nested values over as text ('5');
    turn text into the number/boolean the schema asks for when it reads as one."""
    kind = schema.get("type")
    if not isinstance(value, str) or kind not in ("integer", "number", "boolean"):
        return value
    text = value.strip()
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.lower(), value)
    try:
        number = float(text) if kind == "number" else int(text)
    except ValueError:
        return value
    return number


def _extend_with_defaults(validator_class: type) -> type:
    """The jsonschema recipe: fill ``default`` values while validating (and read numbers
    given as text, see ``_scalar_from_text``)."""
    validate_properties = validator_class.VALIDATORS["properties"]
    validate_items = validator_class.VALIDATORS["items"]

    def set_defaults(validator, properties, instance, schema):  # noqa: ANN001
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = _copy(sub["default"])
                elif name in instance:
                    instance[name] = _scalar_from_text(instance[name], sub)
        yield from validate_properties(validator, properties, instance, schema)

    def coerce_items(validator, items, instance, schema):  # noqa: ANN001
        if isinstance(instance, list) and isinstance(items, Mapping):
            instance[:] = [_scalar_from_text(v, items) for v in instance]
        yield from validate_items(validator, items, instance, schema)

    return jsonschema.validators.extend(
        validator_class, {"properties": set_defaults, "items": coerce_items}
    )


def _copy(value: Any) -> Any:
    return yaml.safe_load(yaml.safe_dump(value))


_Validator = _extend_with_defaults(jsonschema.Draft202012Validator)


def load_schema(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def validate_config(config: dict, schema: Mapping, source: str = "config") -> dict:
    """Fill defaults into ``config`` in place and validate it; ConfigError on the first problem."""
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
    hint = error.schema.get("description", "").split(".")[0]
    fix = f" ({hint})" if hint else ""
    return f"{source}: key '{key}': {error.message}{fix}"
