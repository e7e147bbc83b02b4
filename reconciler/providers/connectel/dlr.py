"""A tiny HTTP receiver for Connectel delivery callbacks (DLRs) on a local port."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any


@contextlib.asynccontextmanager
async def receiver(
    port: int, host: str = "0.0.0.0"
) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
    """Yields a queue of the DLR payloads posted to http://HOST:PORT/ while it runs."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip() or 0)
            body = await reader.readexactly(length) if length else b""
            payload = json.loads(body or b"{}")
            if isinstance(payload, dict):
                await queue.put(payload)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        except (ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.write(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
        finally:
            with contextlib.suppress(ConnectionError):
                await writer.drain()
            writer.close()

    server = await asyncio.start_server(handle, host, port)
    try:
        yield queue
    finally:
        server.close()
        await server.wait_closed()
