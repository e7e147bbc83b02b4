"""What bounds one API's requests in a run: at most P in flight (fewer while the vendor
slows down: see inflight.py), and a request rate that backs off when the vendor throttles
and recovers after (AIMD), never above the configured rate.

The token bucket paces requests with a small burst (a tenth of a second's worth), so a
vendor that enforces the same rate with a bucket of its own never sees us over it, even
when requests reach it with some jitter. On a 429 the rate drops to 90% of what the
vendor accepted over the last second (multiplicative decrease, once per second at
most); each answer that is not a 429 adds back a little, about one request per second
per second (additive increase), up to the configured ceiling, or without one when none
is configured.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Awaitable, Callable
from types import TracebackType

from reconciler.providers.inflight import Slots

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]
EPSILON = 1e-9
DECREASE = 0.9  # of the rate the vendor accepted over the last second
WINDOW = 1.0  # seconds over which the accepted rate is measured
MINIMUM = 1.0  # requests per second, however hard the vendor throttles
log = logging.getLogger("reconciler.ratelimit")


class TokenBucket:
    def __init__(
        self, rate: float, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.rate = rate
        self._tokens = self.capacity
        self._updated = clock()
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()

    @property
    def capacity(self) -> float:
        return max(1.0, self.rate / 10)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                elapsed = now - self._updated
                self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
                self._updated = now
                if self._tokens >= 1 - EPSILON:  # float sums of refills fall just short
                    self._tokens = max(0.0, self._tokens - 1)
                    return
                await self._sleep((1 - self._tokens) / self.rate)


class Gate:
    """Entered around every request to one API: one of its slots (`parallelism`, fewer
    while it is slow), then the rate."""

    def __init__(
        self,
        parallelism: int,
        rate: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        name: str = "",
    ) -> None:
        self.name = name  # the API, for the log
        self.ceiling = rate
        self.slots = Slots(parallelism, clock=clock, name=name)
        self._clock = clock
        self._sleep = sleep
        self.bucket = TokenBucket(rate, clock=clock, sleep=sleep) if rate else None
        self.throttled = 0  # answers that were 429
        self._accepted: collections.deque[float] = collections.deque()
        self._last_decrease = float("-inf")

    @property
    def rate(self) -> float | None:
        """The request rate in force now (None: unlimited)."""
        return self.bucket.rate if self.bucket else None

    async def __aenter__(self) -> None:
        await self.slots.acquire()
        if self.bucket is not None:
            try:
                await self.bucket.acquire()
            except BaseException:
                self.slots.release()
                raise

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.slots.release()

    def accepted(self, seconds: float) -> None:
        """The vendor answered (anything but a 429) in `seconds`: remember it, and
        recover a little."""
        self.slots.answered(seconds)
        now = self._clock()
        self._accepted.append(now)
        while self._accepted and self._accepted[0] < now - WINDOW:
            self._accepted.popleft()
        bucket = self.bucket
        if bucket is not None and (self.ceiling is None or bucket.rate < self.ceiling):
            grown = bucket.rate + 1 / bucket.rate
            bucket.rate = grown if self.ceiling is None else min(self.ceiling, grown)

    def throttle(self) -> None:
        """The vendor answered 429: slow down to a little under what it accepted."""
        self.throttled += 1
        now = self._clock()
        if now - self._last_decrease < WINDOW:
            return  # one decrease per burst of 429s
        self._last_decrease = now
        while self._accepted and self._accepted[0] < now - WINDOW:
            self._accepted.popleft()
        accepted = len(self._accepted) / WINDOW
        current = self.bucket.rate if self.bucket else accepted
        rate = max(MINIMUM, min(current, accepted) * DECREASE)
        if self.bucket is None:
            self.bucket = TokenBucket(rate, clock=self._clock, sleep=self._sleep)
        else:
            self.bucket.rate = rate
        ceiling = f"{self.ceiling:g}/s" if self.ceiling else "none configured"
        log.info(
            "%s answered 429: request rate lowered to %.1f/s (ceiling %s)",
            self.name or "the API",
            rate,
            ceiling,
            extra={"fields": {"api": self.name, "rate": round(rate, 2), "ceiling": self.ceiling}},
        )
