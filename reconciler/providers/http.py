"""The HTTP base every vendor client shares: connection reuse, error translation, retries.

Every httpx exception and every vendor error answer becomes one of our ApiError family
here, once. Reads are retried (429 honouring Retry-After, 5xx, timeouts, connection
errors) with exponential backoff and jitter, a bounded number of attempts and an overall
deadline, through tenacity. Sleeping is injected so tests never wait.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx
import tenacity

from reconciler import errors
from reconciler.providers.ratelimit import TokenBucket

Sleep = Callable[[float], Awaitable[None]]
SANDBOX_ORIGIN = "http://sandbox"


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    deadline: float = 120.0  # seconds, across all attempts of one call
    initial: float = 0.5
    maximum: float = 20.0


@dataclasses.dataclass(frozen=True)
class Transport:
    """How to reach a vendor: a base URL, and an ASGI app when it is the in-process sandbox."""

    base_url: str
    asgi_app: Any = None
    timeout: float = 30.0

    def client(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.asgi_app) if self.asgi_app is not None else None
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        return httpx.AsyncClient(
            base_url=self.base_url, transport=transport, timeout=self.timeout, limits=limits
        )


class VendorClient:
    """One vendor API: a pooled httpx client plus translation and retries."""

    api = "vendor"

    def __init__(
        self, transport: Transport, retry: RetryPolicy | None = None, sleep: Sleep | None = None
    ) -> None:
        self._http = transport.client()
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self.calls = 0
        self.limiter: TokenBucket | None = None  # set by apply from apply.rateLimit

    async def aclose(self) -> None:
        await self._http.aclose()

    async def auth_headers(self) -> dict[str, str]:
        return {}

    async def reauthenticate(self) -> None:
        """Called once after a 401; subclasses get a fresh token."""

    async def call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        content: str | None = None,
        params: Mapping[str, Any] | None = None,
        retry: bool = True,
        authenticate: bool = True,
    ) -> Any:
        """Send one request and return its parsed answer (JSON, text, or None when empty)."""

        async def attempt() -> Any:
            return await self._authenticated(
                operation, method, path, json_body, data, content, params, authenticate
            )

        if not retry:
            return await attempt()
        try:  # the common case: no failure, no retry machinery
            return await attempt()
        except errors.Transient as first:
            failure = first
        return await self.retrying(failure)(attempt)

    def retrying(self, failure: errors.Transient | None = None) -> tenacity.AsyncRetrying:
        """The retry loop for transient failures: bounded attempts, a deadline, backoff.

        With `failure`, one attempt has already failed with it: the loop waits first and
        allows one attempt fewer.
        """
        attempts = self._retry.attempts - (1 if failure else 0)
        before: Any = None
        if failure is not None:
            delay = self._first_wait(failure)

            async def before(state: tenacity.RetryCallState) -> None:
                if state.attempt_number == 1:
                    await (self._sleep or asyncio.sleep)(delay)

        return tenacity.AsyncRetrying(
            stop=tenacity.stop_after_attempt(max(attempts, 1))
            | tenacity.stop_after_delay(self._retry.deadline),
            before=before or tenacity.before_nothing,
            wait=self._wait,
            retry=tenacity.retry_if_exception_type(errors.Transient),
            reraise=True,
            sleep=self._sleep or asyncio.sleep,
        )

    def _first_wait(self, failure: errors.Transient) -> float:
        if isinstance(failure, errors.RateLimited) and failure.retry_after is not None:
            return min(failure.retry_after, self._retry.deadline)
        return self._retry.initial

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, errors.RateLimited) and exc.retry_after is not None:
            return min(exc.retry_after, self._retry.deadline)  # honoured, within the deadline
        backoff = tenacity.wait_exponential(
            multiplier=self._retry.initial, max=self._retry.maximum
        ) + tenacity.wait_random(0, self._retry.initial)
        return float(backoff(state))

    async def _authenticated(
        self,
        operation: str,
        method: str,
        path: str,
        json_body: Any,
        data: Mapping[str, str] | None,
        content: str | None,
        params: Mapping[str, Any] | None,
        authenticate: bool,
    ) -> Any:
        for first in (True, False):
            headers = await self.auth_headers() if authenticate else {}
            try:
                return await self._send(
                    operation, method, path, headers, json_body, data, content, params
                )
            except errors.Unauthorized:
                if not (authenticate and first):
                    raise
                await self.reauthenticate()
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self,
        operation: str,
        method: str,
        path: str,
        headers: dict[str, str],
        json_body: Any,
        data: Mapping[str, str] | None,
        content: str | None,
        params: Mapping[str, Any] | None,
    ) -> Any:
        if self.limiter is not None:
            await self.limiter.acquire()
        self.calls += 1
        try:
            response = await self._http.request(
                method,
                path,
                headers=headers,
                json=json_body,
                data=data,
                content=content,
                params=params,
            )
        except httpx.TimeoutException:
            raise errors.Transient(self.api, operation, "timed out") from None
        except httpx.TransportError as exc:
            raise errors.Transient(self.api, operation, f"connection failed ({exc})") from None
        if response.status_code >= 400:
            raise translate(self.api, operation, response)
        return parse(response)


def parse(response: httpx.Response) -> Any:
    if not response.content:
        return None
    if "json" in response.headers.get("content-type", ""):
        return response.json()
    return response.text


def translate(api: str, operation: str, response: httpx.Response) -> errors.ApiError:
    """A vendor error answer as our exception, with its message, JSON or not."""
    status = response.status_code
    message, code = _message(response)
    kwargs: dict[str, Any] = {"status": status, "code": code}
    if status == 429:
        return errors.RateLimited(
            api, operation, message, retry_after=_retry_after(response), **kwargs
        )
    if status >= 500:
        return errors.Transient(api, operation, message, **kwargs)
    kind = {401: errors.Unauthorized, 404: errors.NotFound, 409: errors.Conflict}.get(
        status, errors.Permanent
    )
    return kind(api, operation, message, **kwargs)


def _message(response: httpx.Response) -> tuple[str, str | None]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        text = response.text.strip()
        return (text[:300] or response.reason_phrase or "no message"), None
    if isinstance(body, dict):
        message = body.get("error") or body.get("message") or body.get("statusStr")
        code = body.get("code")
        return str(message or body)[:500], str(code) if code else None
    return str(body)[:300], None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
