"""The provider boundary over httpx.MockTransport: each API's gate: the rate paced, backed off on a 429 and recovered, and a freed slot taken
before the answer that freed it is parsed."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from reconciler.config.model import ContextSmsProvider
from reconciler.providers import http
from reconciler.providers.contextsms.client import ContextSmsClient
from reconciler.providers.ratelimit import Gate
from reconciler.wire.endpoints import Request
from tests.unit.providers.clients import (
    Recorder,
    run,
    wiring,
)


def test_the_rate_limit_paces_requests() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    gate = Gate(8, 10.0, clock=lambda: now[0], sleep=sleep)

    async def enter_five_times() -> None:
        for _ in range(5):
            async with gate:
                pass

    run(enter_five_times())
    assert gate.bucket is not None and gate.bucket.capacity == 1.0
    assert waits == pytest.approx([0.1, 0.1, 0.1, 0.1])
    assert now[0] == pytest.approx(0.4)


def test_a_429_backs_the_rate_off_to_what_the_vendor_accepted_and_it_recovers() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    gate = Gate(8, None, clock=lambda: now[0], sleep=sleep)
    for i in range(50):  # fifty accepted in the last second: the vendor takes 50/s
        now[0] = i / 50
        gate.accepted(0.02)
    assert gate.rate is None
    gate.throttle()
    gate.throttle()  # the same burst: one decrease
    assert (gate.throttled, gate.rate) == (2, pytest.approx(45.0))
    for _ in range(45):
        gate.accepted(0.02)
    assert gate.rate == pytest.approx(46.0, abs=0.05)  # about +1/s per second of successes
    capped = Gate(8, 20.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(100):
        capped.accepted(0.02)
    assert capped.rate == 20.0  # the configured rate stays the ceiling
    now[0] += 0.5
    capped.throttle()
    assert capped.rate == pytest.approx(20.0 * 0.9)  # 100 accepted, more than the rate


@pytest.mark.parametrize("large", [True, False])
def test_the_request_waiting_for_a_slot_is_sent_before_a_large_answer_is_parsed(
    large: bool,
) -> None:
    """Answers come back in bursts: parsing each large one before the next request goes
    out would leave the vendor idle meanwhile. With one slot, E2 is sent before E1's
    large answer is parsed; a small answer is parsed first (requests that reach httpx's
    pool in the same turn of the loop are often given the same connection, and retried)."""
    order: list[str] = []
    answer = b"[" + b" " * (http.YIELD_ABOVE if large else 0) + b"]"

    def handler(request: httpx.Request) -> httpx.Response:
        order.append(f"sent {request.url.path}")
        if request.url.path == "/auth/login":
            return httpx.Response(
                200,
                json={
                    "accessToken": "a",
                    "refreshToken": "r",
                    "expirationTimeInUTC": "2999-01-01T00:00:00.000000000",
                },
            )
        return httpx.Response(200, content=answer, headers={"content-type": "application/json"})

    class Recording(ContextSmsClient):
        def _parsed(self, request: Request, response: httpx.Response) -> Any:
            order.append(f"parsed {response.request.url.path}")
            return super()._parsed(request, response)

    settings = ContextSmsProvider(url="https://csms.test", username="u", password="p")
    client = Recording(settings, "https://csms.test", wiring(handler, Recorder(), parallelism=1))

    async def both() -> list[Any]:
        return await asyncio.gather(
            client.op("listMappings", enterpriseId="E1"),
            client.op("listMappings", enterpriseId="E2"),
        )

    assert run(both()) == [[], []]
    mappings = "/numbertomessageappmapping/enterprise"
    sent_first = [f"sent {mappings}/E1", f"sent {mappings}/E2", f"parsed {mappings}/E1"]
    parsed_first = [f"sent {mappings}/E1", f"parsed {mappings}/E1", f"sent {mappings}/E2"]
    assert order == [
        "sent /auth/login",
        "parsed /auth/login",
        *(sent_first if large else parsed_first),
        f"parsed {mappings}/E2",
    ]
