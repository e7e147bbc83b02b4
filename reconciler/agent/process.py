"""The agent as a long-running process: the loop in a thread of its own (a cycle at start,
then one every interval plus up to a tenth of it at random, or at once on a trigger), the
HTTP surface in another (uvicorn), and the main thread waiting for SIGTERM or SIGINT.

On a signal: no new cycle and no new change starts, the calls in flight finish, the
cycle's journal and history are written, the notifications queued are sent (for a few
seconds), and the process exits 0. A restart picks up from the history.
"""

from __future__ import annotations

import logging
import queue
import random
import signal
import threading
from collections.abc import Callable
from types import FrameType

import uvicorn

from reconciler.agent import server
from reconciler.agent.cycle import Agent

log = logging.getLogger("reconciler.agent")
SIGNALS = (signal.SIGTERM, signal.SIGINT)


def exit_code(agent: Agent) -> int:
    """For `--once` (cron): 1 when a revision was refused or an enterprise failed, 2 when
    one is out of sync, else 0 (as `drift`)."""
    snapshot = agent.snapshot()
    if snapshot.refused or snapshot.count("Failed") or snapshot.revision is None:
        return 1
    return 2 if snapshot.count("OutOfSync") else 0


def once(agent: Agent) -> int:
    """One cycle, then exit (cron, tests); a signal stops it as it stops `run`."""
    agent.open()
    previous = {s: signal.signal(s, lambda n, f: agent.stop.set()) for s in SIGNALS}
    try:
        entry = agent.cycle("once")
        _told(entry.id, entry.trigger, entry.outcome, entry.revision, entry.ended - entry.started)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        agent.close()
    if entry.outcome == "stopped":
        return 0
    return 1 if entry.outcome in ("failed", "refused") else exit_code(agent)


def run(
    agent: Agent,
    listen: tuple[str, int] | None,
    announce: Callable[[str], None] = lambda url: None,
) -> int:
    """Until SIGTERM or SIGINT: cycles, and the HTTP surface on `listen`."""
    sock = server.listen(*listen) if listen is not None else None
    url = None
    if sock is not None:
        host, port = sock.getsockname()[:2]
        url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        agent.status_url = agent.status_url or url
    try:
        agent.open()
    except BaseException:
        if sock is not None:
            sock.close()
        raise
    triggers: queue.Queue[server.Trigger | None] = queue.Queue()
    web: uvicorn.Server | None = None
    web_thread = None
    if sock is not None and url is not None:
        config = uvicorn.Config(
            server.create_app(agent, triggers),
            log_level="warning",
            access_log=False,
            lifespan="off",
            loop="asyncio",
        )
        web = uvicorn.Server(config)
        web_thread = threading.Thread(
            target=web.run, kwargs={"sockets": [sock]}, name="http", daemon=True
        )
        web_thread.start()
        announce(url)
    loop = threading.Thread(target=_loop, args=(agent, triggers), name="loop", daemon=True)
    loop.start()
    stopping = threading.Event()

    def on_signal(number: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {s: signal.signal(s, on_signal) for s in SIGNALS}
    try:
        while not stopping.wait(0.2) and loop.is_alive():
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        log.info("stopping: no new work; finishing the calls in flight")
        agent.stop.set()
        triggers.put(None)
        loop.join(agent.grace)  # the calls in flight end within the request timeout
        if web is not None and web_thread is not None:
            web.should_exit = True
            web_thread.join(10)
        agent.close()
    return 0


def _loop(agent: Agent, triggers: queue.Queue[server.Trigger | None]) -> None:
    trigger: server.Trigger = ("start", None)
    interval = agent.setup.interval
    while not agent.stop.is_set():
        try:
            entry = agent.cycle(*trigger)
            took = entry.ended - entry.started
            _told(entry.id, entry.trigger, entry.outcome, entry.revision, took)
        except Exception:  # one cycle's bug never stops the agent: logged, and on
            log.exception("the cycle failed unexpectedly; the agent goes on")
        if agent.stop.is_set():
            return
        wait = interval + random.uniform(0, interval / 10)
        try:
            item = triggers.get(timeout=wait)
        except queue.Empty:
            item = ("interval", None)
        if item is None:
            return
        trigger = item


def _told(
    number: int | None, trigger: str, outcome: str, revision: str | None, took: float
) -> None:
    log.info(
        "cycle %s (%s): %s at %s in %.1f s",
        number,
        trigger,
        outcome,
        (revision or "no revision")[:12],
        took,
        extra={
            "fields": {
                "cycle": number,
                "trigger": trigger,
                "outcome": outcome,
                "revision": revision,
                "seconds": round(took, 3),
            }
        },
    )
