"""What bounds one API's requests in a run: at most P in flight and at most R per second.

The token bucket paces requests with a small burst (a tenth of a second's worth), so a
vendor that enforces the same rate with a bucket of its own never sees us over it, even
when requests reach it with some jitter.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import TracebackType

Sleep = Callable[[float], Awaitable[None]]
EPSILON = 1e-9


class TokenBucket:
    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate / 10)
        self._tokens = self.capacity
        self._updated = clock()
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self.waits = 0  # how often a request had to wait for room

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
                self.waits += 1
                await self._sleep((1 - self._tokens) / self.rate)


class Gate:
    """Entered around every request to one API: a slot of `parallelism`, then the rate."""

    def __init__(self, parallelism: int, rate: float | None = None, **bucket: object) -> None:
        self.parallelism = parallelism
        self._slots = asyncio.Semaphore(parallelism)
        self.bucket = TokenBucket(rate, **bucket) if rate else None  # type: ignore[arg-type]

    async def __aenter__(self) -> None:
        await self._slots.acquire()
        if self.bucket is not None:
            try:
                await self.bucket.acquire()
            except BaseException:
                self._slots.release()
                raise

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._slots.release()
