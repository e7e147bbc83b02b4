"""A small fault proxy for the chaos suite: between the CLI and a served sandbox on
loopback, it forwards each HTTP/1.1 request and, by a seeded draw per request, answers
as a hostile network would: the connection reset after the vendor acted (the answer
lost), the body cut short under its Content-Length, an HTML page with 200 from a
"gateway", or a stall past the client's timeout. Only vendor routes are touched.
"""

from __future__ import annotations

import asyncio
import collections
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FAULTS = ("reset", "truncate", "html", "stall")
PAGE = b"<html><body><h1>Gateway</h1>upstream busy, try later</body></html>"
HTML = b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: %d\r\n\r\n%s" % (
    len(PAGE),
    PAGE,
)


class Proxy:
    def __init__(self, upstream_port: int, rates: dict[str, float], seed: int) -> None:
        self.upstream_port = upstream_port
        self.rates = rates
        self.random = random.Random(seed)
        self.counts: collections.Counter[str] = collections.Counter()
        self.port = 0
        self.stall = 3.0  # seconds; the client's timeout must be shorter

    def draw(self, path: bytes) -> str:
        if not path.startswith((b"/connecttoteams/", b"/contextsms/")):
            return "pass"
        roll = self.random.random()
        for fault in FAULTS:
            roll -= self.rates.get(fault, 0.0)
            if roll < 0:
                return fault
        return "pass"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            for _ in range(10_000):  # bounded: one client connection, many requests
                request = await _message(reader)
                if request is None:
                    return
                fault = self.draw(request.split(b" ", 2)[1])
                self.counts[fault] += 1
                if fault == "html":  # the gateway answers; the vendor never sees it
                    writer.write(HTML)
                    await writer.drain()
                    continue
                answer = await self.forward(request)
                if fault == "reset":
                    return
                if fault == "stall":
                    await asyncio.sleep(self.stall)
                    return
                if fault == "truncate":
                    head, _, body = answer.partition(b"\r\n\r\n")
                    writer.write(head + b"\r\n\r\n" + body[: len(body) // 2])
                    await writer.drain()
                    return
                writer.write(answer)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def forward(self, request: bytes) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            writer.write(request)
            await writer.drain()
            answer = await _message(reader)
            return answer or b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n"
        finally:
            writer.close()


async def _message(reader: asyncio.StreamReader) -> bytes | None:
    """One HTTP/1.1 message (head and a Content-Length body), or None at end of stream."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return head + body


@contextmanager
def running(upstream_port: int, rates: dict[str, float], seed: int) -> Iterator[Proxy]:
    """The proxy on a loopback port of its own (in a thread), stopped on exit."""
    proxy = Proxy(upstream_port, rates, seed)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    server: list[asyncio.Server] = []

    async def start() -> None:
        server.append(await asyncio.start_server(proxy.serve, "127.0.0.1", 0))
        proxy.port = server[0].sockets[0].getsockname()[1]
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop)
    assert started.wait(10), "the fault proxy did not start"

    async def stop() -> None:
        server[0].close()
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    try:
        yield proxy
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
