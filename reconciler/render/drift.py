"""A drift report as text, JSON, Markdown, JUnit XML or one self-contained HTML page.

JUnit: one test case per enterprise and object kind, failing with its differences, so CI
dashboards show drift as failed tests; an enterprise that could not be read is one test
case in error. HTML: no external assets.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from typing import Any

from reconciler.config.loader import PROVIDERS
from reconciler.model import kinds
from reconciler.render import values
from reconciler.reports.drift import READ_HINT, Difference, DriftReport, EnterpriseDrift

ACTIONS = {
    "create": "in git, not live: apply would create it",
    "delete": "live, not in git: apply would delete it (prune)",
    "update": "apply would update it",
    "sync": "apply would sync it",
    "unmanaged": "live, in no manifest (left alone without prune)",
    "error": "blocks apply",
}
FIELDS = {
    "appSynced": "synced with Teams",
    "messagingAppId": "Teams channel",
    "messagingAppType": "app type",
    "userTag": "tag",
    "userType": "user type",
    "useCallingPhoneNumber": "uses the calling number",
}


def what(d: Difference) -> str:
    if d.kind == kinds.SYNC:
        return "Teams Unified App"
    kind = kinds.KINDS.get(d.kind)
    return f"{kind.label if kind else d.kind} {d.key}".strip()


def field(d: Difference) -> str:
    return FIELDS.get(d.field or "", d.field or "")


def line(d: Difference) -> str:
    if d.action == "update" or d.kind == kinds.SYNC:
        git, actual = (_cell(v) if v is not None else "(none)" for v in (d.git, d.live))
        return f"{what(d)} {field(d)}: git {git}, live {actual}: {ACTIONS[d.action]}"
    if d.action == "unmanaged":
        detail = f" ({_cell(d.live)})" if d.live else ""
        return f"{what(d)}{detail}: {ACTIONS['unmanaged']}"
    if d.action == "error":
        return str(d.live)
    return f"{what(d)}: {ACTIONS[d.action]}"


def _title(e: EnterpriseDrift) -> str:
    if e.error is not None:  # not read: its ids are unknown
        return e.name
    ids = [
        f"{PROVIDERS[key]} {'-' if e.ids[key] is None else e.ids[key]}"
        for key in (kinds.CONNECTTOTEAMS, kinds.CONTEXTSMS)
        if key in e.ids
    ]
    return f"{e.name} ({', '.join(ids)})" if ids else e.name


def _count(n: int) -> str:
    return f"{n or 'no'} difference{'s' if n != 1 else ''}"


def _enterprises(n: int) -> str:
    return values.plural(n, "enterprise")


def summary(report: DriftReport) -> str:
    unread = [e.name for e in report.enterprises if e.error is not None]
    drifted = [e for e in report.enterprises if e.differences]
    in_sync = len(report.enterprises) - len(unread) - len(drifted)
    if not drifted:
        verb = "matches" if in_sync == 1 else "match"
        line = f"No drift: {_enterprises(in_sync)} {verb} the manifests"
    else:
        total = sum(len(e.differences) for e in drifted)
        line = (
            f"Drift: {_count(total)} in {len(drifted)} of {_enterprises(len(report.enterprises))}"
            f"; {in_sync} in sync"
        )
    if unread:
        line += f"; {len(unread)} could not be read: {', '.join(unread)}"
    return line + "."


def _rows(e: EnterpriseDrift) -> list[tuple[str, str, str, str, str, str]]:
    """object, field, git, live, action, what to do: one row per difference, or the read
    error."""
    if e.error is not None:
        return [("enterprise", "", "", e.error, "error", READ_HINT)]
    return [
        (what(d), field(d), _cell(d.git), _cell(d.live), d.action, d.hint) for d in e.differences
    ]


def _todo(report: DriftReport) -> list[str]:
    """Each distinct hint once, for the end of the text report."""
    seen: dict[str, None] = {}
    for e in report.enterprises:
        if e.error is not None:
            seen[READ_HINT] = None
        for d in e.differences:
            if d.hint:
                seen[d.hint] = None
    return list(seen)


def text(report: DriftReport) -> str:
    out = []
    for e in report.enterprises:
        if e.error is not None:
            out.append(f"{_title(e)}: error: {e.error}")
            continue
        out.append(f"{_title(e)}: {_count(len(e.differences))}")
        out += [f"  {line(d)}" for d in e.differences]
    todo = _todo(report)
    if todo:
        out += ["What to do:", *(f"  - {t}" for t in todo)]
    out.append(summary(report))
    return "\n".join(out) + "\n"


def as_json(report: DriftReport) -> str:
    data: dict[str, Any] = report.model_dump(mode="json", exclude={"provenance"})
    data["inSync"] = report.in_sync
    data["provenance"] = report.provenance.as_dict() if report.provenance else None
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _about(report: DriftReport) -> list[tuple[str, str]]:
    return report.provenance.lines() if report.provenance else []


def markdown(report: DriftReport) -> str:
    out = [f"### reconciler drift: {summary(report)}", ""]
    about = _about(report)
    if about:
        out += [" · ".join(f"{label}: {value}" for label, value in about), ""]
    in_sync = [e.name for e in report.enterprises if not e.differences and e.error is None]
    if in_sync:
        out += [f"In sync ({len(in_sync)}): {', '.join(in_sync)}", ""]
    for e in report.enterprises:
        if not e.differences and e.error is None:
            continue
        out += [
            f"**{_title(e)}**",
            "",
            "| object | field | git | live | apply | what to do |",
            "|---|---|---|---|---|---|",
        ]
        for cells in _rows(e):
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(
            f"{k}: {values.show(v)}" for k, v in value.items() if v not in (None, [], "")
        )
    return values.show(value) if value is not None else ""


def junit(report: DriftReport) -> str:
    suites = ET.Element("testsuites", name="reconciler drift")
    for e in report.enterprises:
        if e.error is not None:
            suite = ET.SubElement(suites, "testsuite", name=e.name, tests="1", errors="1")
            case = ET.SubElement(suite, "testcase", classname=e.name, name="read")
            error = ET.SubElement(case, "error", message="could not be read", type="read")
            error.text = e.error
            continue
        by_kind: dict[str, list[Difference]] = {k: [] for k in kinds.KINDS}
        for d in e.differences:
            by_kind.setdefault(d.kind, []).append(d)
        failures = sum(1 for ds in by_kind.values() if ds)
        suite = ET.SubElement(
            suites, "testsuite", name=e.name, tests=str(len(by_kind)), failures=str(failures)
        )
        for kind, found in by_kind.items():
            case = ET.SubElement(suite, "testcase", classname=e.name, name=kind)
            if found:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=values.plural(len(found), "difference"),
                    type="drift",
                )
                failure.text = "\n".join(line(d) for d in found)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1b1f24; }
body { margin: 2rem auto; padding: 0 1rem; max-width: 72rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
.ok { color: #1a7f37; } .drift { color: #b35900; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.action { font-weight: 600; }
tr.create td.action { color: #1a7f37; }
tr.delete td.action, tr.error td.action { color: #cf222e; }
tr.update td.action, tr.sync td.action { color: #9a6700; }
tr.unmanaged td.action { color: #57606a; }
td.hint { color: #57606a; font-size: .9em; }
p.verdict { font-size: 1.1rem; font-weight: 600; }
dl.about { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.about { color: #57606a; font-size: .9em; } dl.about dt { font-weight: 600; }
dl.about dd { margin: 0; }
"""


