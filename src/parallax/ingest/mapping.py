"""The YAML mapping language: how the columns of an export become interaction fields.

A mapping file is read once, checked here (unknown keys and targets are errors, with the key named) and
compiled by ``parallax.ingest.engine``. Built-in mappings live in ``parallax/ingest/mappings/*.yaml``;
a user's own file uses the same language (docs/ingest.md describes it with examples).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from parallax.ingest.record import InteractionIn
from parallax.kit.errors import NotFound, ValidationFailed

TIME_FIELDS = frozenset({"occurred_at", "first_response_at", "closed_at", "invited_at"})
# Fields a mapping may fill; ``segments`` and ``raw`` are filled through their own sections or dotted targets.
TARGETS = frozenset(InteractionIn.model_fields) - {"segments", "raw"}
VALUE_TYPES = ("text", "id", "float", "bool")


class ValueSpec(BaseModel):
    """Where one value comes from (exactly one of column/columns/template/hash/value) and how it is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str | None = None
    columns: list[str] | None = Field(default=None, min_length=1)
    join: str | None = None
    template: str | None = None
    hash: list[str] | None = Field(default=None, min_length=1)
    value: Any = None
    clear: bool = False
    map: dict[str, Any] | None = None
    default: Any = None
    timestamp: str | None = None
    type: str | None = None

    @model_validator(mode="after")
    def _one_origin(self) -> ValueSpec:
        origins = [self.column, self.columns, self.template, self.hash, self.value, self.clear or None]
        if sum(origin is not None for origin in origins) != 1:
            raise ValueError("give exactly one of column, columns, template, hash, value or clear")
        if self.join is not None and self.columns is None:
            raise ValueError("join goes with columns")
        if self.type is not None and self.type not in VALUE_TYPES:
            raise ValueError(f"type must be one of {', '.join(VALUE_TYPES)}")
        return self

    @field_validator("map", mode="before")
    @classmethod
    def _map_keys_as_text(cls, value: Any) -> Any:
        """YAML reads ``True:`` as a boolean; keys are matched as lower-case text, like the cells."""
        if isinstance(value, dict):
            return {str(k).strip().lower(): v for k, v in value.items()}
        return value


class Condition(BaseModel):
    """All given tests must hold: a column is non-empty, is empty, or equals a value (case-insensitive)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    present: str | None = None
    missing: str | None = None
    equals: dict[str, str] | None = None


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    when: Condition
    set: dict[str, ValueSpec]


class MappingSpec(BaseModel):
    """A whole mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    source: str = Field(min_length=1, max_length=100)
    canonical: bool = False
    fields: dict[str, ValueSpec] = Field(default_factory=dict)
    segments: dict[str, ValueSpec] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)
    keep_in_raw: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        """``target: column`` is short for ``target: {column: column}``, in fields, segments and rules."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for section in ("fields", "segments"):
            if isinstance(data.get(section), dict):
                data[section] = {k: _expand(v) for k, v in data[section].items()}
        if isinstance(data.get("rules"), list):
            data["rules"] = [_expand_rule(rule) for rule in data["rules"]]
        return data

    @model_validator(mode="after")
    def _known_targets(self) -> MappingSpec:
        for target in [*self.fields, *(t for rule in self.rules for t in rule.set)]:
            check_target(target)
        if not self.canonical:
            for needed in ("external_id", "channel", "kind", "occurred_at"):
                if needed not in self.fields:
                    raise ValueError(f"fields.{needed} is required (or set canonical: true)")
        return self


def _expand(value: Any) -> Any:
    return {"column": value} if isinstance(value, str) else value


def _expand_rule(rule: Any) -> Any:
    if isinstance(rule, dict) and isinstance(rule.get("set"), dict):
        rule = {**rule, "set": {k: _expand_constant(v) for k, v in rule["set"].items()}}
    return rule


def _expand_constant(value: Any) -> Any:
    """In a rule ``kind: survey_invite`` is a constant and ``null`` clears; a column needs ``{column: c}``."""
    if value is None:
        return {"clear": True}
    return value if isinstance(value, dict) else {"value": value}


def check_target(target: str) -> None:
    head, _, key = target.partition(".")
    if head in ("segments", "raw") and key:
        return
    if target not in TARGETS:
        raise ValueError(f"unknown target field {target!r}; one of {sorted(TARGETS)} or segments.X / raw.X")


def builtin_names() -> list[str]:
    folder = resources.files("parallax.ingest") / "mappings"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_mapping(name_or_path: str) -> MappingSpec:
    """A built-in mapping by name (``survey``), or a user's YAML file by path."""
    path = Path(name_or_path)
    if name_or_path.endswith((".yaml", ".yml")) or path.exists():
        if not path.is_file():
            raise NotFound(f"mapping file {name_or_path} does not exist")
        text = path.read_text(encoding="utf-8")
    elif name_or_path in builtin_names():
        text = (resources.files("parallax.ingest") / "mappings" / f"{name_or_path}.yaml").read_text("utf-8")
    else:
        raise NotFound(
            f"no mapping {name_or_path!r}; built-in: {', '.join(builtin_names())}, or a .yaml path"
        )
    return parse_mapping(text, name_or_path)


def parse_mapping(text: str, origin: str = "<text>") -> MappingSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"mapping {origin} is not valid YAML: {exc}") from exc
    try:
        return MappingSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        )
        raise ValidationFailed(f"mapping {origin} is invalid: {problems}") from exc
