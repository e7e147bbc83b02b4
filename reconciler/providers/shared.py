"""Reads shared among callers who each need one that began after a moment of their own.

After creating an enterprise, the twin rule reads the whole listing of its reseller (or
CSP) to see whether a concurrent run made one of the same name. An estate creates
hundreds at once, and the listing grows with the estate: read for each create, it would
cost a call each and answers that grow with the estate. A listing that began after a
create was answered sees what that create made, so the creates answered while one read
is under way share the next one: at most one read of a listing is in flight and one
waits to begin, whatever the number of callers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

Fetch = Callable[[], Awaitable[Any]]


class SharedReads:
    def __init__(self) -> None:
        self._waiting: dict[Hashable, asyncio.Future[Any]] = {}  # next read, not begun
        self._running: dict[Hashable, asyncio.Future[Any]] = {}  # the read under way
        self._tasks: set[asyncio.Task[None]] = set()

    async def after_now(self, key: Hashable, fetch: Fetch) -> Any:
        """The answer of a read of `key` that begins after this call (shared with every
        caller who asks before it begins); its failure is each caller's."""
        turn = self._waiting.get(key)
        if turn is None:
            turn = self._waiting[key] = asyncio.get_running_loop().create_future()
            task = asyncio.get_running_loop().create_task(self._read(key, turn, fetch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(turn)

    async def _read(self, key: Hashable, turn: asyncio.Future[Any], fetch: Fetch) -> None:
        before = self._running.get(key)
        if before is not None:  # one read at a time: this one gathers callers meanwhile
            await asyncio.wait([before])
        del self._waiting[key]  # from now on, callers need a read that begins later
        self._running[key] = turn
        try:
            turn.set_result(await fetch())
        except asyncio.CancelledError:
            turn.cancel()
            raise
        except Exception as exc:  # every caller gets it, as its own
            turn.set_exception(exc)
            turn.exception()  # retrieved: a caller that went away leaves no warning
        finally:
            if self._running.get(key) is turn:
                del self._running[key]
