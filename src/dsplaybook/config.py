"""The base of the settings tree (``dsplaybook.settings``): ``Section``, the pydantic model
every settings block derives from, and the one-line error for a bad value.

Every field carries its type, default, bounds and description, and those are the only
place a default lives: the JSON schema, ``docs/config.md`` and ``config.yaml``'s values
are generated from or tested against the tree. This module is the core: it imports no
branch of dsplaybook.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from dsplaybook.errors import ConfigError

_NULL_TEXT = ("null", "none", "~")
M = TypeVar("M", bound="BaseModel")


def _allows_none(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _allows_none(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_allows_none(a) for a in typing.get_args(annotation))
    return annotation is type(None)


class Section(BaseModel):
    """A block of settings: unknown keys are errors, values are frozen (lists become
    tuples), and text that Snakemake's nested ``--config`` hands over ('5', 'false',
    'null') is read as the field's type."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _null_from_text(cls, values: Any) -> Any:
        # pydantic reads '5' as 5 and 'false' as False, but not 'null' as None
        if not isinstance(values, Mapping):
            return values
        out = dict(values)
        for name, info in cls.model_fields.items():
            value = out.get(name)
            is_null = isinstance(value, str) and value.strip().lower() in _NULL_TEXT
            if is_null and _allows_none(info.annotation):
                out[name] = None
        return out

    @classmethod
    def from_config(cls, mapping: Mapping[str, Any] | BaseModel, **extra: Any) -> Self:
        """``cls`` from a config block (as ``params:`` hands it over) plus ``extra`` values
        the block does not hold (seed, threads); one-line ConfigError otherwise."""
        if isinstance(mapping, BaseModel):
            mapping = mapping.model_dump()
        return validated(cls, {**mapping, **extra}, f"config ({cls.__name__})")

    @classmethod
    def pick(cls, section: BaseModel) -> dict[str, Any]:
        """The values of ``cls``'s own fields in ``section`` (a block that extends ``cls``),
        as plain data: what a rule receives, so that changing any other key of the
        block re-runs nothing that reads only this part."""
        return section.model_dump(mode="json", include=set(cls.model_fields))

    def to_data(self) -> dict[str, Any]:
        """Plain YAML/JSON data: lists, not tuples."""
        return self.model_dump(mode="json")


