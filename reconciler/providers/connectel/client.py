"""The Connectel client: the token travels as the `authorization` field, never in logs."""

from __future__ import annotations

from typing import Any

from reconciler import errors
from reconciler.config.model import ConnectelProvider
from reconciler.providers import http
from reconciler.wire import connectel as wire


class ConnectelClient(http.VendorClient):
    api = "Connectel"
    answers = wire.ANSWERS
    settings: ConnectelProvider

    def __init__(
        self,
        settings: ConnectelProvider,
        base_url: str,
        wiring: http.Wiring,
        sandbox_url: str | None = None,
    ) -> None:
        super().__init__(base_url, wiring, settings)
        if not settings.token:
            raise errors.ConfigError("providers.connectel needs a token in reconciler.yaml")
        self._key: str = settings.token  # masked by secrets() as a configured token
        # The sandbox's admin routes (for the inbox check), when the gateway is the sandbox.
        self._sandbox = sandbox_url.rstrip("/") if sandbox_url else None

    async def send_bulk(self, sender: str, recipients: dict[str, str], message: str) -> Any:
        """One bulk request; `recipients` maps a key to digits without '+'. Never retried:
        a lost answer must not send the messages twice."""
        body = wire.send_body(self._key, sender, recipients, message)
        answer = await self.request("send", "POST", self.base_url + "/send/", json_body=body)
        return wire.without_href(answer)

    async def delivery(self, request_id: str) -> Any:
        params = {"authorization": self._key, "requestid": request_id}
        return await self.call("delivery", "GET", "/delivery/", params=params)

    @property
    def is_sandbox(self) -> bool:
        return self._sandbox is not None

    async def inbox(self, e164: str) -> list[dict[str, Any]]:
        """What the sandbox delivered to `e164` (sandbox only)."""
        assert self._sandbox is not None
        answer = await self.call("inbox", "GET", f"/_sandbox/inbox/{e164}", base_url=self._sandbox)
        return list(answer or [])
