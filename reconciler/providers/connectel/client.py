"""The Connectel client: the token travels as the `authorization` field, never in logs."""

from __future__ import annotations

from typing import Any

from reconciler import errors
from reconciler.config.model import ConnectelProvider
from reconciler.providers import http


class ConnectelClient(http.VendorClient):
    api = "Connectel"

    def __init__(
        self,
        settings: ConnectelProvider,
        transport: http.Transport,
        sandbox: http.Transport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(transport, **kwargs)
        if not settings.token:
            raise errors.ConfigError("providers.connectel needs a token in reconciler.yaml")
        self._token = settings.token
        # The sandbox's admin routes (for the inbox check), when the gateway is the sandbox.
        self._sandbox = http.VendorClient(sandbox, **kwargs) if sandbox else None

    async def aclose(self) -> None:
        await super().aclose()
        if self._sandbox is not None:
            await self._sandbox.aclose()

    async def send_bulk(self, sender: str, recipients: dict[str, str], message: str) -> Any:
        """One bulk request; `recipients` maps a key to digits without '+'."""
        body = {
            "authorization": self._token,
            "sender": sender,
            "bulk": True,
            "recipient": [{key: number} for key, number in recipients.items()],
            "message": message,
        }
        return await self.call("send", "POST", "/send/", json_body=body, retry=False)

    async def delivery(self, request_id: str) -> Any:
        params = {"authorization": self._token, "requestid": request_id}
        return await self.call("delivery", "GET", "/delivery/", params=params)

    @property
    def is_sandbox(self) -> bool:
        return self._sandbox is not None

    async def inbox(self, e164: str) -> list[dict[str, Any]]:
        """What the sandbox delivered to `e164` (sandbox only)."""
        assert self._sandbox is not None
        answer = await self._sandbox.call("inbox", "GET", f"/_sandbox/inbox/{e164}")
        return list(answer or [])