def validated(model: type[M], data: Any, source: str = "config") -> M:
    """``model`` validated from ``data``, or ConfigError with one line naming the key, the
    bad value and the fix."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ConfigError(describe(err, model, source)) from None


def describe(err: ValidationError, model: type[BaseModel], source: str) -> str:
    """The most specific error of ``err`` as one line: the deepest key (a list item's
    pattern over the list's length), and of a union's members the one that got furthest."""
    error = min(err.errors(), key=lambda e: (-len(e["loc"]), e["type"] == "model_type"))
    keys, info, _ = _walk(model, error["loc"])
    key = ".".join(keys) or "(top level)"
    value = error.get("input")
    if error["type"] == "extra_forbidden":
        parent = ".".join(keys[:-1])
        parent_model = _walk(model, error["loc"][:-1])[2]
        allowed = ", ".join(sorted(parent_model.model_fields if parent_model else ()))
        where = f"{parent}." if parent else ""
        return f"{source}: unknown key '{where}{keys[-1]}'; allowed keys here: {allowed}"
    if isinstance(value, str) and error["type"] in ("model_type", "dict_type", "list_type"):
        shape = "a list [a, b, ...]" if error["type"] == "list_type" else "a mapping {key: value}"
        top = keys[0] if keys else "key"
        return (
            f"{source}: key '{key}': could not parse {value!r} as {shape}; check the "
            f"quotes and brackets, e.g. --config '{top}={{\"name\": value}}'"
        )
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    hint = first_sentence(info.description or "") if info is not None else ""
    fix = f" ({hint})" if hint else ""
    shown = "" if isinstance(value, Mapping) else f"{value!r}: "
    return " ".join(f"{source}: key '{key}': {shown}{message}{fix}".split())


def _sub_models(annotation: Any) -> list[type[BaseModel]]:
    """The models inside an annotation (``M``, ``M | None``, ``dict[str, M]``,
    ``tuple[A | B, ...]``), in order."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _sub_models(arg)]


def _tagged(models: list[type[BaseModel]], tag: str) -> type[BaseModel] | None:
    """The member of a discriminated union whose tag field (a one-value Literal) is ``tag``."""
    for member in models:
        for field in member.model_fields.values():
            is_tag = typing.get_origin(field.annotation) is typing.Literal
            if is_tag and typing.get_args(field.annotation) == (tag,):
                return member
    return None


def _walk(model: type[BaseModel], loc: tuple) -> tuple[list[str], Any, Any]:
    """Config keys along a pydantic error location (union tags dropped), the FieldInfo of
    the last field met and the model reached (None inside a plain mapping)."""
    keys: list[str] = []
    node: Any = model
    members: list[type[BaseModel]] = [model]
    info = None
    for part in loc:
        if isinstance(part, int):
            keys.append(str(part))
            continue
        if node is None:  # inside a plain mapping: every part is its key
            keys.append(part)
            continue
        fields = node.model_fields
        if part in fields:
            keys.append(part)
            info = fields[part]
            members = _sub_models(info.annotation)
            node = members[0] if members else None
        elif (tagged := _tagged(members, part)) is not None:
            node = tagged  # a discriminated union's member, named by its tag
        elif "[" in part or part[:1].isupper() or part in ("str", "int", "float", "bool"):
            continue  # a union member's tag, not a key
        else:
            keys.append(part)  # a mapping's key or an unknown key
    return keys, info, node


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (not the one in 'e.g.' or 'i.e.')."""
    match = re.search(r"(?<!\be\.g)(?<!\bi\.e)\.(\s|$)", text)
    return text[: match.start()] if match else text


class UniqueItems:
    """``Annotated`` marker for a list field: no item twice (``uniqueItems`` in the schema)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(_no_repeats, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {**handler(schema), "uniqueItems": True}


def _no_repeats(values: Any) -> Any:
    for i, value in enumerate(values):
        if value in values[:i]:
            raise ValueError(f"{value!r} is listed twice; list each once")
    return values


ScaleT = TypeVar("ScaleT", bound="Section")


class Scaled(Section, Generic[ScaleT]):
    """A block with named presets: ``scale`` names the entry of ``scales`` in use
    (``current``, typed by the subclass: ``Dadc(Scaled[DadcScale])``). Subclasses declare
    both fields. Given scales add to the presets and
    override them key by key (``scales: {full: {rounds: 30}}`` keeps full's other keys)."""

    @model_validator(mode="before")
    @classmethod
    def _merge_presets(cls, values: Any) -> Any:
        if not isinstance(values, Mapping) or not isinstance(values.get("scales"), Mapping):
            return values
        presets = {
            k: v.model_dump()
            for k, v in cls.model_fields["scales"].get_default(call_default_factory=True).items()
        }
        merged = dict(presets)
        for name, entry in values["scales"].items():
            given = entry.model_dump() if isinstance(entry, BaseModel) else entry
            merged[name] = (
                {**presets.get(name, {}), **given} if isinstance(given, Mapping) else given
            )
        return {**values, "scales": merged}

    @model_validator(mode="after")
    def _known_scale(self) -> Self:
        scales = self.scales  # type: ignore[attr-defined]
        if self.scale not in scales:  # type: ignore[attr-defined]
            raise ValueError(
                f"scale {self.scale!r} is not among scales {sorted(scales)}; "  # type: ignore[attr-defined]
                "name one of them or add it"
            )
        return self

    @property
    def current(self) -> ScaleT:
        """The entry of ``scales`` that ``scale`` names."""
        return self.scales[self.scale]  # type: ignore[attr-defined]


def summary(model: type[BaseModel]) -> str:
    """The first sentence of a model's docstring, on one line: what the block is."""
    return first_sentence(" ".join((model.__doc__ or "").split()))


def block(model: type[Section]) -> Any:
    """A field holding a whole block: its defaults, described by its docstring's first
    sentence."""
    from pydantic import Field

    return Field(default_factory=model, description=summary(model))
