"""An endpoint of a vendor API, the overrides of assumed paths from reconciler.yaml, and
one request to it as a value.

Assumed paths (the vendor's public docs do not show them) can be overridden as
`"/new/path/{enterpriseId}"` or `"POST /new/path/{enterpriseId}"`, so a deployment with
the vendor's full reference corrects them without code changes.

A `Request` is built once from an endpoint and its parameters, then passed down whole
through the client (retries, look-ups, re-authentication, telemetry): httpx's `Request`
passed down, for our stack. Paths are formatted there and nowhere else: the template's
`{placeholders}` are filled from the values given, the other values go in the query.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Callable, Mapping
from typing import Any, Literal

from reconciler.errors import ConfigError

Table = Mapping[str, "Endpoint"]


@dataclasses.dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    documented: bool

    def placeholders(self) -> set[str]:
        return placeholders(self.path)

    def request(self, operation: str, values: Mapping[str, Any], **more: Any) -> Request:
        """A request to this endpoint: see `Request.to`."""
        return Request.to(operation, self.method, self.path, values, **more)


def placeholders(template: str) -> set[str]:
    """The `{names}` of a path template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_OVERRIDE = re.compile(r"^(?:(GET|POST|PUT|DELETE|PATCH)\s+)?(/\S*)$")


def resolve(
    table: Table, overrides: Mapping[str, str], section: str, where: str = "reconciler.yaml"
) -> dict[str, Endpoint]:
    """`table` with `overrides` applied; an unknown name or a bad path is a ConfigError."""
    resolved = dict(table)
    for name, value in overrides.items():
        key = f"{where}: {section}.{name}"
        if name not in resolved:
            raise ConfigError(
                f"{key}: unknown operation; expected one of {', '.join(sorted(table))}"
            )
        match = _OVERRIDE.match(value.strip())
        if not match:
            raise ConfigError(f"{key}: {value!r} is not '/path' or 'METHOD /path'")
        endpoint = Endpoint(match.group(1) or resolved[name].method, match.group(2), False)
        if endpoint.placeholders() != resolved[name].placeholders():
            wanted = ", ".join("{" + p + "}" for p in sorted(table[name].placeholders())) or "none"
            raise ConfigError(f"{key}: the path must use the placeholders {wanted}")
        resolved[name] = endpoint
    return resolved


@dataclasses.dataclass(frozen=True)
class Lookup:
    """How to find the object a create made, by name, when its answer was lost: call
    `operation` with `params`, and `pick` the object (the create's answer) from the
    listing, or None when it is not there."""

    operation: str
    params: Mapping[str, Any]
    pick: Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class Answer:
    """What a 2xx answer of an operation must be for us to use it: a JSON object holding
    `needs`, or a JSON list. Anything else (an HTML page from a proxy, a body cut short,
    a wrong type) is a malformed answer: transient, retried."""

    kind: Literal["object", "list"]
    needs: tuple[str, ...] = ()

    def problem(self, value: Any) -> str | None:
        """Why `value` is not such an answer, or None."""
        if self.kind == "list":
            return None if isinstance(value, list) else f"expected a JSON list, got {_kind(value)}"
        if not isinstance(value, dict):
            return f"expected a JSON object, got {_kind(value)}"
        missing = [k for k in self.needs if value.get(k) is None]
        return f"no {', '.join(missing)} in it" if missing else None


@dataclasses.dataclass(frozen=True)
class Request:
    """`operation` of the endpoint map, sent as `method path` (formatted; `template` as
    the map writes it, with `params` the values its placeholders took), with the
    `query`, at most one body (`json`, `form` or `text`), extra `headers`, the client's
    auth unless `authenticate` is off, to `base_url` when not the client's own, and
    `expect`ing a 2xx answer of that shape (a create's ids: see wire.endpoints.Answer)."""

    operation: str
    method: str
    path: str
    template: str = ""
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    query: Mapping[str, Any] | None = None
    json: Any = None
    form: Mapping[str, str] | None = None
    text: str | None = None
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    authenticate: bool = True
    base_url: str | None = None
    expect: Answer | None = None

    @classmethod
    def to(
        cls, operation: str, method: str, template: str, values: Mapping[str, Any], **more: Any
    ) -> Request:
        """The request of `operation` at `METHOD template`: placeholders filled from
        `values`, the other values in the query; `more` sets the remaining fields."""
        named = placeholders(template)
        params = {k: v for k, v in values.items() if k in named}
        query = {k: v for k, v in values.items() if k not in named} or None
        return cls(
            operation,
            method,
            template.format(**params),
            template,
            params,
            query,
            **more,
        )


@dataclasses.dataclass(frozen=True)
class Shape:
    """What a reader takes from a read's answer, for `doctor` to check before any write:
    a JSON object holding `needs`, or a JSON list; its rows (the list itself, or the list
    under `rows`) each holding `row_needs`."""

    kind: Literal["object", "list"]
    needs: tuple[str, ...] = ()
    rows: str | None = None
    row_needs: tuple[str, ...] = ()

    def problem(self, value: Any) -> str | None:
        """Why `value` is not such an answer, or None."""
        wrong = Answer(self.kind, self.needs).problem(value)
        if wrong or not self.row_needs:
            return wrong
        rows = value.get(self.rows) if self.rows else value
        where = f"'{self.rows}'" if self.rows else "the list"
        if rows is None:
            return f"no {self.rows} in it"
        if not isinstance(rows, list):
            return f"expected a list under {where}, got {_kind(rows)}"
        for i, row in enumerate(rows):
            missing = [k for k in self.row_needs if not isinstance(row, dict) or k not in row]
            if missing:
                return f"item {i} of {where} has no {', '.join(missing)}"
        return None

    def count(self, value: Any) -> int | None:
        """How many rows the answer holds (None for an object without rows)."""
        rows = value.get(self.rows) if self.rows and isinstance(value, dict) else value
        return len(rows) if isinstance(rows, list) else None


def _kind(value: Any) -> str:
    if value is None:
        return "an empty body"
    names: dict[type, str] = {dict: "an object", list: "a list", str: "text"}
    return names.get(type(value), type(value).__name__)


@dataclasses.dataclass(frozen=True)
class Twins:
    """How to find twins of an object just created (same name, made by a concurrent run):
    list with `operation` and `params`, pick `rows` named `name`. The lowest id wins; the
    loser is deleted with `delete` (taking its id as `delete_param`) when the vendor can."""

    operation: str
    params: Mapping[str, Any]
    rows: Callable[[Any], list[dict[str, Any]]]
    name: str
    name_field: str
    id_field: str
    delete: str | None = None
    delete_param: str = ""


def lowest_id(value: Any) -> tuple[int, str]:
    """The twin rule's order: the lower id wins (E0000090 < E0000123; 78 < 101)."""
    text = str(value)
    return len(text), text
