"""One run's connection to the vendors: one pooled httpx client, one vendor client per
API (made on first use from the vendor registry, so `${VAR}` secrets are resolved only
for the APIs a command uses), each with its Gate (at most `parallelism` requests in
flight and the configured rate) for reads and writes alike, and one login per API.

`url: sandbox` means the in-process sandbox: the engine passes its ASGI app and it is
reached through httpx.ASGITransport. Any other transport can be injected (tests use
httpx.MockTransport; a proxy).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import httpx

from reconciler import errors
from reconciler.config.loader import Config
from reconciler.providers import answers, http, vendors
from reconciler.providers.ratelimit import Gate
from reconciler.providers.retry import RetryPolicy, Sleep
from reconciler.providers.telemetry import Telemetry

Transport = httpx.AsyncBaseTransport  # what a run may be given to reach the vendors
ClientT = TypeVar("ClientT", bound=http.VendorClient)
SANDBOX_ORIGIN = "http://sandbox"


@dataclasses.dataclass(frozen=True)
class SessionOptions:
    """How a session reaches the vendors, besides reconciler.yaml: a transport (tests, a
    proxy), the environment `${VAR}`s come from (default: the process's), the requests
    in flight per API (default: apply.parallelism), a retry policy and a sleep other
    than the configured ones (probes, tests), and a pace: a rate ceiling below the
    configured one (the agent spreads its reads over its interval)."""

    transport: Transport | None = None
    env: Mapping[str, str] | None = None
    parallelism: int | None = None
    retry: RetryPolicy | None = None
    sleep: Sleep | None = None
    pace: float | None = None  # requests a second to each API at most, under rateLimit
    halt: Callable[[], bool] | None = None  # once true, no failed call is tried again


def uses_sandbox(config: Config) -> bool:
    providers = config.settings.providers
    return any(getattr(providers, key).url == "sandbox" for key in config.configured())


def retry_policy(config: Config) -> RetryPolicy:
    r = config.settings.apply.retry
    return RetryPolicy(r.attempts, r.deadline, r.initialBackoff, r.maxBackoff, r.lookupWindow)


class Session:
    """Open with `async with Session(config, options) as session`; clients are made on
    first use."""

    def __init__(
        self, config: Config, options: SessionOptions | None = None, sandbox_app: Any = None
    ) -> None:
        options = options or SessionOptions()
        self.config = config
        self.options = options
        self.parallelism = options.parallelism or config.settings.apply.parallelism
        self.retry = options.retry or retry_policy(config)
        if options.halt is not None:
            self.retry = dataclasses.replace(self.retry, halt=options.halt)
        mounts = {}
        if sandbox_app is not None:
            mounts[SANDBOX_ORIGIN] = httpx.ASGITransport(app=sandbox_app)
        width = self.parallelism * 3 + 4  # every API's slots, plus auth and the sandbox inbox
        self.http = httpx.AsyncClient(
            transport=options.transport,
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

    def client(self, provider: vendors.Provider[ClientT]) -> ClientT:
        """The client of `provider`, made on first use."""
        if provider.key not in self._clients:
            self.prepare(provider)
        return cast(ClientT, self._clients[provider.key])  # made by provider.connect

    def prepare(self, *providers: vendors.Provider[Any]) -> None:
        """Make the clients of `providers` now: every environment variable they need and
        lack is named in one error, before any of them sends a request."""
        wanted = [p for p in providers if p.key not in self._clients]
        resolved = self.config.providers([p.key for p in wanted], self.options.env)
        for provider in wanted:
            link = http.Link(
                resolved[provider.key],
                self.config,
                self._wiring(provider),
                SANDBOX_ORIGIN if self.has_sandbox else None,
                provider.sandbox_path,
            )
            self._clients[provider.key] = provider.connect(link)

    async def reach(self, provider: vendors.Provider[Any]) -> str:
        """One GET of the API's base URL, whatever it answers: the connection (and the
        TLS handshake) works. Returns what answered; errors.Unreachable naming the URL."""
        url = self.client(provider).base_url
        try:
            response = await self.http.get(url + "/")
        except httpx.TransportError as exc:
            kind = "TLS handshake failed: " if "SSL" in repr(exc) else ""
            message = kind + answers.unreachable(url, exc)
            raise errors.Unreachable(provider.name, "reach", message) from None
        scheme = "HTTPS (TLS verified)" if url.startswith("https") else "HTTP"
        return f"{scheme} {response.status_code} from {answers.public(url)}/"

    def _wiring(self, provider: vendors.Provider[Any]) -> http.Wiring:
        rate = getattr(self.config.settings.apply.rateLimit, provider.key)
        if self.options.pace is not None:
            rate = min(rate, self.options.pace) if rate is not None else self.options.pace
        gate = Gate(self.parallelism, rate, name=provider.name)
        sleep = self.options.sleep or asyncio.sleep
        return http.Wiring(self.http, gate, self.retry, sleep, self.telemetry)
