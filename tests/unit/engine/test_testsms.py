"""verify's test messages against a scripted gateway (httpx.MockTransport): one bulk send,
delivery reports polled until each message is final or the time is up, the clock and the
sleep injected so nothing waits; what is refused before anything is sent."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from reconciler.config.model import ConnectelProvider
from reconciler.engine import testsms
from reconciler.errors import ReconcilerError, UsageError
from reconciler.model import kinds, state
from reconciler.providers.connectel.client import ConnectelClient
from reconciler.providers.http import Wiring
from reconciler.providers.ratelimit import Gate
from reconciler.reports.delivery import Route, Target

TARGETS = [
    Target("acme", "+12025550101", (Route("USER", "a@x.com"),)),
    Target("acme", "+12025550110", (Route("SMS_GROUP", "Desk"), Route("TEAMS_APP", "19:d"))),
]


class Gateway:
    """Answers a bulk send with request ids, then each delivery report from `reports`."""

    def __init__(self, reports: list[dict[str, int]]) -> None:
        self.reports = reports
        self.sent: list[dict[str, Any]] = []
        self.asked = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/send/"):
            self.sent.append(json.loads(request.content))
            recipients = [{"key": str(i), "requestid": f"R{i}"} for i in range(2)]
            return httpx.Response(200, json={"bulkid": "B1", "recipient": recipients, "href": "x"})
        assert request.url.params["requestid"] == "B1"
        statuses = self.reports[min(self.asked, len(self.reports) - 1)]
        self.asked += 1
        items = [
            {"requestid": rid, "statusInt": s, "statusStr": NAMES[s]} for rid, s in statuses.items()
        ]
        return httpx.Response(200, json={"recipient": items})


NAMES = {0: "ENROUTE", 1: "DELIVRD", 5: "UNDELIV"}


def run(gateway: Gateway, timeout: float) -> tuple[list[testsms.Result], list[float]]:
    clock = iter(float(t) for t in range(100))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def send() -> list[testsms.Result]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(gateway)) as pool:
            settings = ConnectelProvider(url="https://gw.example/api/v2", token="gw-token-1")
            client = ConnectelClient(settings, settings.url, Wiring(pool, Gate(4)))
            message = testsms.TestMessage(
                "Reconciler", "hi", timeout, clock=lambda: next(clock), sleep=sleep
            )
            return await testsms.verify(client, TARGETS, message)

    return asyncio.run(send()), waits


def test_each_message_is_followed_until_it_is_final() -> None:
    gateway = Gateway([{"R0": 1, "R1": 0}, {"R0": 1, "R1": 5}])
    results, waits = run(gateway, timeout=60)
    assert [(r.target.number, r.status, r.seconds, r.ok) for r in results] == [
        ("+12025550101", "DELIVRD", 1.0, True),
        ("+12025550110", "UNDELIV", 2.0, False),
    ]
    assert all(r.delivered_to is None for r in results)  # not the sandbox: no inbox to ask
    assert waits == [testsms.POLL_INTERVAL]
    [body] = gateway.sent
    assert body == {
        "authorization": "gw-token-1",
        "sender": "Reconciler",
        "bulk": True,
        "recipient": [{"0": "12025550101"}, {"1": "12025550110"}],
        "message": "hi",
    }


def test_a_message_still_under_way_when_the_time_is_up_is_pending() -> None:
    results, waits = run(Gateway([{"R0": 1, "R1": 0}]), timeout=3)
    assert [(r.status, r.ok) for r in results] == [("DELIVRD", True), ("PENDING", False)]
    assert results[1].seconds is None
    assert len(waits) == 2  # asked at 1, 2 and 3 s: then the time was up


def test_what_the_gateway_would_refuse_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(UsageError) as sender:
        testsms.check(testsms.TestMessage(sender="a sender that is too long"))
    assert (sender.value.option, str(sender.value)) == (
        "--sender",
        "Invalid value for --sender: alphanumeric sender 'a sender that is too long' is longer "
        "than 11 characters",
    )
    with pytest.raises(UsageError, match="the message is empty"):
        testsms.check(testsms.TestMessage(message=""))


def test_the_numbers_to_text_are_the_managed_ones_in_scope() -> None:
    desired = state.State(
        enterprises={
            "acme": state.Enterprise(
                name="acme",
                users={"a@x.com": kinds.SmsUser(userId="a@x.com", numbers=("+12025550101",))},
                mappings={
                    "+12025550110": kinds.Mapping(
                        phoneNumber="+12025550110", messagingAppId="19:d", name="D"
                    )
                },
            )
        }
    )
    assert [t.number for t in testsms.choose(desired, ())] == ["+12025550101", "+12025550110"]
    assert [t.expected for t in testsms.choose(desired, ("+12025550110",))] == [
        (Route("TEAMS_APP", "19:d"),)
    ]
    with pytest.raises(ReconcilerError, match=r"^\+12025550199: not a managed SMS number"):
        testsms.choose(desired, ("+12025550199",))
    with pytest.raises(ReconcilerError, match="no managed SMS numbers in scope: nothing to verify"):
        testsms.choose(state.State(enterprises={"b": state.Enterprise(name="b")}), ())
