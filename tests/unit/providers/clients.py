"""Vendor clients over httpx.MockTransport for the provider tests: nothing is patched."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from reconciler.config.model import ConnecttoTeamsProvider, ContextSmsProvider
from reconciler.providers import http
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.contextsms.client import ContextSmsClient
from reconciler.providers.http import VendorClient
from reconciler.providers.ratelimit import Gate
from reconciler.providers.retry import RetryPolicy
from reconciler.wire import connecttoteams as c2t_wire
from reconciler.wire.endpoints import Answer, Request

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.now = 1000.0

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def clock(self) -> float:
        return self.now


def wiring(handler: Any, recorder: Recorder, parallelism: int = 8, **policy: Any) -> http.Wiring:
    """The client side of a session over httpx.MockTransport: nothing is patched."""
    pool = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return http.Wiring(pool, Gate(parallelism), RetryPolicy(**policy), recorder.sleep)


def c2t_client(handler: Any, recorder: Recorder, **policy: Any) -> ConnecttoTeamsClient:
    settings = ConnecttoTeamsProvider(
        url="https://c2t.test",
        clientId="id",
        clientSecret="s3cret",
        username="admin",
        password="pw",
        resellerId=54,
    )
    return ConnecttoTeamsClient(
        settings,
        c2t_wire.ENDPOINTS,
        "https://c2t.test",
        wiring(handler, recorder, **policy),
        clock=recorder.clock,
    )


def csms_client(handler: Any, url: str = "https://csms.test", **policy: Any) -> ContextSmsClient:
    settings = ContextSmsProvider(url=url, username="u", password="p")
    return ContextSmsClient(settings, url, wiring(handler, Recorder(), **policy))


def token_answer(value: str, expires: int = 3600) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "access_token": value,
            "token_type": "bearer",
            "expires_in": expires,
            "refresh_token": "r-" + value,
        },
    )


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def planned(
    client: VendorClient,
    operation: str,
    values: dict[str, Any],
    body: Any = None,
    needs: tuple[str, ...] = (),
) -> Request:
    """A planned call of `operation` as the executor sends it (`needs`: the answer's ids)."""
    expect = Answer("object", needs) if needs else None
    return client.request(operation, values, json=body, expect=expect)
