"""Find a manifest enterprise among a platform's listing: by its pinned id, else by a
unique name. Both readers use it, so both explain a missing pin or an ambiguous name
the same way."""

from __future__ import annotations

from typing import Any

from reconciler import errors


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
) -> dict[str, Any] | None:
    """The row for `enterprise`; None when absent (it will be created). A missing pin or an
    ambiguous name is a PlanError whose message is the enterprise's problem."""
    if pin is not None:
        pinned = [r for r in rows if r.get(id_field) == pin]
        if not pinned:
            raise errors.PlanError(
                f"spec.{section}.enterpriseId {pin} does not exist {scope}: fix or remove the pin"
            )
        return pinned[0]
    named = [r for r in rows if r.get(name_field) == name]
    if len(named) > 1:
        ids = ", ".join(str(r.get(id_field)) for r in named)
        raise errors.PlanError(
            f"{len(named)} {platform} enterprises {scope} are named "
            f"'{name}' (ids {ids}): pin one with spec.{section}.enterpriseId"
        )
    return named[0] if named else None
