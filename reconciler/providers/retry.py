"""The one retry policy: transient failures (429 honouring Retry-After, 5xx, timeouts,
connection errors, malformed answers) are retried with exponential backoff and jitter, a
bounded number of attempts and an overall deadline, through tenacity; a connection that
cannot be made (refused, unknown host) only a few quick times; every other failure is
final at once. Sleeping is injected so tests never wait."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

import tenacity

from reconciler import errors

Sleep = Callable[[float], Awaitable[None]]
OnRetry = Callable[[int, float, BaseException], None]  # attempt, wait, what failed
RATE_LIMITED_ATTEMPTS = 4  # a 429 uses up a quarter of an attempt
UNREACHABLE_ATTEMPTS = 3  # a refused connection or unknown host: a few quick tries
HALT_CHECK = 0.25  # seconds: how often a wait before a retry looks whether to halt


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    deadline: float = 120.0  # seconds, across all attempts of one call
    initial: float = 0.5
    maximum: float = 20.0
    lookup_window: float = 60.0  # seconds a create with no answer is looked for (late commits)
    # once it says so, no call is tried again (the agent stopping: the call in flight
    # ends, the next apply finishes the change)
    halt: Callable[[], bool] | None = dataclasses.field(default=None, compare=False)

    def retrying(self, sleep: Sleep, on_retry: OnRetry | None = None) -> tenacity.AsyncRetrying:
        """The retry loop; `on_retry(attempt, wait, error)` before each wait."""

        def before_sleep(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            wait = state.next_action.sleep if state.next_action else 0.0
            if on_retry is not None and exc is not None:
                on_retry(state.attempt_number, float(wait), exc)

        async def pause(seconds: float) -> None:
            """`sleep`, cut short once halted (looked at every HALT_CHECK seconds)."""
            if self.halt is None:
                await sleep(seconds)
                return
            left = seconds
            while left > 0 and not self.halted():
                step = min(HALT_CHECK, left)
                await sleep(step)
                left -= step

        return tenacity.AsyncRetrying(
            stop=self._stop,
            wait=self._wait,
            retry=tenacity.retry_if_exception(
                lambda e: isinstance(e, errors.Transient) and not isinstance(e, errors.Down)
            ),
            reraise=True,
            sleep=pause,
            before_sleep=before_sleep,
        )

    def halted(self) -> bool:
        return self.halt is not None and self.halt()

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        """Stop at the deadline, or after `attempts` attempts; a vendor that throttles
        (429) is waited for longer (RATE_LIMITED_ATTEMPTS times as many), since its
        Retry-After and our backed-off rate say when it will take the request."""
        if state.seconds_since_start is not None and state.seconds_since_start >= self.deadline:
            return True
        if self.halted():
            return True
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, errors.Unreachable):  # nothing listens: minutes will not help
            return state.attempt_number >= min(self.attempts, UNREACHABLE_ATTEMPTS)
        limit = self.attempts * (
            RATE_LIMITED_ATTEMPTS if isinstance(exc, errors.RateLimited) else 1
        )
        return state.attempt_number >= limit

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, errors.RateLimited) and exc.retry_after is not None:
            return min(exc.retry_after, self.deadline)  # honoured, within the deadline
        backoff = tenacity.wait_exponential(
            multiplier=self.initial, max=self.maximum
        ) + tenacity.wait_random(0, self.initial)
        return float(backoff(state))


def unanswered(failure: errors.ApiError) -> bool:
    """Whether the vendor may still be acting on the request: no answer came (a timeout,
    a dropped connection), a gateway gave up on it (502, 504), or the answer was garbled."""
    if isinstance(failure, errors.Malformed):
        return True
    if not isinstance(failure, errors.Transient) or isinstance(failure, errors.Unreachable):
        return False
    return failure.status in (None, 502, 504)
