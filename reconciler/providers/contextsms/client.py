"""The ContextSMS client: one login per run (single flight), refresh before expiry, one
re-login on a 401 (only by the first request that saw it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

from reconciler import errors
from reconciler.config.loader import PROVIDERS
from reconciler.config.model import ContextSmsProvider
from reconciler.providers import http
from reconciler.wire import contextsms as wire
from reconciler.wire.endpoints import Lookup, Request, Twins

REFRESH_MARGIN = 60.0
UNREADABLE_EXPIRY = 300.0  # seconds a token is trusted when its expiry cannot be read


def connect(link: http.Link) -> ContextSmsClient:
    settings: ContextSmsProvider = link.settings
    auth = link.url(settings.authUrl) if settings.authUrl else None
    return ContextSmsClient(settings, link.url(settings.url), link.wiring, auth)


class ContextSmsClient(http.VendorClient):
    api = PROVIDERS["contextsms"]
    answers = wire.ANSWERS
    settings: ContextSmsProvider
    endpoints = wire.ENDPOINTS

    def __init__(
        self,
        settings: ContextSmsProvider,
        base_url: str,
        wiring: http.Wiring,
        auth_url: str | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(base_url, wiring, settings)
        self.auth_url = (auth_url or base_url).rstrip("/")
        self._clock = clock
        self._lock = asyncio.Lock()
        self._expires = 0.0
        self.logins = 0

    def lookup(self, request: Request) -> Lookup | None:
        return wire.lookup(request.operation, dict(request.params), request.json)

    def twins(self, request: Request) -> Twins | None:
        return wire.twins(request.operation, dict(request.params), request.json)

    def empty_when_not_found(self, operation: str) -> bool:
        return operation in wire.EMPTY_WHEN_NOT_FOUND

    def _fresh(self) -> bool:
        return self._token is not None and self._clock() < self._expires - REFRESH_MARGIN

    async def auth_headers(self) -> dict[str, str]:
        if not self._fresh():
            async with self._lock:
                if self._token is None:
                    await self._login()
                elif not self._fresh():
                    await self._renew()
        return {"Authorization": f"Bearer {self._token}"}

    async def reauthenticate(self, stale: Mapping[str, str]) -> None:
        async with self._lock:
            if stale.get("Authorization") == f"Bearer {self._token}":
                await self._renew()

    async def _auth(self, operation: str, body: Any) -> Any:
        request = self.request(operation, json=body, authenticate=False, base_url=self.auth_url)
        return await self.call(request)

    async def _renew(self) -> None:
        if self._refresh is None:
            await self._login()
            return
        try:
            answer = await self._auth(
                "refresh", wire.refresh(self.settings.username, self._refresh)
            )
        except errors.Permanent:  # refresh refused: log in again
            await self._login()
            return
        self._store(answer)

    async def _login(self) -> None:
        s = self.settings
        if not s.username or not s.password:
            raise errors.ConfigError(
                "providers.contextsms needs username and password in reconciler.yaml"
            )
        self.logins += 1
        try:
            answer = await self._auth("login", wire.login(s.username, s.password))
        except errors.Permanent as exc:
            raise errors.Unauthorized(self.api, "login", f"login refused: {exc.detail}") from None
        self._store(answer)

    def _store(self, answer: Any) -> None:
        token, refresh, expires = wire.tokens(answer)
        self._token = token
        self._refresh = refresh or self._refresh
        self._expires = expires if expires is not None else self._clock() + UNREADABLE_EXPIRY
