"""How plan values read in every format: numbers lists, refs, masked secrets."""

from __future__ import annotations

import json
from typing import Any

from reconciler.plan.model import is_ref
from reconciler.reports.provenance import iso

__all__ = ["KNOWN_AFTER_APPLY", "body", "iso", "plural", "public", "show"]

SECRET_KEYS = frozenset(
    {"password", "clientsecret", "token", "accesstoken", "refreshtoken", "authorization"}
)
KNOWN_AFTER_APPLY = "(known after apply)"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 API call`, `2 API calls`, `1 retry`, `3 retries`."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def show(value: Any) -> str:
    """A field value for people: lists joined, None as (none)."""
    if value is None:
        return "(none)"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def public(value: Any) -> Any:
    """`value` with refs shown as (known after apply) and secrets masked."""
    if is_ref(value):
        return KNOWN_AFTER_APPLY
    if isinstance(value, dict):
        return {k: "***" if k.lower() in SECRET_KEYS else public(v) for k, v in value.items()}
    if isinstance(value, list):
        return [public(v) for v in value]
    return value


def body(value: Any) -> str:
    return json.dumps(public(value), ensure_ascii=False)
