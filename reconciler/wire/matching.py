"""Find a manifest enterprise among a platform's listing: by its pinned id, else by a
unique name. Both readers use it, so both explain a missing pin or an ambiguous name
the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler import errors
from reconciler.wire.endpoints import lowest_id


def match(
    rows: list[dict[str, Any]],
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
    if pin is not None:
        pinned = [r for r in rows if r.get(id_field) == pin]
        if not pinned:
            raise errors.PlanError(
                f"spec.{section}.enterpriseId {pin} does not exist {scope}: fix or remove the pin"
            )
        return pinned[0]
    named = [r for r in rows if r.get(name_field) == name]
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
