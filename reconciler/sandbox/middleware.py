"""ASGI middleware around the vendor routes: fault injection and the request log.

Pure ASGI (not BaseHTTPMiddleware) so that the body can be read for the log, a response
can be swallowed after the handler committed (`dropAfterCommitRate`), and a handler can
commit late whatever the client does (`commitDelayMs`).
"""

from __future__ import annotations

import asyncio
import datetime
import json
import urllib.parse
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconciler.sandbox import guard
from reconciler.sandbox.context import Sandbox
from reconciler.sandbox.faults import ActiveRule

APIS = ("connecttoteams", "contextsms", "connectel")
SECRET_KEYS = {
    "password",
    "clientsecret",
    "client_secret",
    "access_token",
    "accesstoken",
    "refresh_token",
    "refreshtoken",
    "authorization",
    "token",
}


def api_of(path: str) -> str | None:
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in APIS else None


def _server_error(scope: Scope, sandbox: Sandbox) -> dict[str, Any]:
    """An injected 5xx in the vendor's own shape (ContextSMS adds requestId and timestamp)."""
    message = "Service unavailable (injected fault)"
    if api_of(scope["path"]) == "contextsms":
        when = datetime.datetime.fromtimestamp(sandbox.clock.now(), datetime.UTC)
        return {
            "error": message,
            "requestId": f"req-{sandbox.rng.getrandbits(32):08x}",
            "timestamp": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    return {"error": message, "code": "UNAVAILABLE"}


def _bad_request(scope: Scope, message: str) -> dict[str, Any]:
    """A refused body in the vendor's own error shape."""
    if api_of(scope["path"]) == "connectel":
        return {"statusInt": 9, "statusStr": "UNKNOWN", "error": message}
    return {"error": message, "code": "BAD_REQUEST"}


async def _whole_body(receive: Receive) -> tuple[bytes, bool]:
    """The request body, read to its end (bounded), and whether the client went away."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(parts), True
        parts.append(message.get("body", b""))
        size += len(parts[-1])
        if not message.get("more_body") or size > guard.MAX_BODY:
            return b"".join(parts), False


def mask(value: Any) -> Any:
    """Replace every secret in a parsed body by '***'."""
    if isinstance(value, dict):
        return {k: "***" if str(k).lower() in SECRET_KEYS else mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def parse_body(raw: bytes, content_type: str) -> Any:
    """The body as the log keeps it: parsed when it can be, never failing."""
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        if guard.depth(text) > guard.MAX_DEPTH:  # kept as text, cut short
            return text[:200]
        try:
            return guard.clean(json.loads(text))
        except ValueError:
            return text
    if "form" in content_type:
        return dict(urllib.parse.parse_qsl(text))
    return text


class SandboxMiddleware:
    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox
        self._late_commits: set[asyncio.Task[None]] = set()  # kept alive until they commit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or api_of(scope["path"]) is None:
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        content_type = headers.get("content-type", "")
        raw, disconnected = await _whole_body(receive)
        replay: list[Message] = [{"type": "http.request", "body": raw, "more_body": False}]

        async def replaying_receive() -> Message:
            if replay:
                return replay.pop()
            if disconnected:
                return {"type": "http.disconnect"}
            return await receive()

        def log(status: int) -> None:
            self._log(scope, status, mask(parse_body(raw, content_type)))

        refused = guard.problem(raw, content_type)
        if refused is not None:
            await _answer(send, 400, _bad_request(scope, refused))
            log(400)
            return
        status = await self._handle(scope, replaying_receive, send, log)
        if status is not None:
            log(status)

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, log: Callable[[int], None]
    ) -> int | None:
        """Answer the request, with its route's faults; its status, or None when it is
        logged later (a late commit logs itself when it commits).

        Latency is a vendor's as its clients see it, its own work included: half of it
        on the way in, then the request is handled, and the answer leaves `latency` after
        the request came (later only when handling took longer than the other half), so
        the sandbox's CPU, on a machine it shares with the client, is inside the latency
        rather than added to it."""
        sandbox = self.sandbox
        active = sandbox.faults.match(scope["path"])
        if active is None:
            return await _run(self.app, scope, receive, send)
        rule = active.rule
        delay = rule.latencyMs / 1000
        if rule.slowRate and sandbox.rng.random() < rule.slowRate:
            delay += rule.slowMs / 1000  # the heavy tail real vendors have
        if not delay:
            return await self._answered(scope, receive, send, active, log)
        await sandbox.clock.sleep(delay / 2)
        began = sandbox.clock.now()
        held = _Held()
        status = await self._answered(scope, receive, held.send, active, log)
        await sandbox.clock.sleep(max(0.0, delay / 2 - (sandbox.clock.now() - began)))
        await held.release(send)
        return status

    async def _answered(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        active: ActiveRule,
        log: Callable[[int], None],
    ) -> int | None:
        sandbox = self.sandbox
        rule = active.rule
        if rule.expireTokens:
            scope.setdefault("state", {})["token_watermark"] = active.token_watermark
        retry_after = active.take(sandbox.clock.now())
        if retry_after is not None:
            await _answer(
                send,
                429,
                {"error": "Too many requests", "code": "RATE_LIMITED"},
                {"retry-after": str(int(retry_after))},
            )
            return 429
        if rule.errorRate and sandbox.rng.random() < rule.errorRate:
            await _answer(send, rule.errorStatus, _server_error(scope, sandbox))
            return rule.errorStatus
        if rule.ackWithoutCommitRate and sandbox.rng.random() < rule.ackWithoutCommitRate:
            await _answer(send, 200, {})
            return 200
        if rule.htmlRate and sandbox.rng.random() < rule.htmlRate:
            page = b"<!DOCTYPE html><html><body><form action=/login>Sign in</form></body></html>"
            head = [(b"content-type", b"text/html; charset=utf-8")]
            head.append((b"content-length", str(len(page)).encode()))
            await send({"type": "http.response.start", "status": 200, "headers": head})
            await send({"type": "http.response.body", "body": page})
            return 200
        if rule.commitDelayMs:
            await self._late(scope, receive, send, rule.commitDelayMs / 1000, log)
            return None
        if rule.dropAfterCommitRate and sandbox.rng.random() < rule.dropAfterCommitRate:

            async def swallow(message: Message) -> None:
                return None

            await _run(self.app, scope, receive, swallow)
            await _answer(send, 503, None)
            return 503
        return await _run(self.app, scope, receive, send)

    async def _late(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        delay: float,
        log: Callable[[int], None],
    ) -> None:
        """Take the whole request now, commit it `delay` seconds later in a task of its own
        (a client that gave up does not stop it), then answer if anyone still listens."""
        replayed = [await receive()]  # the whole body in one message: __call__ read it
        messages: list[Message] = []

        async def replay() -> Message:
            return replayed.pop() if replayed else {"type": "http.disconnect"}

        async def hold(message: Message) -> None:
            messages.append(message)

        async def commit() -> None:
            await self.sandbox.clock.sleep(delay)
            log(await _run(self.app, scope, replay, hold))

        task = asyncio.get_running_loop().create_task(commit())
        self._late_commits.add(task)
        task.add_done_callback(self._late_commits.discard)
        await asyncio.shield(task)
        for message in messages:
            await send(message)

    def _log(self, scope: Scope, status: int, body: Any) -> None:
        entry = (api_of(scope["path"]), scope["method"], scope["path"], status, json.dumps(body))
        self.sandbox.store.log(entry)


class _Held:
    """An answer's messages kept back until it is time to send them."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    async def release(self, send: Send) -> None:
        for message in self.messages:
            await send(message)


async def _run(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> int:
    status = 500

    async def capture(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        await send(message)

    await app(scope, receive, capture)
    return status


async def _answer(
    send: Send, status: int, body: Any, headers: dict[str, str] | None = None
) -> None:
    raw = b"" if body is None else json.dumps(body).encode()
    head = [(b"content-length", str(len(raw)).encode())]
    if body is not None:
        head.append((b"content-type", b"application/json"))
    head += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": raw})
