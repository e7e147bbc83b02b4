"""The agent's status as one self-contained HTML page (readable on a phone, no external
assets, refreshed every 10 s) and as the JSON of GET /api/status. Decides nothing."""

from __future__ import annotations

import html
import json
import time
from typing import Any

from reconciler.reports.provenance import iso
from reconciler.reports.status import STATUSES, AgentStatus, CycleSummary, EnterpriseStatus

COLOURS = {
    "Synced": "#1a7f37",
    "OutOfSync": "#9a6700",
    "Healing": "#0969da",
    "HeldBack": "#8250df",
    "Failed": "#cf222e",
    "Unknown": "#57606a",
}
STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:12px;color:#1f2328;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px}
.meta{color:#57606a;font-size:13px;overflow-wrap:anywhere}
.banner{padding:8px 10px;border-radius:6px;margin:8px 0;background:#ffebe9;color:#82071e}
.counts span{display:inline-block;margin:2px 8px 2px 0}
.card{border:1px solid #d0d7de;border-radius:8px;padding:8px 10px;margin:8px 0}
.status{font-weight:600;color:#fff;border-radius:12px;padding:1px 8px;font-size:13px}
.name{font-weight:600;margin-right:6px}ul{margin:4px 0 0 18px;padding:0}
li{margin:2px 0;overflow-wrap:anywhere}table{border-collapse:collapse;width:100%;font-size:13px}
td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #eaeef2;vertical-align:top}
.cycle{font-size:13px;padding:4px 0;border-bottom:1px solid #eaeef2;overflow-wrap:anywhere}
.cycle b{font-weight:600}.cycle .note{color:#57606a}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _short(revision: str | None) -> str:
    return revision[:12] if revision else "none"


def _when(at: float) -> str:
    """A moment as the page shows it: to the second, in UTC."""
    return time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(at))


def _cycles(cycles: tuple[CycleSummary, ...]) -> str:
    """The last cycles, newest first; a run of uneventful ones (in sync at the same
    revision) as one line."""
    runs: list[list[CycleSummary]] = []
    for c in cycles:
        last = runs[-1][-1] if runs else None
        quiet = c.outcome == "in sync" and c.trigger == "interval"
        if (
            last
            and quiet
            and (last.outcome, last.trigger, last.revision)
            == (
                c.outcome,
                c.trigger,
                c.revision,
            )
        ):
            runs[-1].append(c)
        else:
            runs.append([c])
    rows = []
    for run in runs:
        newest, oldest = run[0], run[-1]
        number = f"#{newest.id}" if len(run) == 1 else f"#{oldest.id}–{newest.id}"
        when = (
            _when(newest.started)
            if len(run) == 1
            else f"{_when(oldest.started)} – " + (_when(newest.started))
        )
        took = f"{newest.ended - newest.started:.1f} s" if len(run) == 1 else f"{len(run)} cycles"
        note = f'<div class="note">{_e(newest.note)}</div>' if newest.note else ""
        rows.append(
            f'<div class="cycle"><b>{_e(number)}</b> {_e(newest.outcome)} · '
            f"{_e(_short(newest.revision))} · {_e(newest.trigger)} · {_e(when)} · "
            f"{_e(took)}{note}</div>"
        )
    return "".join(rows)


def _badge(status: str) -> str:
    colour = COLOURS.get(status, COLOURS["Unknown"])
    return f'<span class="status" style="background:{colour}">{_e(status)}</span>'


def _enterprise(e: EnterpriseStatus) -> str:
    heal = " · self-heal" if e.self_heal else ""
    synced = f" · last synced {_e(_when(e.last_synced))}" if e.last_synced else ""
    lines = "".join(f"<li>{_e(line)}</li>" for line in e.differences)
    return (
        f'<div class="card" id="{_e(e.name)}"><span class="name">{_e(e.name)}</span>'
        f"{_badge(e.status)}"
        f'<div class="meta">since {_e(_when(e.since))} · revision {_e(_short(e.revision))}'
        f"{heal}{synced}</div><div>{_e(e.detail)}</div>"
        + (f"<ul>{lines}</ul>" if lines else "")
        + "</div>"
    )


def page(status: AgentStatus) -> str:
    """The status page."""
    banners = []
    if status.refused is not None:
        revision, why = status.refused
        banners.append(f"revision {_short(revision)} was refused: {why}")
    if status.fetch_error:
        banners.append(f"the repository cannot be fetched: {status.fetch_error}")
    counts = " ".join(
        f"<span>{_badge(s)} {status.count(s)}</span>" for s in STATUSES if status.count(s)
    )
    targets = "".join(
        f"<tr><td>{_e(t.name)}</td><td>{t.sent}</td><td>{t.failed}</td>"
        f"<td>{_e(t.last_error)}</td></tr>"
        for t in status.notifications
    )
    body = [
        "<h1>reconciler agent</h1>",
        f'<div class="meta">{_e(status.repository)} · {_e(status.branch)} · revision '
        f"{_e(_short(status.revision))} · every {status.interval:g} s"
        + (" · a cycle is running" if status.busy else "")
        + "</div>",
        *(f'<div class="banner">{_e(b)}</div>' for b in banners),
        f'<div class="counts">{counts}</div>',
        "<h2>Enterprises</h2>",
        *(_enterprise(e) for e in status.enterprises),
        "<h2>Last cycles</h2>",
        _cycles(status.cycles) or "<p>None yet.</p>",
    ]
    if targets:
        body += [
            "<h2>Notifications</h2>",
            "<table><tr><th>target</th><th>sent</th><th>failed</th><th>last error</th></tr>"
            f"{targets}</table>",
        ]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta http-equiv="refresh" content="10">'
        f"<title>reconciler agent: {_e(_short(status.revision))}</title>"
        f"<style>{STYLE}</style></head><body>" + "".join(body) + "</body></html>\n"
    )


def document(status: AgentStatus) -> dict[str, Any]:
    """GET /api/status."""
    return {
        "repository": status.repository,
        "branch": status.branch,
        "revision": status.revision,
        "head": status.head,
        "refused": (
            {"revision": status.refused[0], "reason": status.refused[1]} if status.refused else None
        ),
        "fetchError": status.fetch_error,
        "busy": status.busy,
        "interval": status.interval,
        "started": iso(status.started),
        "counts": {s: status.count(s) for s in STATUSES},
        "enterprises": [
            {
                "name": e.name,
                "status": e.status,
                "since": iso(e.since),
                "detail": e.detail,
                "revision": e.revision,
                "selfHeal": e.self_heal,
                "differences": list(e.differences),
                "lastSynced": iso(e.last_synced) if e.last_synced else None,
            }
            for e in status.enterprises
        ],
        "cycles": [
            {
                "id": c.id,
                "revision": c.revision,
                "trigger": c.trigger,
                "startedAt": iso(c.started),
                "seconds": round(c.ended - c.started, 3),
                "outcome": c.outcome,
                "note": c.note,
            }
            for c in status.cycles
        ],
        "notifications": [
            {"target": t.name, "sent": t.sent, "failed": t.failed, "lastError": t.last_error}
            for t in status.notifications
        ],
    }


def as_json(status: AgentStatus) -> str:
    return json.dumps(document(status), indent=2) + "\n"
