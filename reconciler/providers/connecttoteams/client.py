"""The ConnecttoTeams client: OAuth2 password grant with Basic client credentials.

One token per run (single flight: concurrent first calls wait for one token request),
refreshed shortly before `expires_in` runs out; on a 401 a new one is fetched once
(only by the first request that saw it) and the call retried once.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable, Mapping
from typing import Any

from reconciler import errors
from reconciler.config.loader import PROVIDERS, Config
from reconciler.config.model import ConnecttoTeamsProvider
from reconciler.providers import http
from reconciler.wire import connecttoteams as wire
from reconciler.wire.endpoints import Endpoint, Lookup, Request, Twins

REFRESH_MARGIN = 60.0  # seconds before expiry when a token is renewed


def endpoints(config: Config) -> dict[str, Endpoint]:
    """The endpoint map with reconciler.yaml's overrides (what plans compile to)."""
    section = config.settings.providers.connecttoteams
    where = str(config.path) if config.path else "reconciler.yaml"
    return wire.endpoints(section.endpoints if section else {}, where)


def connect(link: http.Link) -> ConnecttoTeamsClient:
    settings: ConnecttoTeamsProvider = link.settings
    return ConnecttoTeamsClient(
        settings, endpoints(link.config), link.url(settings.url), link.wiring
    )


class ConnecttoTeamsClient(http.VendorClient):
    api = PROVIDERS["connecttoteams"]
    answers = wire.ANSWERS
    settings: ConnecttoTeamsProvider

    def __init__(
        self,
        settings: ConnecttoTeamsProvider,
        endpoints: Mapping[str, Endpoint],
        base_url: str,
        wiring: http.Wiring,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(base_url, wiring, settings)
        self.endpoints = endpoints
        self._clock = clock
        self._lock = asyncio.Lock()  # one token request at a time
        self._reseller_lock = asyncio.Lock()  # apart: asking for it needs a token
        self._expires = 0.0
        self._reseller: int | None = None
        self.logins = 0

    def lookup(self, request: Request) -> Lookup | None:
        return wire.lookup(request.operation, dict(request.params), request.json)

    def twins(self, request: Request) -> Twins | None:
        return wire.twins(request.operation, dict(request.params), request.json)

    def _fresh(self) -> bool:
        return self._token is not None and self._clock() < self._expires - REFRESH_MARGIN

    async def auth_headers(self) -> dict[str, str]:
        if not self._fresh():
            async with self._lock:
                if not self._fresh():
                    await self._authenticate(refresh=self._token is not None)
        return {"Authorization": f"Bearer {self._token}"}

    async def reauthenticate(self, stale: Mapping[str, str]) -> None:
        async with self._lock:
            if stale.get("Authorization") == f"Bearer {self._token}":
                self._token = None
                await self._authenticate(refresh=False)

    async def _authenticate(self, *, refresh: bool) -> None:
        s = self.settings
        missing = [
            f for f in ("clientId", "clientSecret", "username", "password") if not getattr(s, f)
        ]
        if missing:
            raise errors.ConfigError(
                "providers.connecttoteams needs " + ", ".join(missing) + " in reconciler.yaml"
            )
        basic = base64.b64encode(f"{s.clientId}:{s.clientSecret}".encode()).decode()
        refresh_token = self._refresh if refresh else None
        form = wire.token_form(s.username or "", s.password or "", refresh_token)
        request = self.request(
            "token", form=form, authenticate=False, headers={"Authorization": f"Basic {basic}"}
        )
        self.logins += 1
        try:
            answer = await self.call(request)
        except errors.Unauthorized:
            if refresh_token:  # an expired refresh token: start over with the password
                self._refresh = None
                await self._authenticate(refresh=False)
                return
            raise errors.Unauthorized(
                self.api, "token", "the client credentials or the user's password were refused"
            ) from None
        self._token, self._refresh, lifetime = wire.token(answer)
        self._expires = self._clock() + lifetime

    async def reseller_id(self) -> int:
        """resellerId from reconciler.yaml, else asked once of getAuthenticatedUser."""
        if self.settings.resellerId is not None:
            return self.settings.resellerId
        async with self._reseller_lock:
            if self._reseller is not None:
                return self._reseller
            self._reseller = wire.reseller_of(await self.authenticated_user())
            return self._reseller

    async def authenticated_user(self) -> Any:
        """getAuthenticatedUser's answer (the body is the username as raw text)."""
        return await self.call(self.request("authenticatedUser", text=self.settings.username))
