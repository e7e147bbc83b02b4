"""Execute a Plan by its dependencies, not by phase barriers: each call runs as soon as
what it waits for is done, across enterprises, with at most `parallelism` calls at once
per API (each API has its own queue and workers, so one vendor's calls never take
another's turn); so one slow enterprise or one slow call holds only what depends on it.
Of the calls ready, an enterprise earlier in the plan goes first: enterprises are
finished one after another (a stopped apply leaves few half done), not all at once at
the end, while every worker still has work.

A change's calls run in order. A call of change A that depends on change B waits for
B's calls of an earlier phase (so a swap of two numbers has no cycle: both releases run
before both takes), and Sync Unified App, which depends on every other change of its
enterprise, runs last there. Partial failure never loses work: independent changes go
on, dependents of a failed change are skipped, and an enterprise still gets its Sync
(it waits for the others' outcome, whatever it is).

Rate limits, retries and the recovery of lost creates are the session's clients' own.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import time
from collections.abc import Callable
from typing import Any, Protocol

from reconciler import errors
from reconciler.apply import refs
from reconciler.apply.outcome import Event, Outcome, Report, Status
from reconciler.plan.model import Change, Plan
from reconciler.providers import vendors
from reconciler.providers.session import Session
from reconciler.providers.telemetry import scoped
from reconciler.wire.endpoints import Answer, Request

OnEvent = Callable[[Event], None]
STOPPED = "not started: the apply was stopped"


class Stop(Protocol):
    """What says the apply must stop (a threading.Event or an asyncio.Event will do)."""

    def is_set(self) -> bool: ...


Node = tuple[str, int]  # (change id, index of the call in the change)


@dataclasses.dataclass
class _Graph:
    """Which calls wait for which: counts of unmet prerequisites and who waits on whom."""

    waiting: dict[Node, int]
    dependents: dict[Node, list[Node]]


def graph(changes: tuple[Change, ...]) -> _Graph:
    by_id = {c.id: c for c in changes}
    waiting: dict[Node, int] = {}
    dependents: dict[Node, list[Node]] = collections.defaultdict(list)
    for change in changes:
        for index, call in enumerate(change.calls):
            before: list[Node] = [(change.id, index - 1)] if index else []
            for dependency in change.dependsOn:
                other = by_id.get(dependency)
                earlier = (
                    [j for j, c in enumerate(other.calls) if c.phase < call.phase] if other else []
                )
                if earlier:  # B's calls run in order: its last earlier call stands for all
                    before.append((dependency, earlier[-1]))
            waiting[(change.id, index)] = len(before)
            for node in before:
                dependents[node].append((change.id, index))
    return _Graph(waiting, dependents)


class Executor:
    def __init__(
        self,
        plan: Plan,
        session: Session,
        parallelism: int,
        on_event: OnEvent,
        stop: Stop | None = None,
    ) -> None:
        self.session = session
        self.on_event = on_event
        self.stop = stop  # once set, no change starts; those under way finish
        self.parallelism = parallelism
        self.refs: dict[str, Any] = {}
        self.status: dict[str, Status] = {}
        self.started: dict[str, tuple[float, float]] = {}  # id -> (epoch, perf counter)
        self.outcomes: dict[str, Outcome] = {}
        self.done = 0
        self.changes = plan.changes  # computed once: a plan may hold thousands
        self.by_id = {c.id: c for c in self.changes}
        self.order = {c.id: i for i, c in enumerate(self.changes)}
        self.total = len(self.changes)
        self.mark = session.telemetry.mark()  # the read's calls are not the apply's
        self.graph = graph(self.changes)
        ranks: dict[str, int] = {}
        self.rank = {c.id: ranks.setdefault(c.enterprise, len(ranks)) for c in self.changes}
        self.ready: dict[str, asyncio.PriorityQueue[tuple[int, int, int, Node | None]]] = {
            api: asyncio.PriorityQueue()
            for api in sorted({call.api for c in self.changes for call in c.calls})
        }
        self.open = sum(len(c.calls) for c in self.changes)  # calls not yet run or dropped
        self.completed: dict[str, int] = {}  # calls of each change that ran

    async def run(self) -> Report:
        for change in self.changes:
            held = [d for d in change.dependsOn if d not in self.by_id]
            if held:  # its enterprise could not be planned: nothing of it is applied
                self._drop(change, f"depends on {held[0]}, which is held back")
        for node, count in self.graph.waiting.items():
            if count == 0 and node[0] not in self.status:
                self._push(node)
        self._stop_if_idle()
        workers = max(1, self.parallelism)
        await asyncio.gather(
            *(self._worker(q) for q in self.ready.values() for _ in range(workers))
        )
        outcomes = tuple(
            self.outcomes.get(ch.id) or Outcome(ch.id, ch.enterprise, "skipped")
            for ch in self.changes
        )
        tally = self.session.telemetry.since(self.mark)
        return Report(outcomes, len(tally.calls), tally.throttled())

    def _push(self, node: Node) -> None:
        change = self.by_id[node[0]]
        call = change.calls[node[1]]
        self.ready[call.api].put_nowait((self.rank[node[0]], call.phase, self.order[node[0]], node))

    def _stop_if_idle(self) -> None:
        if self.open == 0:
            for queue in self.ready.values():
                for _ in range(max(1, self.parallelism)):
                    queue.put_nowait((1 << 30, 0, 0, None))

    async def _worker(
        self, ready: asyncio.PriorityQueue[tuple[int, int, int, Node | None]]
    ) -> None:
        while True:
            *_, node = await ready.get()
            if node is None:
                return
            change = self.by_id[node[0]]
            if change.id in self.status:  # failed or skipped while this call waited
                continue
            if self.stop is not None and self.stop.is_set() and change.id not in self.started:
                self._drop(change, STOPPED, "skipped")
                continue
            await self._run(change, node[1])

    async def _run(self, change: Change, index: int) -> None:
        if change.id not in self.started:
            self.started[change.id] = (time.time(), time.perf_counter())
            self.on_event(Event("start", change.id, self.done, self.total))
        try:
            await self._call(change, index)
        except refs.Unresolved as exc:
            self._drop(change, f"needs {exc.args[0]}, which was not created", "skipped")
            return
        except errors.ApiError as exc:
            self._drop(change, str(exc), "failed")
            return
        self.open -= 1
        self.completed[change.id] = index + 1
        if index == len(change.calls) - 1:
            self._finish(change, "applied")
        for waiter in self.graph.dependents.get((change.id, index), []):
            self._release(waiter)
        self._stop_if_idle()

    def _release(self, node: Node) -> None:
        """One prerequisite of `node` is over; it runs when none is left."""
        self.graph.waiting[node] -= 1
        if self.graph.waiting[node] == 0 and node[0] not in self.status:
            self._push(node)

    async def _call(self, change: Change, index: int) -> None:
        call = change.calls[index]
        client = self.session.client(vendors.BY_KEY[call.api])
        needs = tuple(call.produces.values())
        request = Request.to(
            call.operation,
            call.method,
            call.path,
            refs.resolve(call.pathParams, self.refs),
            json=refs.resolve(call.body, self.refs),
            expect=Answer("object", needs) if needs else None,
        )
        with scoped(enterprise=change.enterprise, change=change.id):
            answer = await client.send(request)
        for name, field in call.produces.items():
            self.refs[name] = answer[field]

    def _drop(self, change: Change, reason: str, status: Status = "skipped") -> None:
        """`change` ends without its remaining calls; so does everything that waits on
        them (skipped, naming what it depended on)."""
        work = [(change, reason, status)]
        while work:
            current, why, how = work.pop()
            if current.id in self.status:
                continue
            self._finish(current, how, why)
            ran = self.completed.get(current.id, 0)
            self.open -= len(current.calls) - ran
            for index in range(ran, len(current.calls)):
                for waiter in self.graph.dependents.get((current.id, index), []):
                    waiter_id = waiter[0]
                    if waiter_id == current.id or waiter_id in self.status:
                        continue
                    if self.by_id[waiter_id].runsAfterFailures:  # it only waits: it still runs
                        self._release(waiter)
                        continue
                    then = f"depends on {current.id}, which {how}"
                    work.append((self.by_id[waiter_id], then, "skipped"))
        self._stop_if_idle()

    def _finish(self, change: Change, status: Status, reason: str = "") -> None:
        if change.id in self.status:
            return
        self.status[change.id] = status
        self.done += 1
        began = self.started.get(change.id)
        seconds = time.perf_counter() - began[1] if began else 0.0
        at = began[0] if began else None
        outcome = Outcome(change.id, change.enterprise, status, reason, at, seconds)
        self.outcomes[change.id] = outcome
        self.on_event(Event("finish", change.id, self.done, self.total, outcome))


async def execute(
    plan: Plan,
    session: Session,
    *,
    parallelism: int,
    on_event: OnEvent,
    stop: Stop | None = None,
) -> Report:
    """Apply `plan`'s changes; once `stop` is set, no change starts (those under way finish
    their calls) and the report says it stopped."""
    report = await Executor(plan, session, parallelism, on_event, stop).run()
    return dataclasses.replace(report, stopped=bool(stop and stop.is_set()))
