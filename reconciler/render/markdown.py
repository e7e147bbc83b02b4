"""The plan as Markdown for a pull-request comment: a summary table per enterprise, the
changes in a fenced diff block, collapsed in <details> when long."""

from __future__ import annotations

from reconciler.plan.model import Plan
from reconciler.render import values
from reconciler.render.changes import (
    change_lines,
    header,
    held_note,
    impact_line,
    summary_line,
)
from reconciler.reports.provenance import Provenance

COLLAPSE_AFTER = 15  # lines of diff shown before collapsing into <details>


def render(plan: Plan, about: Provenance | None = None) -> str:
    out = [f"### reconciler plan: {summary_line(plan)[6:]}", ""]
    if about is not None:
        out += [" · ".join(f"{label}: {value}" for label, value in about.lines()), ""]
    out += [
        "| enterprise | create | update | delete | sync | unmanaged |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for e in plan.enterprises:
        if e.failed:
            out.append(f"| {e.name} | failed | | | | |")
            continue
        if e.heldBack:
            out.append(f"| {e.name} | held back | | | | |")
            continue
        counts = {
            a: sum(1 for c in e.changes if c.action == a)
            for a in ("create", "update", "delete", "sync")
        }
        out.append(
            f"| {e.name} | {counts['create']} | {counts['update']} | {counts['delete']} | "
            f"{counts['sync']} | {len(e.unmanaged)} |"
        )
    out.append("")
    for e in plan.enterprises:
        if e.failed:
            out += [f"**{header(e)}: cannot be planned; nothing is applied to it**", ""]
            out += [f"> error: {p.message}" for p in e.problems]
            out.append("")
            if e.changes:  # what the refusal asks to review
                held = [line for change in e.changes for line in change_lines(change, mark="+")]
                out += [
                    f"<details><summary>held back until it is fixed: "
                    f"{values.plural(len(e.changes), 'change')}</summary>",
                    "",
                    "```diff",
                    *held,
                    "```",
                    "",
                    "</details>",
                    "",
                ]
            continue
        if not e.changes and not e.warnings:
            continue
        impact = impact_line(e) if e.changes else None
        if impact is not None:
            out += [f"_{header(e)}: {impact}_", ""]
        if e.heldBack:
            out += [f"> {held_note(e)}", ""]
        diff = [line for change in e.changes for line in change_lines(change, mark="+")]
        block = ["```diff", *diff, "```"]
        if len(diff) > COLLAPSE_AFTER:
            out += [
                f"<details><summary>{header(e)}: "
                f"{values.plural(len(e.changes), 'change')}</summary>",
                "",
                *block,
                "",
                "</details>",
            ]
        else:
            out += [f"**{header(e)}**", "", *block]
        out += [f"> warning: {w}" for w in e.warnings]
        out.append("")
    if not plan.changes and not plan.failed and not plan.held:
        out.append("No changes: the live platforms match the manifests.")
    return "\n".join(out).rstrip() + "\n"
