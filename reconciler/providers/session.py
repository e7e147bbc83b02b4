"""One run's connection to the vendors: one pooled httpx client, one vendor client per
API (made on first use, so `${VAR}` secrets are resolved only for the APIs a command
uses), each with its Gate (at most `parallelism` requests in flight and the configured
rate) for reads and writes alike, and one login per API.

`url: sandbox` means the in-process sandbox: the engine passes its ASGI app and it is
reached through httpx.ASGITransport. Any other transport can be injected (tests use
httpx.MockTransport).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

import httpx
import pydantic

from reconciler import errors
from reconciler.config.loader import Config, is_loopback
from reconciler.config.model import ConnectelProvider, ConnecttoTeamsProvider, ContextSmsProvider
from reconciler.providers import http
from reconciler.providers.connectel.client import ConnectelClient
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.contextsms.client import ContextSmsClient
from reconciler.providers.ratelimit import Gate
from reconciler.providers.telemetry import Telemetry
from reconciler.wire import connecttoteams

Transport = httpx.AsyncBaseTransport  # what a run may be given to reach the vendors
SANDBOX_ORIGIN = "http://sandbox"
API_NAMES = {
    "connecttoteams": ConnecttoTeamsClient.api,
    "contextsms": ContextSmsClient.api,
    "connectel": ConnectelClient.api,
}
SANDBOX_PATHS = {
    "connecttoteams": "/connecttoteams",
    "contextsms": "/contextsms/api/v2",
    "connectel": "/connectel/api/v2",
}


def uses_sandbox(config: Config) -> bool:
    providers = config.settings.providers
    return any(
        p is not None and p.url == "sandbox"
        for p in (providers.connecttoteams, providers.contextsms, providers.connectel)
    )


def endpoints(config: Config) -> dict[str, Any]:
    """ConnecttoTeams' endpoint map with reconciler.yaml's overrides (what plans compile to)."""
    c2t = config.settings.providers.connecttoteams
    where = str(config.path) if config.path else "reconciler.yaml"
    return connecttoteams.endpoints(c2t.endpoints if c2t else {}, where)


def retry_policy(config: Config) -> http.RetryPolicy:
    r = config.settings.apply.retry
    return http.RetryPolicy(r.attempts, r.deadline, r.initialBackoff, r.maxBackoff, r.lookupWindow)


class Session:
    """Open with `async with Session(config, ...) as session`; clients are made on first use."""

    def __init__(
        self,
        config: Config,
        *,
        parallelism: int | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sandbox_app: Any = None,
        env: Mapping[str, str] | None = None,
        sleep: http.Sleep | None = None,
        retry: http.RetryPolicy | None = None,
    ) -> None:
        self.config = config
        self.parallelism = parallelism or config.settings.apply.parallelism
        self.env = env
        self.retry = retry or retry_policy(config)
        self.sleep = sleep
        mounts = {}
        if sandbox_app is not None:
            mounts[SANDBOX_ORIGIN] = httpx.ASGITransport(app=sandbox_app)
        width = self.parallelism * 3 + 4  # every API's slots, plus auth and the sandbox inbox
        self.http = httpx.AsyncClient(
            transport=transport,
            mounts=mounts,
            timeout=config.settings.apply.timeout,
            limits=httpx.Limits(max_connections=width, max_keepalive_connections=width),
        )
        self.has_sandbox = sandbox_app is not None
        self.telemetry = Telemetry()
        self._clients: dict[str, http.VendorClient] = {}

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    @property
    def calls(self) -> int:
        """Requests sent so far (each attempt one): the telemetry's record of them."""
        return len(self.telemetry.calls)

    def client(self, api: str) -> http.VendorClient:
        """The client of `api` (connecttoteams, contextsms, connectel), made on first use."""
        if api not in self._clients:
            self.prepare(api)
        return self._clients[api]

    def prepare(self, *apis: str) -> None:
        """Make the clients of `apis` now: every environment variable they need and lack
        is named in one error, before any of them sends a request."""
        wanted = [api for api in apis if api not in self._clients]
        resolved = self.config.providers(wanted, self.env)
        for api in wanted:
            self._clients[api] = self._make(api, resolved[api])

    @property
    def connecttoteams(self) -> ConnecttoTeamsClient:
        return cast(ConnecttoTeamsClient, self.client("connecttoteams"))

    @property
    def contextsms(self) -> ContextSmsClient:
        return cast(ContextSmsClient, self.client("contextsms"))

    @property
    def connectel(self) -> ConnectelClient:
        return cast(ConnectelClient, self.client("connectel"))

    async def reach(self, api: str) -> str:
        """One GET of the API's base URL, whatever it answers: the connection (and the
        TLS handshake) works. Returns what answered; errors.Unreachable naming the URL."""
        client = self.client(api)
        url = client.base_url
        try:
            response = await self.http.get(url + "/")
        except httpx.TransportError as exc:
            kind = "TLS handshake failed: " if "SSL" in repr(exc) else ""
            raise errors.Unreachable(
                client.api, "reach", kind + http.unreachable(url, exc)
            ) from None
        scheme = "HTTPS (TLS verified)" if url.startswith("https") else "HTTP"
        return f"{scheme} {response.status_code} from {url}/"

    def _wiring(self, api: str) -> http.Wiring:
        rate = getattr(self.config.settings.apply.rateLimit, api)
        gate = Gate(self.parallelism, rate, name=API_NAMES[api])
        sleep = self.sleep or asyncio.sleep
        return http.Wiring(self.http, gate, self.retry, sleep, self.telemetry)

    def _url(self, api: str, url: str) -> str:
        if url == "sandbox":
            if not self.has_sandbox:
                raise AssertionError("the sandbox app is required for url: sandbox")
            return SANDBOX_ORIGIN + SANDBOX_PATHS[api]
        return url.rstrip("/")

    def _make(self, api: str, settings: pydantic.BaseModel) -> http.VendorClient:
        wiring = self._wiring(api)
        if api == "connecttoteams":
            c2t = cast(ConnecttoTeamsProvider, settings)
            return ConnecttoTeamsClient(
                c2t, endpoints(self.config), self._url(api, c2t.url), wiring
            )
        if api == "contextsms":
            csms = cast(ContextSmsProvider, settings)
            auth = self._url(api, csms.authUrl) if csms.authUrl else None
            return ContextSmsClient(csms, self._url(api, csms.url), wiring, auth)
        if api == "connectel":
            gateway = cast(ConnectelProvider, settings)
            return ConnectelClient(
                gateway, self._url(api, gateway.url), wiring, self._admin(gateway.url)
            )
        raise errors.ConfigError(f"unknown API {api!r}")

    def _admin(self, url: str) -> str | None:
        """The sandbox's admin origin when the Connectel gateway is the sandbox."""
        if url == "sandbox":
            return SANDBOX_ORIGIN
        suffix = SANDBOX_PATHS["connectel"]
        if is_loopback(url) and url.rstrip("/").endswith(suffix):
            return url.rstrip("/")[: -len(suffix)]
        return None