def page(report: DriftReport) -> str:
    e = html.escape
    rows = []
    in_sync = [x.name for x in report.enterprises if not x.differences and x.error is None]
    if in_sync:
        rows.append(f'<p class="ok">In sync ({len(in_sync)}): {e(", ".join(in_sync))}</p>')
    for enterprise in report.enterprises:
        if not enterprise.differences and enterprise.error is None:
            continue
        count = "not read" if enterprise.error else _count(len(enterprise.differences))
        rows.append(f'<h2>{e(_title(enterprise))} <span class="drift">{count}</span></h2>')
        rows.append(
            "<table><tr><th>object</th><th>field</th><th>git</th><th>live</th>"
            "<th>apply</th><th>what to do</th></tr>"
        )
        for *cells, action, todo in _rows(enterprise):
            tds = "".join(f"<td>{e(c)}</td>" for c in cells)
            rows.append(
                f'<tr class="{e(action)}">{tds}<td class="action">{e(action)}</td>'
                f'<td class="hint">{e(todo)}</td></tr>'
            )
        rows.append("</table>")
    body = "\n".join(rows)
    verdict = "drift" if not report.in_sync else "ok"
    about = "".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in _about(report))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>reconciler drift report</title>"
        f"<style>{STYLE}</style></head><body>\n"
        "<h1>reconciler drift report</h1>\n"
        f'<p class="verdict {verdict}">{e(summary(report))}</p>\n'
        + (f'<dl class="about">{about}</dl>\n' if about else "")
        + f"{body}\n</body></html>\n"
    )


RENDERERS = {"text": text, "json": as_json, "markdown": markdown, "junit": junit, "html": page}
