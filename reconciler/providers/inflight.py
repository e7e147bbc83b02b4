"""How many requests to one API may be in flight at once: at most P (`apply.parallelism`),
fewer while the vendor slows down, and P again once it recovers.

Every round of answers (twice the limit, at least ROUND), the round's median latency is
compared with the vendor's usual latency: the fastest round median of the last
USUAL_WINDOW seconds. A median more than SLOWER times the usual one, and at least
MARGIN seconds above it, means requests are queueing at the vendor: the limit drops to
DECREASE of itself (never below one). Any other round adds one back, up to P. The median
and not the mean, so that a heavy tail of a few slow calls is not taken for a slowdown;
the margin, so that the jitter of a vendor answering in a few milliseconds is not either.
The usual latency is forgotten after USUAL_WINDOW seconds, so a vendor that stays slower
whatever we send it is used at full parallelism again once that is its usual.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import statistics
import time
from collections.abc import Callable

Clock = Callable[[], float]
ROUND = 8  # answers per round at least
SLOWER = 2.0  # times the usual latency
MARGIN = 0.05  # seconds above the usual latency, at least
DECREASE = 0.75  # of the limit, on a slow round
USUAL_WINDOW = 10.0  # seconds a fast round is remembered as the usual
log = logging.getLogger("reconciler.ratelimit")


class Slots:
    """A semaphore whose size follows the vendor's latency (see the module's docstring).
    Waiters are admitted in order."""

    def __init__(self, parallelism: int, *, clock: Clock = time.monotonic, name: str = "") -> None:
        self.ceiling = max(1, parallelism)
        self.limit = float(self.ceiling)
        self.in_flight = 0
        self.lowered = 0  # slow rounds: how often the limit went down
        self._name = name
        self._clock = clock
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._samples: list[float] = []
        # the rounds that may still be the window's fastest, their medians increasing
        self._rounds: collections.deque[tuple[float, float]] = collections.deque()

    async def acquire(self) -> None:
        if not self._waiters and self.in_flight < int(self.limit):
            self.in_flight += 1
            return
        granted = asyncio.get_running_loop().create_future()
        self._waiters.append(granted)
        try:
            await granted  # the slot is counted for us by whoever grants it
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self.release()  # granted just as we were cancelled: pass it on
            elif granted in self._waiters:
                self._waiters.remove(granted)
            raise

    def release(self) -> None:
        self.in_flight -= 1
        self._admit()

    def answered(self, seconds: float) -> None:
        """One answer (or timeout) took `seconds`: at the end of a round, adjust the limit."""
        self._samples.append(seconds)
        if len(self._samples) < max(ROUND, 2 * int(self.limit)):
            return
        median = statistics.median(self._samples)
        self._samples.clear()
        now = self._clock()
        while self._rounds and self._rounds[-1][1] >= median:
            self._rounds.pop()  # slower than this one and older: never the fastest again
        self._rounds.append((now, median))
        while self._rounds[0][0] < now - USUAL_WINDOW:
            self._rounds.popleft()
        usual = self._rounds[0][1]
        if median > SLOWER * usual and median - usual >= MARGIN:
            before = int(self.limit)
            self.limit = max(1.0, self.limit * DECREASE)
            self.lowered += 1
            if int(self.limit) < before:
                log.info(
                    "%s slowed down: median latency %.0f ms against its usual %.0f ms: "
                    "at most %d requests in flight (was %d)",
                    self._name or "the API",
                    median * 1000,
                    usual * 1000,
                    int(self.limit),
                    before,
                    extra={
                        "fields": {
                            "api": self._name,
                            "medianMs": round(median * 1000, 1),
                            "usualMs": round(usual * 1000, 1),
                            "inFlight": int(self.limit),
                        }
                    },
                )
        elif self.limit < self.ceiling:
            self.limit = min(float(self.ceiling), self.limit + 1)
            self._admit()

    def _admit(self) -> None:
        while self._waiters and self.in_flight < int(self.limit):
            granted = self._waiters.popleft()
            if not granted.done():
                self.in_flight += 1
                granted.set_result(None)
