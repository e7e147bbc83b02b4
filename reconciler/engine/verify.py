"""Send one bulk test message to every target, follow the delivery reports (or the DLR
callbacks) until each is final or the timeout passes, and check where each landed."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import Any

from reconciler.engine.run import Run
from reconciler.errors import ReconcilerError, UsageError
from reconciler.model.state import State
from reconciler.providers.connectel import dlr
from reconciler.providers.connectel.client import ConnectelClient
from reconciler.reports.verify import Result, Target, targets
from reconciler.wire import connectel
from reconciler.wire.numbers import to_digits

POLL_INTERVAL = 1.0


@dataclasses.dataclass
class Options:
    sender: str
    message: str
    timeout: float
    callback_port: int | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


async def verify(client: ConnectelClient, targets: list[Target], options: Options) -> list[Result]:
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
    client: ConnectelClient, bulk_id: str, wanted: set[str], start: float, options: Options
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
    queue: asyncio.Queue[dict[str, Any]], wanted: set[str], start: float, options: Options
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


def verify_in(run: Run, targets: list[Target], options: Options) -> list[Result]:
    """verify through the run's session."""
    return run.do(lambda: verify(run.session.connectel, targets, options), "send")


def check(options: Options) -> None:
    """Refuse, before anything is sent, what Connectel would refuse."""
    for problem, option in (
        (connectel.sender_problem(options.sender), "--sender"),
        (connectel.message_problem(options.message), "--message"),
    ):
        if problem:
            raise UsageError(problem, option)


def choose(desired: State, numbers: tuple[str, ...]) -> list[Target]:
    """The managed numbers to text: all in scope, or those named (each must be managed)."""
    chosen = targets(desired, numbers)
    unknown = sorted(set(numbers) - {t.number for t in chosen})
    if unknown:
        raise ReconcilerError(
            f"{', '.join(unknown)}: not a managed SMS number in the manifests in scope"
        )
    if not chosen:
        raise ReconcilerError("no managed SMS numbers in scope: nothing to verify")
    return chosen
