"""Notifications: each notice goes to the targets that want its event, posted in the
background (one thread, a queue) so the loop never waits, retried with backoff, and a
target that keeps failing is counted and named on the status page, never fatal. A
target's URL is a secret: it is never printed, logged or shown; a target is named by its
place in reconciler.yaml (`notifications[0] (teams)`)."""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
from collections.abc import Callable, Sequence

import httpx
import tenacity

from reconciler.config.model import Notification
from reconciler.render import notices
from reconciler.reports.status import Notice, TargetStatus

log = logging.getLogger("reconciler.agent")
TIMEOUT = 10.0  # seconds for one post
ATTEMPTS = 4


@dataclasses.dataclass
class _Target:
    name: str
    settings: Notification
    sent: int = 0
    failed: int = 0
    last_error: str = ""


class Notifier:
    """Posts notices to `targets` from a thread of its own; `close()` sends what is queued
    (within `drain` seconds) and stops."""

    def __init__(
        self,
        targets: Sequence[Notification],
        status_url: str | None,
        *,
        transport: httpx.BaseTransport | None = None,
        wait: Callable[[int], float] | None = None,
    ) -> None:
        self.targets = [_Target(f"notifications[{i}] ({t.kind})", t) for i, t in enumerate(targets)]
        self.status_url = status_url
        self._queue: queue.Queue[Notice | None] = queue.Queue()
        self._lock = threading.Lock()
        self._client = httpx.Client(transport=transport, timeout=TIMEOUT)
        self._wait = wait or (lambda attempt: min(2.0 ** (attempt - 1), 30.0))
        self._thread = threading.Thread(target=self._deliver, name="notifications", daemon=True)
        self._thread.start()

    def notify(self, notice: Notice) -> None:
        """Queue `notice` for every target that wants its event (never blocks)."""
        if any(notice.event in t.settings.events for t in self.targets):
            self._queue.put(notice)

    def status(self) -> tuple[TargetStatus, ...]:
        with self._lock:
            return tuple(TargetStatus(t.name, t.sent, t.failed, t.last_error) for t in self.targets)

    def close(self, drain: float = 10.0) -> None:
        self._queue.put(None)
        self._thread.join(drain)
        self._client.close()

    def _deliver(self) -> None:
        while True:
            notice = self._queue.get()
            if notice is None:
                return
            for target in self.targets:
                if notice.event in target.settings.events:
                    self._post(target, notice)

    def _post(self, target: _Target, notice: Notice) -> None:
        kind = target.settings.kind
        body = (notices.teams if kind == "teams" else notices.webhook)(notice, self.status_url)
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(ATTEMPTS),
            wait=lambda state: self._wait(state.attempt_number),
            retry=tenacity.retry_if_exception(_worth_retrying),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = self._client.post(target.settings.url, json=body)
                    response.raise_for_status()
        except httpx.HTTPError as exc:
            why = _why(exc)
            attempts = int(retrying.statistics.get("attempt_number", 1))
            with self._lock:
                target.failed += 1
                target.last_error = why
            log.warning(
                "%s: %s not delivered (%s): %s",
                target.name,
                notice.event,
                f"{attempts} attempt{'s' if attempts != 1 else ''}",
                why,
                extra={"fields": {"target": target.name, "event": notice.event, "reason": why}},
            )
            return
        with self._lock:
            target.sent += 1
            target.last_error = ""


def _worth_retrying(exc: BaseException) -> bool:
    """A transport error, a 429 or a 5xx may pass; another 4xx will not."""
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code == 429 or exc.response.status_code >= 500
    return isinstance(exc, httpx.HTTPError)


def _why(exc: httpx.HTTPError) -> str:
    """Why a post failed, never naming the URL (a secret)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"answered {exc.response.status_code}"
    return type(exc).__name__
