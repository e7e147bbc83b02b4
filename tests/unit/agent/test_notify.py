"""Notifications: posted in the background to the targets that want the event, retried
when the target may recover, counted when it does not, the URL never said."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from reconciler.agent.notify import ATTEMPTS, Notifier
from reconciler.config.model import Notification
from reconciler.render import notices
from reconciler.reports.status import Notice, TargetStatus

SECRET_URL = "https://hooks.example/workflows/abc?sig=s3cret"
DRIFT = Notice("drift", "acme", "a" * 40, "drifted: 1 difference", ("mapping +1",), 1.0e9)
APPLIED = Notice("applied", "acme", "a" * 40, "applied 2 changes at aaaaaaaaaaaa", (), 1.0e9)


def test_each_target_gets_the_events_it_wants_and_retries_what_may_pass(
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers = {"teams": [503, 429, 200, 200], "webhook": [400]}
    received: list[tuple[str, dict[str, object]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        kind = "teams" if request.url.host == "hooks.example" else "webhook"
        received.append((kind, json.loads(request.content)))
        return httpx.Response(answers[kind].pop(0))

    targets = [
        Notification(kind="teams", url=SECRET_URL, events=["drift", "applied"]),
        Notification(kind="webhook", url="http://127.0.0.1:9/hook?token=s3cret", events=["drift"]),
    ]
    caplog.set_level(logging.WARNING, "reconciler.agent")
    notifier = Notifier(
        targets, "http://status.example/", transport=httpx.MockTransport(handler), wait=lambda a: 0
    )
    notifier.notify(DRIFT)
    notifier.notify(APPLIED)
    notifier.close()
    assert [kind for kind, _ in received] == ["teams", "teams", "teams", "webhook", "teams"]
    assert received[0][1] == notices.teams(DRIFT, "http://status.example/")
    assert received[3][1] == notices.webhook(DRIFT, "http://status.example/")
    assert received[4][1] == notices.teams(APPLIED, "http://status.example/")
    assert notifier.status() == (
        TargetStatus("notifications[0] (teams)", sent=2, failed=0, last_error=""),
        TargetStatus("notifications[1] (webhook)", sent=0, failed=1, last_error="answered 400"),
    )
    assert [r.getMessage() for r in caplog.records] == [
        "notifications[1] (webhook): drift not delivered (1 attempt): answered 400"
    ]
    assert "s3cret" not in caplog.text


def test_an_unreachable_target_is_counted_never_fatal() -> None:
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url)
        raise httpx.ConnectError("refused", request=request)

    notifier = Notifier(
        [Notification(kind="webhook", url=SECRET_URL, events=["failed"])],
        None,
        transport=httpx.MockTransport(handler),
        wait=lambda a: 0,
    )
    notifier.notify(DRIFT)  # not wanted: never posted
    notifier.notify(Notice("failed", "acme", None, "could not read it", (), 1.0e9))
    notifier.close()
    assert len(attempts) == ATTEMPTS
    assert notifier.status() == (
        TargetStatus("notifications[0] (webhook)", sent=0, failed=1, last_error="ConnectError"),
    )
