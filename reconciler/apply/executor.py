"""Execute a Plan: phase by phase across all enterprises, bounded concurrency, and
partial failure that never loses work: independent changes continue, dependents of a
failed change are skipped, every enterprise still gets its Sync Unified App.

Rate limits, retries and the recovery of lost creates are the session's clients' own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from reconciler import errors
from reconciler.apply import refs
from reconciler.apply.outcome import Event, Outcome, Report, Status
from reconciler.plan.model import Call, Change, Plan
from reconciler.providers.session import Session

OnEvent = Callable[[Event], None]


class Executor:
    def __init__(self, plan: Plan, session: Session, parallelism: int, on_event: OnEvent) -> None:
        self.plan = plan
        self.session = session
        self.on_event = on_event
        self.parallelism = parallelism
        self.refs: dict[str, Any] = {}
        self.status: dict[str, Status] = {}
        self.reasons: dict[str, str] = {}
        self.started: set[str] = set()
        self.done = 0
        self.changes = plan.changes  # computed once: a plan may hold thousands
        self.total = len(self.changes)
        self.ids = {c.id for c in self.changes}
        self.calls_before = session.calls  # the read's calls are not the apply's
        self.throttled_before = session.throttled

    async def run(self) -> Report:
        changes = self.changes
        for phase in sorted({c.phase for ch in changes for c in ch.calls}):
            batch = [(ch, [c for c in ch.calls if c.phase == phase]) for ch in changes]
            batch = [(ch, calls) for ch, calls in batch if calls and self._runnable(ch)]
            await self._pool(batch)
            for change in changes:
                if change.id not in self.status and all(c.phase <= phase for c in change.calls):
                    self._finish(change, "applied")
        outcomes = tuple(
            Outcome(
                ch.id, ch.enterprise, self.status.get(ch.id, "skipped"), self.reasons.get(ch.id, "")
            )
            for ch in changes
        )
        throttled = {
            api: count - self.throttled_before.get(api, 0)
            for api, count in self.session.throttled.items()
            if count > self.throttled_before.get(api, 0)
        }
        return Report(outcomes, self.session.calls - self.calls_before, throttled)

    async def _pool(self, batch: list[tuple[Change, list[Call]]]) -> None:
        """Run a phase with `parallelism` workers: calls in flight never exceed it."""
        queue = iter(batch)

        async def worker() -> None:
            for change, calls in queue:
                await self._calls(change, calls)

        await asyncio.gather(*(worker() for _ in range(min(self.parallelism, len(batch)))))

    def _runnable(self, change: Change) -> bool:
        if change.id in self.status:
            return False
        for dependency in change.dependsOn:
            if dependency not in self.ids:  # held back: its enterprise could not be planned
                self._finish(change, "skipped", f"depends on {dependency}, which is held back")
                return False
            if self.status.get(dependency) in ("failed", "skipped"):
                self._finish(
                    change, "skipped", f"depends on {dependency}, which {self.status[dependency]}"
                )
                return False
        return True

    async def _calls(self, change: Change, calls: list[Call]) -> None:
        if change.id not in self.started:
            self.started.add(change.id)
            self.on_event(Event("start", change.id, self.done, self.total))
        for call in calls:
            try:
                await self._call(call)
            except refs.Unresolved as exc:
                self._finish(change, "skipped", f"needs {exc.args[0]}, which was not created")
                return
            except errors.ApiError as exc:
                self._finish(change, "failed", str(exc))
                return

    async def _call(self, call: Call) -> None:
        client = self.session.client(call.api)
        params = refs.resolve(call.pathParams, self.refs)
        path = call.path.format(**params)
        body = refs.resolve(call.body, self.refs)
        answer = await client.send(call.operation, call.method, path, params, body)
        for name, field in call.produces.items():
            self.refs[name] = answer[field]

    def _finish(self, change: Change, status: Status, reason: str = "") -> None:
        if change.id in self.status:
            return
        self.status[change.id] = status
        self.reasons[change.id] = reason
        self.done += 1
        outcome = Outcome(change.id, change.enterprise, status, reason)
        self.on_event(Event("finish", change.id, self.done, self.total, outcome))


async def execute(plan: Plan, session: Session, *, parallelism: int, on_event: OnEvent) -> Report:
    return await Executor(plan, session, parallelism, on_event).run()
