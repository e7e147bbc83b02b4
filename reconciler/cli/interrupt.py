"""An apply told to stop (Ctrl-C, SIGTERM) stops gracefully, as Terraform does: the first
signal starts no new change and lets the calls in flight finish (bounded by the request
timeout), so the journal, the JUnit report and the metrics asked for are written and the
summary says what was applied and what was not; a second signal stops at once.

Armed only once the plan has been reviewed: before that, nothing has been sent, and
Ctrl-C at the confirmation prompt or during the reads ends the command at once."""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any

from reconciler.cli import logs

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupts:
    """`stop` is set by the first signal once armed (apply's `stop`)."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self._previous: dict[int, Any] = {}

    def arm(self) -> None:
        if self._previous or threading.current_thread() is not threading.main_thread():
            return
        for number in SIGNALS:
            self._previous[number] = signal.signal(number, self._heard)

    def _heard(self, number: int, frame: FrameType | None) -> None:
        if self.stop.is_set():
            self.disarm()
            raise KeyboardInterrupt
        self.stop.set()
        logs.say(
            f"{signal.Signals(number).name}: stopping; no new change starts, the calls under "
            "way finish (interrupt again to stop at once)",
            "warning",
        )

    def disarm(self) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()

    def __enter__(self) -> Interrupts:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.disarm()
