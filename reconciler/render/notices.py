"""An agent's notice as a Microsoft Teams Workflows message (an Adaptive Card in the
envelope the "When a Teams webhook request is received" trigger takes) or as a generic
webhook's JSON. Decides nothing: the notice says what happened."""

from __future__ import annotations

from typing import Any

from reconciler.reports.provenance import iso
from reconciler.reports.status import Notice

TITLES = {
    "drift": "drifted from git",
    "healed": "healed back to git's state",
    "applied": "applied",
    "failed": "failed",
    "revision-refused": "revision refused",
}
COLOURS = {  # Adaptive Card TextBlock colours
    "drift": "Warning",
    "healed": "Good",
    "applied": "Good",
    "failed": "Attention",
    "revision-refused": "Attention",
}


def title(notice: Notice) -> str:
    subject = notice.enterprise or "reconciler"
    return f"{subject}: {TITLES[notice.event]}"


def teams(notice: Notice, status_url: str | None) -> dict[str, Any]:
    """The Teams Workflows webhook's message: one Adaptive Card."""
    facts = [{"title": "Event", "value": notice.event}]
    if notice.enterprise:
        facts.append({"title": "Enterprise", "value": notice.enterprise})
    facts += [
        {"title": "Revision", "value": (notice.revision or "none")[:12]},
        {"title": "At", "value": iso(notice.at)},
    ]
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "size": "Medium",
            "weight": "Bolder",
            "color": COLOURS[notice.event],
            "text": title(notice),
            "wrap": True,
        },
        {"type": "TextBlock", "text": notice.summary, "wrap": True},
        {"type": "FactSet", "facts": facts},
    ]
    if notice.details:
        body.append(
            {
                "type": "TextBlock",
                "text": "\n".join(f"- {line}" for line in notice.details),
                "wrap": True,
                "fontType": "Monospace",
                "size": "Small",
            }
        )
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if status_url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Status page", "url": status_url}]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def webhook(notice: Notice, status_url: str | None) -> dict[str, Any]:
    """A generic webhook's JSON: the notice, whole."""
    return {
        "event": notice.event,
        "enterprise": notice.enterprise,
        "revision": notice.revision,
        "title": title(notice),
        "summary": notice.summary,
        "details": list(notice.details),
        "at": iso(notice.at),
        "statusUrl": status_url,
    }
