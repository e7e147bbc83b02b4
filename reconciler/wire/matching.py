"""Find a manifest enterprise among a platform's listing: by its pinned id, else by a
unique name. Both readers use it, so both explain a missing pin or an ambiguous name
the same way. A listing read for many enterprises is indexed once (`Rows`): scanning it
for each of them was quadratic, seconds of CPU at 2,000 enterprises."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reconciler import errors
from reconciler.wire.endpoints import lowest_id


class Rows:
    """A listing's rows by id and by name (values that cannot be keys, which no pin or
    name equals, are left out of the index)."""

    def __init__(self, rows: Sequence[dict[str, Any]], id_field: str, name_field: str) -> None:
        self.rows = list(rows)
        self.id_field, self.name_field = id_field, name_field
        self.by_id: dict[Any, list[dict[str, Any]]] = {}
        self.by_name: dict[Any, list[dict[str, Any]]] = {}
        for row in self.rows:
            for index, field in ((self.by_id, id_field), (self.by_name, name_field)):
                value = row.get(field)
                if isinstance(value, str | int):
                    index.setdefault(value, []).append(row)

    def named(self, name: Any) -> list[dict[str, Any]]:
        return list(self.by_name.get(name, ())) if isinstance(name, str | int) else []

    def with_id(self, pin: Any) -> list[dict[str, Any]]:
        return list(self.by_id.get(pin, ())) if isinstance(pin, str | int) else []


def indexed(rows: Sequence[dict[str, Any]] | Rows, id_field: str, name_field: str) -> Rows:
    """`rows` as a Rows on these fields (itself when it already is one)."""
    if isinstance(rows, Rows) and (rows.id_field, rows.name_field) == (id_field, name_field):
        return rows
    return Rows(rows.rows if isinstance(rows, Rows) else rows, id_field, name_field)


def match(
    rows: Sequence[dict[str, Any]] | Rows,
    *,
    pin: Any,
    name: str,
    id_field: str,
    name_field: str,
    platform: str,
    section: str,
    scope: str,
    holdings: Callable[[str], str] | None = None,
    empty: Callable[[str], bool] | None = None,
) -> dict[str, Any] | None:
    """The row for `enterprise`; None when absent (it will be created). A missing pin or an
    ambiguous name is a PlanError whose message is the enterprise's problem, except that
    twins whose higher ids hold nothing (`empty`) follow the twin rule: the lowest id is
    the enterprise (the run that made the others deletes them, or an admin does)."""
    listing = indexed(rows, id_field, name_field)
    if pin is not None:
        pinned = listing.with_id(pin)
        if not pinned:
            raise errors.PlanError(
                f"spec.{section}.enterpriseId {pin} does not exist {scope}: fix or remove the pin"
            )
        return pinned[0]
    named = listing.named(name)
    if len(named) > 1:
        named.sort(key=lambda r: lowest_id(r.get(id_field)))
        ids = [str(r.get(id_field)) for r in named]
        if empty is not None and all(empty(i) for i in ids[1:]):
            return named[0]
        if holdings is None:
            held = "ids " + ", ".join(ids)
        else:
            held = ", ".join(f"{i}: {holdings(i)}" for i in ids)
        winner, losers = ids[0], ", ".join(ids[1:])
        raise errors.PlanError(
            f"{len(named)} {platform} enterprises {scope} are named '{name}' ({held}): "
            f"twins, made by two runs at once or by hand. The twin rule keeps the lowest id, "
            f"{winner}: move anything {losers} holds to {winner} and delete {losers} on "
            f"{platform}, or pin one with spec.{section}.enterpriseId"
        )
    return named[0] if named else None
