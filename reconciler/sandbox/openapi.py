"""The sandbox's own OpenAPI document, saying what it really answers: FastAPI documents a
422 it never sends (validation errors answer 400 in the vendor's shape), and none of the
vendor errors it does send. Here every 422 becomes that 400, an operation behind a
bearer token documents its 401 and one with a path parameter its 404. Checked with
schemathesis (status code and content type conformance) against `sandbox serve`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

AUTH = {"reseller", "user"}  # the dependencies that check a bearer token
# what answers 401 besides them: Connectel checks its token itself; the token endpoints
# refuse bad credentials (ContextSMS's login says 400 instead)
REFUSING = ("/connectel/", "/oauth/token", "/auth/getaccesstoken")
RAW_BODY = ("/_sandbox/seed", "/stripe/webhook")  # read the body themselves: 400 when bad
ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "code": {"type": "string"}},
    "required": ["error"],
}


def routes(items: Any) -> Iterator[APIRoute]:
    """Every APIRoute of the app, included routers opened."""
    for route in items:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from routes(route.original_router.routes)
        elif hasattr(route, "routes"):
            yield from routes(route.routes)


def _needs(route: APIRoute) -> set[str]:
    found: set[str] = set()
    todo = list(route.dependant.dependencies)
    while todo:
        dependency = todo.pop()
        found.add(getattr(dependency.call, "__name__", ""))
        todo += dependency.dependencies
    return found


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/VendorError"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of `app` (made once)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    guarded = [
        (method.lower(), route.path)
        for route in routes(app.router.routes)
        if _needs(route) & AUTH
        for method in route.methods or ()
    ]
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            invalid = responses.pop("422", None) is not None
            body = operation.get("parameters") or operation.get("requestBody")
            if invalid or body or path.endswith(RAW_BODY):
                responses.setdefault("400", _error("A field is missing or invalid"))
            guard = any(method == m and path.endswith(p) for m, p in guarded)
            if guard or path.startswith(REFUSING[0]) or path.endswith(REFUSING[1:]):
                responses.setdefault("401", _error("No valid bearer token"))
            if "{" in path:
                responses.setdefault("404", _error("What the path names does not exist"))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for phantom in ("HTTPValidationError", "ValidationError"):
        components.pop(phantom, None)
    components["VendorError"] = ERROR
    app.openapi_schema = schema
    return schema
