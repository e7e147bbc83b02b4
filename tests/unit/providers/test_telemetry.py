"""The run's record of calls: every attempt kept once with the enterprise, change and
stage it served (tasks inherit them), logged at DEBUG with its fields and never a query
string; retries kept, logged at INFO and told to listeners; tallies of a stretch."""

from __future__ import annotations

import asyncio
import logging

import pytest

from reconciler.providers.telemetry import Attempt, Telemetry, scoped
from reconciler.wire.endpoints import Request

USERS = Request.to("listUsers", "POST", "/sms/getSMSUsers/{enterpriseId}", {"enterpriseId": 78})
DELIVERY = Request.to(
    "delivery", "GET", "/delivery/", {"authorization": "t0ken", "requestid": "R1"}
)


def test_each_attempt_is_kept_with_what_it_served(caplog: pytest.LogCaptureFixture) -> None:
    telemetry = Telemetry(clock=lambda: 1_800_000_000.0)
    caplog.set_level(logging.DEBUG, logger="reconciler.api")
    with scoped(enterprise="acme", stage="read"), scoped(change="acme/smsUser/a"):
        telemetry.record(
            "ConnecttoTeams", USERS, Attempt(2, "/c2t/sms/getSMSUsers/78", 1.5, 0.25, 12.345, 503)
        )
    telemetry.record(
        "Connectel", DELIVERY, Attempt(1, "/api/v2/delivery/", 2.0, 0, 30001, None, "timed out")
    )
    first, second = telemetry.calls
    assert first.fields() == {
        "enterprise": "acme",
        "change": "acme/smsUser/a",
        "stage": "read",
        "api": "ConnecttoTeams",
        "operation": "listUsers",
        "method": "POST",
        "path": "/sms/getSMSUsers/{enterpriseId}",  # the template: no ids
        "url": "/c2t/sms/getSMSUsers/78",
        "status": 503,
        "attempt": 2,
        "queuedMs": 0.2,
        "latencyMs": 12.3,
    }
    assert (second.enterprise, second.path, second.status, second.error) == (
        "",
        "/delivery/",
        None,
        "timed out",
    )
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "ConnecttoTeams listUsers POST /sms/getSMSUsers/{enterpriseId} -> 503 in 12 ms (attempt 2)",
        "Connectel delivery GET /delivery/ -> timed out in 30001 ms (attempt 1)",
    ]
    assert "t0ken" not in caplog.text  # the query string never reaches a log
    assert caplog.records[0].fields["change"] == "acme/smsUser/a"  # type: ignore[attr-defined]


def test_tasks_inherit_the_scope_they_were_started_in() -> None:
    telemetry = Telemetry()

    async def one(enterprise: str) -> None:
        with scoped(enterprise=enterprise):
            await asyncio.gather(*(asyncio.sleep(0) for _ in range(3)))
            telemetry.record("ContextSMS", USERS, Attempt(1, "/x", 0, 0, 1, 200))

    async def both() -> None:
        with scoped(stage="apply"):
            await asyncio.gather(one("a"), one("b"))

    asyncio.run(both())
    assert sorted((c.enterprise, c.stage) for c in telemetry.calls) == [
        ("a", "apply"),
        ("b", "apply"),
    ]


def test_retries_are_kept_logged_and_told(caplog: pytest.LogCaptureFixture) -> None:
    telemetry = Telemetry()
    heard: list[str] = []
    stop = telemetry.subscribe(lambda retry: heard.append(f"{retry.operation} {retry.attempt}"))
    caplog.set_level(logging.INFO, logger="reconciler.api")
    with scoped(enterprise="acme", change="acme/mapping/+1"):
        telemetry.retry("ContextSMS", "addMapping", 1, 0.5, "503 busy")
    stop()
    telemetry.retry("ContextSMS", "addMapping", 2, 1.0, "503 busy")
    assert heard == ["addMapping 1"]  # unsubscribed before the second
    assert [(r.change, r.attempt, r.wait) for r in telemetry.retries] == [
        ("acme/mapping/+1", 1, 0.5),
        ("", 2, 1.0),
    ]
    assert caplog.records[0].getMessage() == (
        "retrying ContextSMS addMapping in 0.5 s: attempt 1 failed: 503 busy"
    )
    assert caplog.records[0].fields["waitMs"] == 500.0  # type: ignore[attr-defined]


def test_a_tally_of_a_stretch_of_the_run() -> None:
    telemetry = Telemetry()
    telemetry.record("ConnecttoTeams", USERS, Attempt(1, "/x", 0, 0, 1, 200))
    mark = telemetry.mark()
    for status in (429, 429, 200, None):
        telemetry.record("ContextSMS", USERS, Attempt(1, "/x", 0, 0, 1, status))
    telemetry.retry("ContextSMS", "listUsers", 1, 0.1, "429")
    since = telemetry.since(mark)
    assert (len(since.calls), len(since.retries), since.throttled()) == (4, 1, {"ContextSMS": 2})
    assert since.statuses() == {
        ("ContextSMS", "200"): 1,
        ("ContextSMS", "429"): 2,
        ("ContextSMS", "none"): 1,
    }
    assert len(telemetry.since().calls) == 5
