"""`verify`: send one bulk test message through Connectel to every managed number in
scope, follow the delivery reports (or the DLR callbacks) until each is final or the
timeout passes, and check where each landed (the sandbox says where it delivered)."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import Any

from reconciler.engine.run import Run
from reconciler.engine.workspace import Workspace
from reconciler.errors import ReconcilerError, UsageError
from reconciler.model import types
from reconciler.model.state import State
from reconciler.providers import vendors
from reconciler.providers.connectel import dlr
from reconciler.providers.connectel.client import ConnectelClient
from reconciler.providers.session import SessionOptions
from reconciler.reports.delivery import Result, Target, targets
from reconciler.reports.runsummary import RunSummary
from reconciler.wire import connectel
from reconciler.wire.numbers import to_digits

POLL_INTERVAL = 1.0


@dataclasses.dataclass(frozen=True)
class TestMessage:
    """What to send, from whom, and how long to wait for the delivery reports."""

    sender: str = "Reconciler"
    message: str = "reconciler verify: test message"
    timeout: float = 60.0
    callback_port: int | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


async def verify(
    client: ConnectelClient, targets: list[Target], options: TestMessage
) -> list[Result]:
    recipients = {str(i): to_digits(t.number) for i, t in enumerate(targets)}
    start = options.clock()
    if options.callback_port is None:
        answer = await client.send_bulk(options.sender, recipients, options.message)
        bulk_id, ids = connectel.request_ids(answer)
        finals = await _poll(client, bulk_id, set(ids.values()), start, options)
    else:
        async with dlr.receiver(options.callback_port) as queue:
            answer = await client.send_bulk(options.sender, recipients, options.message)
            bulk_id, ids = connectel.request_ids(answer)
            finals = await _callbacks(queue, set(ids.values()), start, options)
        if len(finals) < len(ids):  # a DLR that never came: ask once more
            finals |= await _poll(
                client,
                bulk_id,
                set(ids.values()) - set(finals),
                start,
                dataclasses.replace(options, timeout=0),
            )
    results = []
    for key, target in zip(recipients, targets, strict=True):
        status, seconds = finals.get(ids[key], ("PENDING", None))
        delivered = None
        wrong = False
        if client.is_sandbox and status == "DELIVRD":
            inbox = await client.inbox(target.number)
            entry = next((m for m in inbox if m.get("requestId") == ids[key]), None)
            delivered = tuple(entry["deliveredTo"]) if entry else ()
            wrong = not all(any(r.matches(d) for d in delivered) for r in target.expected)
        results.append(Result(target, status, seconds, delivered, wrong))
    return results


async def _poll(
    client: ConnectelClient, bulk_id: str, wanted: set[str], start: float, options: TestMessage
) -> dict[str, tuple[str, float]]:
    finals: dict[str, tuple[str, float]] = {}
    while True:
        report = await client.delivery(bulk_id)
        now = options.clock()
        for item in connectel.report_items(report):
            final = connectel.final_status(item)
            if final and final[0] in wanted and final[0] not in finals:
                finals[final[0]] = (final[1], now - start)
        if len(finals) == len(wanted) or now - start >= options.timeout:
            return finals
        await options.sleep(POLL_INTERVAL)


async def _callbacks(
    queue: asyncio.Queue[dict[str, Any]], wanted: set[str], start: float, options: TestMessage
) -> dict[str, tuple[str, float]]:
    finals: dict[str, tuple[str, float]] = {}
    while len(finals) < len(wanted):
        remaining = options.timeout - (options.clock() - start)
        if remaining <= 0:
            break
        try:
            payload = await asyncio.wait_for(queue.get(), timeout=remaining)
        except TimeoutError:
            break
        final = connectel.final_status(payload)
        if final and final[0] in wanted:
            finals[final[0]] = (final[1], options.clock() - start)
    return finals


@dataclasses.dataclass(frozen=True)
class Delivery:
    """What `verify` found: one result per number texted, what each message costs, and
    what the run cost."""

    results: tuple[Result, ...]
    cost: connectel.Cost
    run: RunSummary

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)


def send(
    workspace: Workspace,
    numbers: tuple[str, ...],
    options: TestMessage,
    run_options: SessionOptions,
) -> Delivery:
    """Text the managed numbers of the workspace (or only `numbers`) and follow them."""
    check(options)
    chosen = choose(workspace.desired, numbers)
    with Run(workspace.config, run_options) as run:
        found = run.perform(
            lambda: verify(run.session.client(vendors.CONNECTEL), chosen, options), "send"
        )
        summary = run.summary("verify")
    return Delivery(tuple(found), connectel.cost(options.message), summary)


def check(options: TestMessage) -> None:
    """Refuse, before anything is sent, what Connectel would refuse."""
    for problem, option in (
        (connectel.sender_problem(options.sender), "--sender"),
        (connectel.message_problem(options.message), "--message"),
    ):
        if problem:
            raise UsageError(problem, option)


def choose(desired: State, numbers: tuple[str, ...]) -> list[Target]:
    """The managed numbers to text: all in scope, or those named (each must be managed)."""
    for number in numbers:
        problem = types.e164_problem(number)
        if problem is not None:
            raise UsageError(problem, "--number")
    chosen = targets(desired, numbers)
    unknown = sorted(set(numbers) - {t.number for t in chosen})
    if unknown:
        raise ReconcilerError(
            f"{', '.join(unknown)}: not a managed SMS number in the manifests in scope"
        )
    if not chosen:
        raise ReconcilerError("no managed SMS numbers in scope: nothing to verify")
    return chosen
