"""verify results as a table: number, expected place, status, where it landed, time."""

from __future__ import annotations

from reconciler.reports.delivery import Result, Route
from reconciler.wire.connectel import Cost


def _landed(result: Result) -> str:
    if result.delivered_to is None:
        return "-"
    if result.wrong_place:
        places = ", ".join(Route.landed(d) for d in result.delivered_to)
        return f"WRONG PLACE: {places or 'nowhere'}"
    return "as expected"


def table(results: list[Result], cost: Cost) -> str:
    header = ("NUMBER", "EXPECTED", "STATUS", "DELIVERED TO", "TIME")
    rows = [header] + [
        (
            r.target.number,
            "; ".join(route.describe() for route in r.target.expected),
            r.status,
            _landed(r),
            f"{r.seconds:.1f}s" if r.seconds is not None else "-",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    ok = sum(1 for r in results if r.ok)
    plural = "s" if cost.segments != 1 else ""
    lines.append(
        f"{ok} of {len(results)} delivered to the right place "
        f"(message: {cost.encoding}, {cost.segments} segment{plural} each)"
    )
    if results and not ok:
        lines.append(
            "None arrived where the manifests say: if they were never applied, run "
            "`reconciler apply` first; else `reconciler drift` shows what differs live."
        )
    return "\n".join(lines) + "\n"
