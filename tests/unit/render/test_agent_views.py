"""What the agent shows: a Teams card and a webhook's JSON for a notice, the status page
and its JSON, and `reconciler history` as text."""

from __future__ import annotations

from reconciler.render import history, notices, status
from reconciler.reports.history import CycleEntry, EnterpriseEntry
from reconciler.reports.status import AgentStatus, CycleSummary, EnterpriseStatus, Notice

SHA = "0123456789abcdef0123456789abcdef01234567"
AT = 1796400000.0  # 2026-12-04T16:00:00Z
DRIFT = Notice(
    "drift",
    "sunshine-dental",
    SHA,
    "drifted: 1 difference",
    ("mapping +12025550120 Teams channel: git a, live b: apply would update it",),
    AT,
)


def test_a_teams_notice_is_one_adaptive_card_in_the_workflows_envelope() -> None:
    assert notices.teams(DRIFT, "https://agent.example/") == {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {
                            "type": "TextBlock",
                            "size": "Medium",
                            "weight": "Bolder",
                            "color": "Warning",
                            "text": "sunshine-dental: drifted from git",
                            "wrap": True,
                        },
                        {"type": "TextBlock", "text": "drifted: 1 difference", "wrap": True},
                        {
                            "type": "FactSet",
                            "facts": [
                                {"title": "Event", "value": "drift"},
                                {"title": "Enterprise", "value": "sunshine-dental"},
                                {"title": "Revision", "value": "0123456789ab"},
                                {"title": "At", "value": "2026-12-04T16:00:00.000Z"},
                            ],
                        },
                        {
                            "type": "TextBlock",
                            "text": "- mapping +12025550120 Teams channel: git a, live b: "
                            "apply would update it",
                            "wrap": True,
                            "fontType": "Monospace",
                            "size": "Small",
                        },
                    ],
                    "actions": [
                        {
                            "type": "Action.OpenUrl",
                            "title": "Status page",
                            "url": "https://agent.example/",
                        }
                    ],
                },
            }
        ],
    }
    refused = Notice("revision-refused", None, SHA, "revision 0123456789ab is not applied", (), AT)
    card = notices.teams(refused, None)["attachments"][0]["content"]
    assert card["body"][0]["text"] == "reconciler: revision refused"
    assert [f["title"] for f in card["body"][2]["facts"]] == ["Event", "Revision", "At"]
    assert "actions" not in card and len(card["body"]) == 3


def test_a_webhook_notice_is_the_event_whole() -> None:
    assert notices.webhook(DRIFT, None) == {
        "event": "drift",
        "enterprise": "sunshine-dental",
        "revision": SHA,
        "title": "sunshine-dental: drifted from git",
        "summary": "drifted: 1 difference",
        "details": [DRIFT.details[0]],
        "at": "2026-12-04T16:00:00.000Z",
        "statusUrl": None,
    }


def agent_status() -> AgentStatus:
    quiet = [CycleSummary(n, SHA, "interval", AT + n, AT + n + 0.5, "in sync") for n in (4, 3, 2)]
    return AgentStatus(
        repository="https://git.example/acme/sms.git",
        branch="main",
        revision=SHA,
        head="f" * 40,
        refused=("f" * 40, "enterprises/a.yaml:3:5: spec: <b>bad</b>"),
        interval=180.0,
        started=AT,
        enterprises=(
            EnterpriseStatus("<script>x</script>", "Failed", AT, "could not read it", SHA),
            EnterpriseStatus(
                "sunshine-dental",
                "OutOfSync",
                AT,
                "drifted: 1 difference",
                SHA,
                False,
                ("mapping +1: git a, live b",),
            ),
        ),
        cycles=(
            CycleSummary(5, "f" * 40, "interval", AT + 5, AT + 5.1, "refused", "refused: bad"),
            *quiet,
            CycleSummary(1, SHA, "start", AT, AT + 2.25, "applied", "First manifests"),
        ),
    )


def test_the_status_page_escapes_everything_and_folds_quiet_cycles() -> None:
    page = status.page(agent_status())
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>bad</b>" not in page
    assert (
        '<div class="banner">revision ffffffffffff was refused: enterprises/a.yaml:3:5: '
        "spec: &lt;b&gt;bad&lt;/b&gt;</div>"
    ) in page
    assert "http://" not in page.replace("http-equiv", "")  # no external assets
    cycles = page[page.index("<h2>Last cycles</h2>") :]
    assert cycles.count('<div class="cycle">') == 3
    assert (
        '<div class="cycle"><b>#2–4</b> in sync · 0123456789ab · interval · '
        "2026-12-04 16:00:02Z – 2026-12-04 16:00:04Z · 3 cycles</div>"
    ) in cycles
    assert (
        '<div class="cycle"><b>#1</b> applied · 0123456789ab · start · 2026-12-04 16:00:00Z · '
        '2.2 s<div class="note">First manifests</div></div>'
    ) in cycles


def test_the_status_document_has_each_enterprise_and_the_counts() -> None:
    document = status.document(agent_status())
    assert document["revision"] == SHA
    assert document["refused"] == {
        "revision": "f" * 40,
        "reason": "enterprises/a.yaml:3:5: spec: <b>bad</b>",
    }
    assert document["counts"] == {
        "Synced": 0,
        "OutOfSync": 1,
        "Healing": 0,
        "HeldBack": 0,
        "Failed": 1,
        "Unknown": 0,
    }
    assert document["enterprises"][1] == {
        "name": "sunshine-dental",
        "status": "OutOfSync",
        "since": "2026-12-04T16:00:00.000Z",
        "detail": "drifted: 1 difference",
        "revision": SHA,
        "selfHeal": False,
        "differences": ["mapping +1: git a, live b"],
        "lastSynced": None,
    }
    assert [c["id"] for c in document["cycles"]] == [5, 4, 3, 2, 1]


def test_history_as_text() -> None:
    cycles = [
        CycleEntry(
            SHA,
            "interval",
            AT + 60,
            AT + 61.25,
            "drift",
            "",
            (EnterpriseEntry("sunshine-dental", "OutOfSync", "observed", ("mapping +1: a, b",)),),
            2,
        ),
        CycleEntry(SHA, "start", AT, AT + 2, "applied", "First manifests", (), 1),
    ]
    assert history.text(cycles) == (
        "#2  2026-12-04T16:01:00.000Z  interval 0123456789ab  drift    1.2 s\n"
        "    sunshine-dental  OutOfSync (observed)\n"
        "        mapping +1: a, b\n"
        "#1  2026-12-04T16:00:00.000Z  start    0123456789ab  applied  2.0 s  First manifests\n"
    )
    assert history.text([]) == "No cycles in the history yet.\n"
