"""Pydantic validation errors -> our problems, in words a manifest author can act on.

Pydantic knows what is wrong and where (its `loc`); the YAML tree knows the line and
column of that place. Unknown fields suggest the nearest known one, so that a typo is
caught and explained rather than silently dropped.
"""

from __future__ import annotations

import difflib
import types as pytypes
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from reconciler.model.types import describe_kind
from reconciler.yamlsource.tree import Document, Path, Position

_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "float_type": "a number",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}

_BOUNDS = {
    "less_than_equal": "at most",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "greater_than": "greater than",
}
_BOUND_KEYS = {
    "less_than_equal": "le",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "greater_than": "gt",
}


def translate(
    error: ErrorDetails, doc: Document, model: type[BaseModel], base: Path = ()
) -> tuple[Position, Path, str]:
    """Position, document path and message for one pydantic error."""
    loc: Path = (*base, *error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        field = str(loc[-1])
        return doc.position(loc, key=True), loc, _unknown_field(field, model, error["loc"][:-1])
    if kind == "missing":
        parent = loc[:-1]
        return doc.position(parent), parent, f"missing required field '{loc[-1]}'"
    if kind in _EXPECTED:
        got = describe_kind(error["input"])
        return doc.position(loc), loc, f"expected {_EXPECTED[kind]}, got {got}"
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        message = f"{error['input']!r} does not match the required pattern {pattern}"
        return doc.position(loc), loc, message
    ctx = error.get("ctx") or {}
    message = error["msg"]
    if kind in {"too_short", "string_too_short"}:
        message = "must not be empty"
    elif kind in _BOUNDS:
        message = f"must be {_BOUNDS[kind]} {ctx[_BOUND_KEYS[kind]]}, got {error['input']!r}"
    return doc.position(loc), loc, message[:1].lower() + message[1:]


def _unknown_field(field: str, model: type[BaseModel], parent: tuple[Any, ...]) -> str:
    allowed = _fields_at(model, parent)
    message = f"unknown field '{field}'"
    close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
    if close:
        return f"{message}: did you mean '{close[0]}'?"
    if allowed:
        return f"{message}: expected one of {', '.join(sorted(allowed))}"
    return message


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Names of the fields of the model found at `loc` below `model`."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = _by_key(current).get(part)
            current = field.annotation if field else None
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(_by_key(current))
    return []


def _by_key(model: type[BaseModel]) -> dict[str, Any]:
    """A model's fields by the key a manifest writes: the alias when there is one."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X, leaving everything else alone."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, pytypes.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return options[0] if len(options) == 1 else annotation
    return annotation
