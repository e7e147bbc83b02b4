"""The ConnecttoTeams client: OAuth2 password grant with Basic client credentials.

A token is fetched lazily, refreshed shortly before `expires_in` runs out, and on a 401 a
new one is fetched once and the call retried once (VendorClient.reauthenticate).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

from reconciler import errors
from reconciler.config.model import ConnecttoTeamsProvider
from reconciler.model.endpoints import Endpoint
from reconciler.providers import http

REFRESH_MARGIN = 60.0  # seconds before expiry when a token is renewed


class ConnecttoTeamsClient(http.VendorClient):
    api = "ConnecttoTeams"

    def __init__(
        self,
        settings: ConnecttoTeamsProvider,
        endpoints: dict[str, Endpoint],
        transport: http.Transport,
        *,
        retry: http.RetryPolicy | None = None,
        sleep: http.Sleep | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(transport, retry, sleep)
        self.settings = settings
        self.endpoints = endpoints
        self._clock = clock
        self._token: str | None = None
        self._refresh: str | None = None
        self._expires = 0.0
        self._reseller: int | None = None

    async def auth_headers(self) -> dict[str, str]:
        if self._token is None or self._clock() >= self._expires - REFRESH_MARGIN:
            await self._authenticate(refresh=self._token is not None)
        return {"Authorization": f"Bearer {self._token}"}

    async def reauthenticate(self) -> None:
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
        form = (
            {"grant_type": "refresh_token", "refresh_token": self._refresh or ""}
            if refresh and self._refresh
            else {
                "grant_type": "password",
                "username": s.username or "",
                "password": s.password or "",
            }
        )
        endpoint = self.endpoints["token"]
        try:
            answer = await self._send(
                "token",
                endpoint.method,
                endpoint.path,
                {"Authorization": f"Basic {basic}"},
                None,
                form,
                None,
                None,
            )
        except errors.Unauthorized:
            if refresh:  # an expired refresh token: start over with the password
                self._refresh = None
                await self._authenticate(refresh=False)
                return
            raise errors.Unauthorized(
                self.api, "token", "the client credentials or the user's password were refused"
            ) from None
        self._token = str(answer["access_token"])
        self._refresh = answer.get("refresh_token")
        self._expires = self._clock() + float(answer.get("expires_in", 3600))

    async def op(
        self, operation: str, *, body: Any = None, retry: bool = True, **params: Any
    ) -> Any:
        """Call the operation `operation` of the endpoint map."""
        endpoint = self.endpoints[operation]
        path = endpoint.format(**params) if endpoint.placeholders() else endpoint.path
        query = {k: v for k, v in params.items() if k not in endpoint.placeholders()}
        return await self.call(
            operation, endpoint.method, path, json_body=body, params=query or None, retry=retry
        )

    async def reseller_id(self) -> int:
        """resellerId from reconciler.yaml, else asked once of getAuthenticatedUser."""
        if self.settings.resellerId is not None:
            return self.settings.resellerId
        if self._reseller is None:
            endpoint = self.endpoints["authenticatedUser"]
            answer = await self.call(
                "authenticatedUser", endpoint.method, endpoint.path, content=self.settings.username
            )
            self._reseller = int(answer["resellerId"])
        return self._reseller
