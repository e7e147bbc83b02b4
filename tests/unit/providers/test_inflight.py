"""The in-flight limit of one API: P, fewer while the vendor is slow, P again after."""

from __future__ import annotations

import asyncio
import logging

import pytest

from reconciler.providers.inflight import Slots


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def rounds(slots: Slots, clock: Clock, *latencies: float) -> list[int]:
    """Feed one round of answers per latency (a second apart); the limit after each."""
    limits = []
    for latency in latencies:
        size = max(8, 2 * int(slots.limit))
        for _ in range(size):
            slots.answered(latency)
        clock.now += 1.0
        limits.append(int(slots.limit))
    return limits


def test_a_vendor_that_slows_down_gets_fewer_requests_and_all_of_them_again_after(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    slots = Slots(8, clock=clock, name="ConnecttoTeams")
    with caplog.at_level(logging.INFO, logger="reconciler.ratelimit"):
        assert rounds(slots, clock, 0.1, 0.1, 0.11) == [8, 8, 8]
        # queueing at the vendor: each slow round takes a quarter off (never below one)
        assert rounds(slots, clock, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4) == [
            6,
            4,
            3,
            2,
            1,
            1,
            1,
            1,
        ]
        # it recovers: one more per round, up to P
        assert rounds(slots, clock, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1) == [
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            8,
        ]
    assert slots.lowered == 8
    assert caplog.messages[0] == (
        "ConnecttoTeams slowed down: median latency 400 ms against its usual 100 ms:"
        " at most 6 requests in flight (was 8)"
    )
    assert len(caplog.messages) == 5  # once per actual decrease (8>6>4>3>2>1)


def test_a_heavy_tail_or_jitter_is_not_a_slowdown() -> None:
    clock = Clock()
    slots = Slots(8, clock=clock)
    for _ in range(20):  # 1 call in 16 takes a second more: the median does not move
        for index in range(16):
            slots.answered(1.02 if index == 0 else 0.02)
        clock.now += 1.0
    assert (int(slots.limit), slots.lowered) == (8, 0)
    # a vendor answering in 2 ms then in 6 ms is three times slower, but only by 4 ms
    assert rounds(slots, clock, 0.002, 0.006, 0.006) == [8, 8, 8]


def test_a_vendor_that_stays_slow_is_used_fully_again_once_that_is_its_usual() -> None:
    clock = Clock()
    slots = Slots(8, clock=clock)
    assert rounds(slots, clock, 0.1, 0.5, 0.5, 0.5) == [8, 6, 4, 3]
    clock.now += 10.0  # the fast round is forgotten: 0.5 s is now the usual
    assert rounds(slots, clock, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5) == [4, 5, 6, 7, 8, 8]


def test_no_more_than_the_limit_in_flight_and_waiters_go_in_order() -> None:
    slots = Slots(3, clock=Clock())
    in_flight = 0
    peaks: list[int] = []  # the most in flight while each request was
    order: list[int] = []

    async def request(number: int, go: asyncio.Event) -> None:
        nonlocal in_flight
        await slots.acquire()
        order.append(number)
        in_flight += 1
        peaks.append(in_flight)
        await go.wait()
        await asyncio.sleep(0)
        in_flight -= 1
        slots.release()

    async def main() -> None:
        go = asyncio.Event()
        tasks = [asyncio.create_task(request(n, go)) for n in range(10)]
        await asyncio.sleep(0)
        assert (order, slots.in_flight) == ([0, 1, 2], 3)
        for latency in [0.1] * 8 + [0.5] * 8:  # a usual round, then a slow one
            slots.answered(latency)
        assert int(slots.limit) == 2
        go.set()
        await asyncio.gather(*tasks)

    asyncio.run(main())
    assert order == list(range(10))
    assert peaks[:3] == [1, 2, 3] and max(peaks[3:]) == 2
    assert slots.in_flight == 0


def test_a_waiter_cancelled_after_it_was_granted_passes_its_slot_on() -> None:
    async def main() -> None:
        slots = Slots(1)
        await slots.acquire()
        first = asyncio.create_task(slots.acquire())
        second = asyncio.create_task(slots.acquire())
        await asyncio.sleep(0)
        slots.release()  # granted to `first`...
        first.cancel()  # ...which is cancelled before it runs
        await asyncio.gather(first, return_exceptions=True)
        await asyncio.wait_for(second, 1)  # the slot went on to `second`
        assert slots.in_flight == 1
        third = asyncio.create_task(slots.acquire())
        await asyncio.sleep(0)
        third.cancel()  # cancelled while waiting: nothing is counted for it
        await asyncio.gather(third, return_exceptions=True)
        slots.release()
        assert slots.in_flight == 0
        await asyncio.wait_for(slots.acquire(), 1)

    asyncio.run(main())
