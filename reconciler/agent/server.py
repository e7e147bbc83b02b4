"""The agent's HTTP surface (Starlette, served by uvicorn): the status page and its JSON,
Prometheus metrics, health and readiness, the git push hook and a sync on demand.

Everything but /healthz asks for the configured bearer token (when there is one); the
hook is signed instead (GitHub's X-Hub-Signature-256 HMAC of the body, or GitLab's
X-Gitlab-Token, against agent.webhookSecret): anything unsigned or wrongly signed is a
401 and changes nothing. Triggers are queued for the loop; nothing here waits for one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from reconciler.agent.cycle import Agent
from reconciler.render import status as render

Trigger = tuple[str, str | None]  # (what started it, one enterprise or None)
Endpoint = Callable[[Request], Awaitable[Response]]
OPEN = frozenset({"/healthz", "/hooks/git"})  # not behind the bearer token


def listen(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one (read it back from getsockname)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def signed(secret: str, headers: Any, body: bytes) -> bool:
    """Whether a push hook carries a valid signature: GitHub's HMAC-SHA256 of the body,
    or GitLab's token (compared in constant time)."""
    github = headers.get("x-hub-signature-256")
    if github:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(github.encode(), expected.encode())
    gitlab = headers.get("x-gitlab-token")
    return bool(gitlab) and hmac.compare_digest(gitlab.encode(), secret.encode())


def create_app(agent: Agent, triggers: queue.Queue[Trigger | None]) -> Starlette:
    """The routes, reading the token and the hook secret of the revision applied now."""

    def guarded(endpoint: Endpoint) -> Endpoint:
        async def checked(request: Request) -> Response:
            token = agent.settings.token if agent.settings else None
            if token and request.url.path not in OPEN:
                given = request.headers.get("authorization", "")
                if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                    return JSONResponse({"error": "a bearer token is required"}, 401)
            return await endpoint(request)

        return checked

    async def page(request: Request) -> Response:
        return HTMLResponse(render.page(agent.snapshot()))

    async def status(request: Request) -> Response:
        return JSONResponse(render.document(agent.snapshot()))

    async def metrics(request: Request) -> Response:
        text = agent.metrics.text(agent.snapshot().notifications)
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4")

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def readyz(request: Request) -> Response:
        snapshot = agent.snapshot()
        problems = []
        if snapshot.fetch_error:
            problems.append(f"repository: {snapshot.fetch_error}")
        if snapshot.revision is None:
            problems.append("no revision applied yet")
        unread = [e.name for e in snapshot.enterprises if e.status == "Failed"]
        if unread and len(unread) == len(snapshot.enterprises):
            problems.append("no enterprise can be read: check the vendors (reconciler doctor)")
        if problems:
            return JSONResponse({"ready": False, "problems": problems}, 503)
        return JSONResponse({"ready": True, "revision": snapshot.revision})

    async def hook(request: Request) -> Response:
        body = await request.body()
        secret = agent.settings.webhook_secret if agent.settings else None
        if not secret:
            return JSONResponse(
                {"error": "no webhook secret is configured (agent.webhookSecret)"}, 404
            )
        if not signed(secret, request.headers, body):
            return JSONResponse({"error": "unsigned or wrongly signed"}, 401)
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            payload = {}
        ref = payload.get("ref") if isinstance(payload, dict) else None
        if isinstance(ref, str) and ref != f"refs/heads/{agent.repo.branch}":
            return JSONResponse({"triggered": False, "reason": f"a push to {ref}"}, 202)
        triggers.put(("hook", None))
        return JSONResponse({"triggered": True}, 202)

    async def sync(request: Request) -> Response:
        enterprise = request.query_params.get("enterprise")
        if enterprise is not None and not agent.knows(enterprise):
            return JSONResponse({"error": f"no enterprise named {enterprise!r}"}, 404)
        triggers.put(("sync", enterprise))
        return JSONResponse({"triggered": True, "enterprise": enterprise}, 202)

    routes = [
        Route("/", guarded(page)),
        Route("/api/status", guarded(status)),
        Route("/metrics", guarded(metrics)),
        Route("/healthz", guarded(healthz)),
        Route("/readyz", guarded(readyz)),
        Route("/hooks/git", guarded(hook), methods=["POST"]),
        Route("/api/sync", guarded(sync), methods=["POST"]),
    ]
    return Starlette(routes=routes)
