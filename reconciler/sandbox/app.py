"""The sandbox ASGI app: the three vendor APIs, the admin routes and the error shapes.

`create_app` is what both `reconciler sandbox serve` (uvicorn) and the in-process
`url: sandbox` transport (httpx.ASGITransport) run.
"""

from __future__ import annotations

import atexit
import contextlib
import pathlib
import random
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from reconciler.sandbox import admin, connectel, connecttoteams, contextsms, errors, openapi
from reconciler.sandbox import seed as seedmod
from reconciler.sandbox.clock import Clock, SystemClock
from reconciler.sandbox.context import Sandbox
from reconciler.sandbox.faults import FaultRule, Faults
from reconciler.sandbox.middleware import SandboxMiddleware
from reconciler.sandbox.store import Store


def create_app(
    db: pathlib.Path | str,
    seed_path: pathlib.Path | None = None,
    *,
    clock: Clock | None = None,
    faults: list[FaultRule] | None = None,
    rng_seed: int | None = None,
) -> FastAPI:
    """The sandbox over the SQLite file `db`, seeded from `seed_path` when new."""
    store = Store(db)
    box = Sandbox(
        store=store,
        clock=clock or SystemClock(),
        seed_path=seed_path,
        faults=Faults(),
        rng=random.Random(rng_seed),
        started_with=list(faults or []),
        rng_seed=rng_seed,
    )
    if store.is_empty():
        store.reset(seedmod.load(seed_path))
    box.faults.set(faults or [], box.clock.now())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.flush_log()

    # In-process use has no lifespan: write the buffered request log when the process ends.
    atexit.register(store.flush_log)
    app = FastAPI(
        title="reconciler sandbox",
        description="Emulator of the ConnecttoTeams, ContextSMS and Connectel APIs.",
        version="1",
        lifespan=lifespan,
    )
    app.state.sandbox = box
    for module in (connecttoteams, contextsms, connectel, admin):
        app.include_router(module.router)
    app.include_router(connectel.status_router)
    app.add_exception_handler(errors.ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_middleware(SandboxMiddleware, sandbox=box)
    app.openapi = lambda: openapi.document(app)  # type: ignore[method-assign]
    return app


async def _api_error(request: Request, exc: errors.ApiError) -> JSONResponse:
    payload = exc.payload()
    if request.url.path.startswith("/connectel") and exc.body is None:
        payload = {"statusInt": 9, "statusStr": "UNKNOWN", "error": exc.message}
    return JSONResponse(payload, status_code=exc.status, headers=exc.headers)


HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Unknown routes and wrong methods answer in the vendor's error shape, not FastAPI's."""
    if exc.status_code == 405:
        message = f"Method {request.method} is not supported for {request.url.path}"
    elif exc.status_code == 404 and exc.detail == "Not Found":
        message = f"No endpoint {request.method} {request.url.path}"
    else:
        message = str(exc.detail)
    code = HTTP_CODES.get(exc.status_code, "BAD_REQUEST" if exc.status_code < 500 else "ERROR")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # Starlette names the first matching route's methods only
        headers["Allow"] = ", ".join(_methods(request))
    return await _api_error(request, errors.ApiError(exc.status_code, code, message, headers))


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _methods(request: Request) -> list[str]:
    """Every method some route of the app serves at the request's path (RFC 9110 15.5.6),
    asked of the router itself, method by method."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    ]


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 becomes the vendors' 400 naming the field."""
    first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
    location = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    field = ".".join(location) or "body"
    kind = first.get("type", "")
    message = (
        f"Missing required field '{field}'"
        if kind == "missing"
        else f"Invalid field '{field}': {first.get('msg', '')}"
    )
    return await _api_error(request, errors.bad_request(message))
