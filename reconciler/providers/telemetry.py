"""What a run's API calls did, as they happened: one record per attempt sent, the
retries and the rate the vendors allowed. The one place calls are logged.

Each record says which enterprise and which change it served (a context variable the
reader and the executor set, so tasks they start inherit it), the API, the operation,
the method, the path template (ids left as `{placeholders}`: no query string, so no
token a vendor wants in one), the status (None when no answer came), the attempt, how
long it queued behind the API's limits and how long the vendor took.

Logging (the standard `logging` module, configured by the CLI): every call at DEBUG
on `reconciler.api`; retries (with the wait) and rate changes at INFO. The fields go in
the record's `fields` extra, which the CLI's formatters write out. Never a header, a
body or a query string: no token, password or secret can reach a log.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import logging
import time
from collections.abc import Callable, Iterator

from reconciler.model.record import Call, Retry, Tally
from reconciler.wire.endpoints import Request

log = logging.getLogger("reconciler.api")


@dataclasses.dataclass(frozen=True)
class Attempt:
    """One try of a request: its number, the path sent (no query string), when it was
    sent, how long it queued behind the API's limits and waited for its answer, and the
    status (None when no answer came, and `error` says why)."""

    number: int
    url: str
    sent: float
    queued_ms: float
    latency_ms: float
    status: int | None = None
    error: str = ""


@dataclasses.dataclass(frozen=True)
class Scope:
    """What the calls made now are for (empty: the run itself, such as a CSP-wide read)."""

    enterprise: str = ""
    change: str = ""
    stage: str = ""  # read, apply, re-read, send (the engine names the stage)


SCOPE: contextvars.ContextVar[Scope] = contextvars.ContextVar(
    "reconciler_scope",
    default=Scope(),  # noqa: B039 (frozen: never mutated)
)


@contextlib.contextmanager
def scoped(**fields: str) -> Iterator[Scope]:
    """Calls made inside (and by tasks started inside) are for this scope; unnamed
    fields are kept from the enclosing one."""
    scope = dataclasses.replace(SCOPE.get(), **fields)
    token = SCOPE.set(scope)
    try:
        yield scope
    finally:
        SCOPE.reset(token)


Listener = Callable[[Retry], None]


class Telemetry:
    """The run's record of calls and retries; the session owns one."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.calls: list[Call] = []
        self.retries: list[Retry] = []
        self._clock = clock
        self._listeners: list[Listener] = []

    def now(self) -> float:
        return self._clock()

    def record(self, api: str, request: Request, attempt: Attempt) -> None:
        """One attempt at `request` to `api`, answered or not: kept, and logged at DEBUG."""
        scope = SCOPE.get()
        call = Call(
            attempt.sent,
            api,
            request.operation,
            request.method,
            request.template or request.path,
            attempt.url,
            attempt.status,
            attempt.number,
            attempt.queued_ms,
            attempt.latency_ms,
            scope.enterprise,
            scope.change,
            scope.stage,
            attempt.error,
        )
        self.calls.append(call)
        if log.isEnabledFor(logging.DEBUG):
            status = attempt.status
            answer = str(status) if status is not None else (attempt.error or "no answer")
            log.debug(
                "%s %s %s %s -> %s in %.0f ms (attempt %d)",
                api,
                call.operation,
                call.method,
                call.path,
                answer,
                call.latency_ms,
                call.attempt,
                extra={"fields": call.fields()},
            )

    def retry(self, api: str, operation: str, attempt: int, wait: float, why: str) -> None:
        scope = SCOPE.get()
        retry = Retry(api, operation, attempt, wait, why, scope.enterprise, scope.change)
        self.retries.append(retry)
        # A warning, so shown by default: a run waiting on a vendor says what it waits for
        log.warning(
            "retrying %s %s in %.1f s: attempt %d failed: %s",
            api,
            operation,
            wait,
            attempt,
            why,
            extra={
                "fields": {
                    "enterprise": scope.enterprise or None,
                    "change": scope.change or None,
                    "api": api,
                    "operation": operation,
                    "attempt": attempt,
                    "waitMs": round(wait * 1000, 1),
                    "reason": why,
                }
            },
        )
        for listener in self._listeners:
            listener(retry)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` on each retry; returns what unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def mark(self) -> tuple[int, int]:
        """Where the record stands now (see `since`)."""
        return len(self.calls), len(self.retries)

    def since(self, mark: tuple[int, int] = (0, 0)) -> Tally:
        return Tally(tuple(self.calls[mark[0] :]), tuple(self.retries[mark[1] :]))
