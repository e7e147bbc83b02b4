"""The ContextSMS client: login, refresh before expiry, one re-login on 401.

`expirationTimeInUTC` has no zone and up to 9 fractional digits; it is read as UTC.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from typing import Any

from reconciler import errors
from reconciler.config.model import ContextSmsProvider
from reconciler.model.endpoints import CONTEXTSMS
from reconciler.providers import http

REFRESH_MARGIN = 60.0


def parse_expiry(text: str) -> float:
    """'2025-01-01T12:00:00.242875589' (UTC, no zone) -> epoch seconds."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z?", text.strip())
    if not match:
        raise ValueError(f"not a timestamp: {text!r}")
    base = datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    fraction = float("0." + match.group(2)) if match.group(2) else 0.0
    return base.replace(tzinfo=datetime.UTC).timestamp() + fraction


class ContextSmsClient(http.VendorClient):
    api = "ContextSMS"

    def __init__(
        self,
        settings: ContextSmsProvider,
        transport: http.Transport,
        auth_transport: http.Transport | None = None,
        *,
        retry: http.RetryPolicy | None = None,
        sleep: http.Sleep | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(transport, retry, sleep)
        self.settings = settings
        self._auth = http.VendorClient(auth_transport or transport, retry, sleep)
        self._auth.api = self.api
        self._clock = clock
        self._token: str | None = None
        self._refresh: str | None = None
        self._expires = 0.0

    async def aclose(self) -> None:
        await super().aclose()
        await self._auth.aclose()

    async def auth_headers(self) -> dict[str, str]:
        if self._token is None:
            await self._login()
        elif self._clock() >= self._expires - REFRESH_MARGIN:
            await self._renew()
        return {"Authorization": f"Bearer {self._token}"}

    async def reauthenticate(self) -> None:
        await self._renew()

    async def _renew(self) -> None:
        if self._refresh is None:
            await self._login()
            return
        body = {"username": self.settings.username, "refreshToken": self._refresh}
        try:
            answer = await self._auth.call(
                "refresh", "POST", CONTEXTSMS["refresh"].path, json_body=body, authenticate=False
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
        body = {"username": s.username, "password": s.password}
        try:
            answer = await self._auth.call(
                "login", "POST", CONTEXTSMS["login"].path, json_body=body, authenticate=False
            )
        except errors.Permanent as exc:
            raise errors.Unauthorized(self.api, "login", f"login refused: {exc.detail}") from None
        self._store(answer)

    def _store(self, answer: dict[str, Any]) -> None:
        self._token = str(answer["accessToken"])
        self._refresh = answer.get("refreshToken") or self._refresh
        try:
            self._expires = parse_expiry(str(answer.get("expirationTimeInUTC", "")))
        except ValueError:
            self._expires = self._clock() + 300

    async def op(
        self, operation: str, *, body: Any = None, retry: bool = True, **params: Any
    ) -> Any:
        endpoint = CONTEXTSMS[operation]
        return await self.call(
            operation, endpoint.method, endpoint.format(**params), json_body=body, retry=retry
        )
