"""The Connectel client: the token travels as the `authorization` field, never in logs."""

from __future__ import annotations

from typing import Any

from reconciler import errors
from reconciler.config.loader import PROVIDERS, is_loopback
from reconciler.config.model import ConnectelProvider
from reconciler.providers import http
from reconciler.wire import connectel as wire
from reconciler.wire.endpoints import Request


def connect(link: http.Link) -> ConnectelClient:
    settings: ConnectelProvider = link.settings
    return ConnectelClient(settings, link.url(settings.url), link.wiring, _admin(link))


def _admin(link: http.Link) -> str | None:
    """The sandbox's admin origin when the gateway is the sandbox (for the inbox check):
    the in-process one, or one served on loopback."""
    url = link.settings.url
    if url == "sandbox":
        return link.origin
    if is_loopback(url) and url.rstrip("/").endswith(link.path):
        return str(url.rstrip("/")[: -len(link.path)])
    return None


class ConnectelClient(http.VendorClient):
    api = PROVIDERS["connectel"]
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
        answer = await self.once(Request.to("send", "POST", "/send/", {}, json=body))
        return wire.without_href(answer)

    async def delivery(self, request_id: str) -> Any:
        query = {"authorization": self._key, "requestid": request_id}
        return await self.call(Request.to("delivery", "GET", "/delivery/", query))

    @property
    def is_sandbox(self) -> bool:
        return self._sandbox is not None

    async def inbox(self, e164: str) -> list[dict[str, Any]]:
        """What the sandbox delivered to `e164` (sandbox only)."""
        assert self._sandbox is not None
        inbox = "/_sandbox/inbox/{number}"
        answer = await self.call(
            Request.to("inbox", "GET", inbox, {"number": e164}, base_url=self._sandbox)
        )
        return list(answer or [])
