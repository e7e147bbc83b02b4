"""`reconciler history` as text (a line per cycle, a line per enterprise it concerned,
its changes or differences indented below) or as JSON (every field, the journals of any
apply too). Decides nothing."""

from __future__ import annotations

import json

from reconciler.reports.history import CycleEntry
from reconciler.reports.provenance import iso


def _short(revision: str | None) -> str:
    return revision[:12] if revision else "-"


def text(cycles: list[CycleEntry]) -> str:
    """The cycles, newest first, as people read them."""
    if not cycles:
        return "No cycles in the history yet.\n"
    lines = []
    for c in cycles:
        note = f"  {c.note}" if c.note else ""
        lines.append(
            f"#{c.id}  {iso(c.started)}  {c.trigger:<8} {_short(c.revision):<12}  "
            f"{c.outcome:<8} {c.ended - c.started:.1f} s{note}"
        )
        for e in c.enterprises:
            why = f": {e.error}" if e.error else ""
            lines.append(f"    {e.name}  {e.status} ({e.action}){why}")
            lines += [f"        {d}" for d in e.differences]
    return "\n".join(lines) + "\n"


def document(cycles: list[CycleEntry]) -> str:
    """The cycles as JSON, every field and the journal of each apply."""
    entries = []
    for c in cycles:
        entry = c.as_dict(journals=True)
        entry["startedAt"], entry["endedAt"] = iso(c.started), iso(c.ended)
        entries.append(entry)
    return json.dumps({"cycles": entries}, indent=2) + "\n"
