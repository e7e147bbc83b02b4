"""Build the vendor clients a command needs from reconciler.yaml.

`url: sandbox` means the in-process sandbox: the CLI (the only layer allowed to import
the sandbox) passes its ASGI app here and we reach it through httpx.ASGITransport.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Mapping
from typing import Any, cast

from reconciler.config.loader import Config, is_loopback
from reconciler.config.model import ConnectelProvider, ConnecttoTeamsProvider, ContextSmsProvider
from reconciler.model import endpoints as endpoint_map
from reconciler.providers import http
from reconciler.providers.connectel.client import ConnectelClient
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.contextsms.client import ContextSmsClient

SANDBOX_PATHS = {
    "connecttoteams": "/connecttoteams",
    "contextsms": "/contextsms/api/v2",
    "connectel": "/connectel/api/v2",
}


@dataclasses.dataclass
class Clients:
    connecttoteams: ConnecttoTeamsClient | None
    contextsms: ContextSmsClient | None
    endpoints: dict[str, endpoint_map.Endpoint]

    async def aclose(self) -> None:
        for client in (self.connecttoteams, self.contextsms):
            if client is not None:
                await client.aclose()

    @property
    def calls(self) -> int:
        return sum(c.calls for c in (self.connecttoteams, self.contextsms) if c is not None)


def uses_sandbox(config: Config) -> bool:
    providers = config.settings.providers
    return any(
        p is not None and p.url == "sandbox"
        for p in (providers.connecttoteams, providers.contextsms, providers.connectel)
    )


def transport(name: str, url: str, asgi_app: Any) -> http.Transport:
    if url == "sandbox":
        if asgi_app is None:
            raise AssertionError("the sandbox app is required for url: sandbox")
        return http.Transport(http.SANDBOX_ORIGIN + SANDBOX_PATHS[name], asgi_app)
    return http.Transport(url.rstrip("/"))


@contextlib.asynccontextmanager
async def clients(
    config: Config,
    *,
    need_c2t: bool,
    need_csms: bool,
    asgi_app: Any = None,
    env: Mapping[str, str] | None = None,
    retry: http.RetryPolicy | None = None,
) -> AsyncIterator[Clients]:
    """The clients for the providers that are needed, closed on exit."""
    where = str(config.path) if config.path else "reconciler.yaml"
    overrides = (
        config.settings.providers.connecttoteams.endpoints
        if config.settings.providers.connecttoteams
        else {}
    )
    table = endpoint_map.resolve(overrides, where)
    if retry is None:
        r = config.settings.apply.retry
        retry = http.RetryPolicy(r.attempts, r.deadline, r.initialBackoff, r.maxBackoff)
    c2t = csms = None
    if need_c2t:
        settings = cast(ConnecttoTeamsProvider, config.provider("connecttoteams", env))
        c2t = ConnecttoTeamsClient(
            settings, table, transport("connecttoteams", settings.url, asgi_app), retry=retry
        )
    if need_csms:
        s = cast(ContextSmsProvider, config.provider("contextsms", env))
        auth = transport("contextsms", s.authUrl, asgi_app) if s.authUrl else None
        csms = ContextSmsClient(s, transport("contextsms", s.url, asgi_app), auth, retry=retry)
    result = Clients(c2t, csms, table)
    try:
        yield result
    finally:
        await result.aclose()


@contextlib.asynccontextmanager
async def connectel(
    config: Config, *, asgi_app: Any = None, env: Mapping[str, str] | None = None
) -> AsyncIterator[ConnectelClient]:
    """The Connectel client; with the sandbox (in-process or on loopback) it can also read
    the sandbox's inbox to check where a message landed."""
    settings = cast(ConnectelProvider, config.provider("connectel", env))
    gateway = transport("connectel", settings.url, asgi_app)
    admin = None
    if settings.url == "sandbox":
        admin = http.Transport(http.SANDBOX_ORIGIN, asgi_app)
    elif is_loopback(settings.url) and settings.url.rstrip("/").endswith(
        SANDBOX_PATHS["connectel"]
    ):
        admin = http.Transport(settings.url.rstrip("/")[: -len(SANDBOX_PATHS["connectel"])])
    client = ConnectelClient(settings, gateway, admin)
    try:
        yield client
    finally:
        await client.aclose()
