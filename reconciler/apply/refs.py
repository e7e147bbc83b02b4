"""Fill `{"$ref": ...}` placeholders of a call with ids produced by earlier calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.plan.model import is_ref


class Unresolved(Exception):
    """A call needs an id that no successful call produced."""


def resolve(value: Any, refs: Mapping[str, Any]) -> Any:
    if is_ref(value):
        name = value["$ref"]
        if name not in refs:
            raise Unresolved(name)
        return refs[name]
    if isinstance(value, dict):
        return {k: resolve(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, refs) for v in value]
    return value
