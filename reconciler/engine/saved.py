"""Saved plans (`plan -o plan.json`): load one, scope a run to it, and refuse it when the
manifests or the live objects it touches changed since it was made."""

from __future__ import annotations

import pathlib

from reconciler.apply import staleness
from reconciler.errors import ReconcilerError
from reconciler.plan.model import Plan
from reconciler.render import jsonplan

MAX_BYTES = 256 * 1024 * 1024  # the largest enterprise's plan from scratch is ~10 MB


def load(paths: tuple[pathlib.Path, ...]) -> Plan | None:
    """The saved plan when the only PATH is a .json file, else None."""
    if len(paths) != 1 or paths[0].suffix != ".json":
        return None
    try:
        size = paths[0].stat().st_size
        if size > MAX_BYTES:
            raise ValueError(f"{size:,} bytes, more than a plan can hold ({MAX_BYTES:,})")
        return jsonplan.load(paths[0].read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReconcilerError(f"{paths[0]}: cannot read the saved plan ({exc.strerror})") from None
    except (ValueError, RecursionError) as exc:
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise ReconcilerError(
            f"{paths[0]}: not a saved plan ({reason.splitlines()[0]}); make it again with "
            "`reconciler plan -o`"
        ) from None


def scope(saved: Plan) -> tuple[tuple[pathlib.Path, ...], tuple[str, ...]]:
    """The manifest paths and the enterprises the saved plan was made for."""
    return tuple(pathlib.Path(p) for p in saved.paths), tuple(e.name for e in saved.enterprises)


def check_fresh(saved: Plan, fresh: Plan, digest: str) -> None:
    if saved.manifestDigest != digest:
        raise ReconcilerError(
            "the saved plan is stale: the manifests changed since it was made, so it is not "
            "applied; make a new plan and review it:\n"
            + "\n".join(f"  {line}" for line in staleness.manifest_differences(saved, fresh))
        )
    lines = staleness.differences(saved, fresh)
    if lines:
        raise ReconcilerError(
            "the saved plan is stale: the live platforms changed since it was made, so it is "
            "not applied; make a new plan and review it:\n"
            + "\n".join(f"  {line}" for line in lines)
        )
