"""The HTTP base every vendor client shares: one request, error translation, and the one
retry policy (with the look-up that recovers a create whose answer was lost).

Every httpx exception and every vendor error answer becomes one of our ApiError family
here, once. Transient failures (429 honouring Retry-After, 5xx, timeouts, connection
errors) are retried with exponential backoff and jitter, a bounded number of attempts
and an overall deadline, through tenacity. Every request passes the API's Gate (bounded
in flight, rate-limited). Sleeping is injected so tests never wait.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx
import tenacity

from reconciler import errors
from reconciler.config.model import SECRET_FIELDS
from reconciler.providers.ratelimit import Gate
from reconciler.providers.telemetry import Telemetry
from reconciler.wire.endpoints import Answer, Endpoint, Lookup, Twins, lowest_id

Sleep = Callable[[float], Awaitable[None]]
Recover = Callable[[], Awaitable[Any]]
RATE_LIMITED_ATTEMPTS = 4  # a 429 uses up a quarter of an attempt


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    deadline: float = 120.0  # seconds, across all attempts of one call
    initial: float = 0.5
    maximum: float = 20.0
    lookup_window: float = 60.0  # seconds a create with no answer is looked for (late commits)

    def retrying(
        self, sleep: Sleep, on_retry: Callable[[int, float, BaseException], None] | None = None
    ) -> tenacity.AsyncRetrying:
        """The retry loop; `on_retry(attempt, wait, error)` before each wait."""

        def before_sleep(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            wait = state.next_action.sleep if state.next_action else 0.0
            if on_retry is not None and exc is not None:
                on_retry(state.attempt_number, float(wait), exc)

        return tenacity.AsyncRetrying(
            stop=self._stop,
            wait=self._wait,
            retry=tenacity.retry_if_exception_type(errors.Transient),
            reraise=True,
            sleep=sleep,
            before_sleep=before_sleep,
        )

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        """Stop at the deadline, or after `attempts` attempts; a vendor that throttles
        (429) is waited for longer (RATE_LIMITED_ATTEMPTS times as many), since its
        Retry-After and our backed-off rate say when it will take the request."""
        if state.seconds_since_start is not None and state.seconds_since_start >= self.deadline:
            return True
        exc = state.outcome.exception() if state.outcome else None
        limit = self.attempts * (
            RATE_LIMITED_ATTEMPTS if isinstance(exc, errors.RateLimited) else 1
        )
        return state.attempt_number >= limit

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, errors.RateLimited) and exc.retry_after is not None:
            return min(exc.retry_after, self.deadline)  # honoured, within the deadline
        backoff = tenacity.wait_exponential(
            multiplier=self.initial, max=self.maximum
        ) + tenacity.wait_random(0, self.initial)
        return float(backoff(state))


@dataclasses.dataclass(frozen=True)
class Wiring:
    """What a vendor client shares with the rest of its session: the pooled httpx client,
    its API's gate, the retry policy, the sleep and the run's record of calls."""

    http: httpx.AsyncClient
    gate: Gate
    retry: RetryPolicy = RetryPolicy()
    sleep: Sleep = asyncio.sleep
    telemetry: Telemetry = dataclasses.field(default_factory=Telemetry)


class VendorClient:
    """One vendor API reached through a session's pooled client."""

    api = "vendor"
    endpoints: Mapping[str, Endpoint] = {}
    answers: Mapping[str, Answer] = {}

    def __init__(self, base_url: str, wiring: Wiring, settings: Any = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.wiring = wiring
        self.settings = settings  # the provider's section of reconciler.yaml
        self._token: str | None = None
        self._refresh: str | None = None

    @property
    def calls(self) -> int:
        """Requests this API was sent (each attempt one), from the run's record."""
        return sum(1 for c in self.wiring.telemetry.calls if c.api == self.api)

    async def auth_headers(self) -> dict[str, str]:
        return {}

    def secrets(self) -> tuple[str, ...]:
        """Values never to show, even when a vendor echoes them back: the tokens held and
        the configured credentials."""
        configured = (getattr(self.settings, field, None) for field in SECRET_FIELDS)
        return tuple(x for x in (self._token, self._refresh, *configured) if x)

    async def reauthenticate(self, stale: Mapping[str, str]) -> None:
        """Called after a 401 answered the request sent with `stale` headers."""

    def lookup(self, operation: str, path_params: dict[str, Any], body: Any) -> Lookup | None:
        """How to find what a create made when its answer was lost (see wire/)."""
        return None

    def twins(self, operation: str, path_params: dict[str, Any], body: Any) -> Twins | None:
        """How to find twins of what a create made (see wire/), for kinds whose names the
        vendor does not keep unique."""
        return None

    def empty_when_not_found(self, operation: str) -> bool:
        return False

    async def op(self, operation: str, *, body: Any = None, **params: Any) -> Any:
        """Call `operation` of the endpoint map; params fill its path, the rest the query."""
        endpoint = self.endpoints[operation]
        placeholders = endpoint.placeholders()
        path = endpoint.format(**{k: params[k] for k in placeholders})
        query = {k: v for k, v in params.items() if k not in placeholders}
        try:
            return await self.call(
                operation, endpoint.method, path, json_body=body, params=query or None
            )
        except errors.NotFound:
            if self.empty_when_not_found(operation):
                return []
            raise

    async def send(
        self,
        operation: str,
        method: str,
        path: str,
        path_params: dict[str, Any],
        body: Any,
        needs: tuple[str, ...] = (),
    ) -> Any:
        """One planned call: a create whose answer is lost is looked up before it is sent
        again; a DELETE answered 404 was done already (by an attempt whose answer was lost).
        An answer without the fields in `needs` (the ids later calls use) is malformed.
        A create answered 409 whose object is found by name was made by a concurrent run:
        it is taken as done (apply's re-read checks what it holds)."""
        lookup = self.lookup(operation, path_params, body)
        recover = None
        if lookup is not None:
            found = lookup

            async def recover() -> Any:
                try:
                    return found.pick(await self.op(found.operation, **found.params))
                except errors.NotFound:
                    return None

        try:
            expect = Answer("object", needs) if needs else None
            answer = await self.call(
                operation, method, path, json_body=body, recover=recover, expect=expect
            )
        except errors.NotFound:
            if method == "DELETE":
                return None
            raise
        except errors.Conflict:
            made = await recover() if recover is not None else None
            if made is None:
                raise
            answer = made
        twins = self.twins(operation, path_params, body)
        return await self.settle(twins, answer) if twins else answer

    async def settle(self, twins: Twins, answer: Any) -> Any:
        """The twin rule, after a create: when a concurrent run made an object of the same
        name, the lowest id wins. The run that made a higher one deletes it (before
        anything is attached to it) where the vendor can, and goes on with the winner."""
        rows = twins.rows(await self.op(twins.operation, **twins.params))
        named = [r for r in rows if r.get(twins.name_field) == twins.name]
        ours = answer.get(twins.id_field) if isinstance(answer, dict) else None
        if len(named) < 2 or ours is None:
            return answer
        winner = min(named, key=lambda r: lowest_id(r.get(twins.id_field)))
        if winner.get(twins.id_field) == ours:
            return answer
        if twins.delete:
            endpoint, params = self.endpoints[twins.delete], {twins.delete_param: ours}
            await self.send(twins.delete, endpoint.method, endpoint.format(**params), params, None)
        return winner

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
        headers: Mapping[str, str] | None = None,
        authenticate: bool = True,
        base_url: str | None = None,
        recover: Recover | None = None,
        expect: Answer | None = None,
    ) -> Any:
        """Send one request, retrying transient failures; return its parsed answer.

        With `recover`, every retry first asks it for the answer the lost attempt would
        have given (the object found by name); a found object ends the loop.
        """
        failure: errors.ApiError | None = None

        def retried(number: int, wait: float, exc: BaseException) -> None:
            why = exc.detail if isinstance(exc, errors.ApiError) else type(exc).__name__
            status = getattr(exc, "status", None)
            reason = f"{status} {why}" if status else why
            self.wiring.telemetry.retry(self.api, operation, number, wait, reason)

        async for attempt in self.wiring.retry.retrying(self.wiring.sleep, retried):
            with attempt:
                # A 429 was refused before the vendor acted: nothing to look up then.
                if recover is not None and failure and not isinstance(failure, errors.RateLimited):
                    found = await self._recover(recover, failure)
                    if found is not None:
                        return found
                try:
                    return await self.request(
                        operation,
                        method,
                        (base_url or self.base_url) + path,
                        headers=headers,
                        json_body=json_body,
                        data=data,
                        content=content,
                        params=params,
                        authenticate=authenticate,
                        expect=expect,
                        attempt=attempt.retry_state.attempt_number,
                    )
                except errors.ApiError as exc:
                    failure = exc
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _recover(self, recover: Recover, failure: errors.ApiError) -> Any:
        """What the failed create made, if anything. When no answer came at all (the
        vendor may still be working on it and commit late), it is looked for again with
        backoff over the lookup window before the create may be sent again."""
        policy = self.wiring.retry
        window = policy.lookup_window if unanswered(failure) else 0.0
        waited, pause = 0.0, max(policy.initial, 0.1)
        while True:
            found = await recover()
            if found is not None or waited >= window:
                return found
            step = min(pause, window - waited)
            await self.wiring.sleep(step)
            waited += step
            pause = min(pause * 2, policy.maximum)

    async def request(
        self,
        operation: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        content: str | None = None,
        params: Mapping[str, Any] | None = None,
        authenticate: bool = True,
        expect: Answer | None = None,
        attempt: int = 1,
    ) -> Any:
        """One attempt (no retry); with `authenticate`, one re-authentication on a 401."""
        for first in (True, False):
            sent = {**(headers or {}), **(await self.auth_headers() if authenticate else {})}
            try:
                return await self._send(
                    operation, method, url, sent, json_body, data, content, params, expect, attempt
                )
            except errors.Unauthorized:
                if not (authenticate and first):
                    raise
                await self.reauthenticate(sent)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self,
        operation: str,
        method: str,
        url: str,
        headers: dict[str, str],
        json_body: Any,
        data: Mapping[str, str] | None,
        content: str | None,
        params: Mapping[str, Any] | None,
        expect: Answer | None = None,
        attempt: int = 1,
    ) -> Any:
        telemetry = self.wiring.telemetry
        queued, sent = time.perf_counter(), telemetry.now()
        path, sent_path = self.template(operation, url), httpx.URL(url).path

        def record(status: int | None, error: str = "") -> None:
            telemetry.record(
                self.api,
                operation,
                method,
                path,
                sent_path,
                status=status,
                attempt=attempt,
                sent=sent,
                queued_ms=(started - queued) * 1000,
                latency_ms=(time.perf_counter() - started) * 1000,
                error=error,
            )

        async with self.wiring.gate:
            started = time.perf_counter()
            try:
                response = await self.wiring.http.request(
                    method,
                    url,
                    headers=headers,
                    json=json_body,
                    data=data,
                    content=content,
                    params=params,
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # nothing was sent
                record(None, "connection refused")
                raise errors.Unreachable(self.api, operation, unreachable(url, exc)) from None
            except httpx.TimeoutException:
                record(None, "timed out")
                self.wiring.gate.slots.answered(time.perf_counter() - started)
                raise errors.Transient(self.api, operation, "timed out") from None
            except httpx.TransportError as exc:
                record(None, "connection lost")
                raise errors.Transient(self.api, operation, f"connection failed ({exc})") from None
            latency = time.perf_counter() - started
            record(response.status_code)
        # Let the caller waiting for the slot just freed send its request before this
        # answer is parsed: answers come in bursts, and parsing them one after another
        # before any next request goes out would leave the vendor idle meanwhile.
        await asyncio.sleep(0)
        if response.status_code == 429:
            self.wiring.gate.throttle()
        else:
            self.wiring.gate.accepted(latency)
        if response.status_code >= 400:
            raise translate(self.api, operation, response, self.secrets())
        return self._parsed(operation, response, expect)

    def template(self, operation: str, url: str) -> str:
        """The path of `url` as the endpoint map writes it (`{placeholders}` for ids),
        never its query string (Connectel wants its token there)."""
        endpoint = self.endpoints.get(operation)
        if endpoint is not None:
            return endpoint.path
        path = httpx.URL(url).path
        base = httpx.URL(self.base_url).path.rstrip("/")
        return path[len(base) :] if base and path.startswith(base + "/") else path

    def _parsed(
        self, operation: str, response: httpx.Response, expect: Answer | None = None
    ) -> Any:
        """The answer's value; a malformed one is a Malformed error (retried) naming the
        operation, status, content type and the first bytes of the body, secrets masked."""
        expected = expect or self.answers.get(operation)
        why: str | None
        try:
            value = parse(response, json_expected=expected is not None)
        except ValueError:
            why = "not JSON"
        else:
            why = expected.problem(value) if expected else None
            if why is None:
                return value
        content_type = response.headers.get("content-type") or "no content type"
        head = redact(response.content[:80].decode("utf-8", "replace"), self.secrets())
        raise errors.Malformed(
            self.api,
            operation,
            f"malformed answer, {why} ({content_type}, {len(response.content)} bytes): "
            f"{' '.join(head.split())!r}",
            status=response.status_code,
        )


def unreachable(url: str, exc: Exception) -> str:
    """Why `url` could not be reached, and for a loopback URL the likely fix."""
    origin = httpx.URL(url).copy_with(path="/", query=None)
    message = f"cannot connect to {str(origin).rstrip('/')} ({exc or type(exc).__name__})"
    if origin.host in ("127.0.0.1", "localhost", "::1"):
        message += "; is the sandbox running? Start it with `reconciler sandbox serve`"
    return message


def unanswered(failure: errors.ApiError) -> bool:
    """Whether the vendor may still be acting on the request: no answer came (a timeout,
    a dropped connection), a gateway gave up on it (502, 504), or the answer was garbled."""
    if isinstance(failure, errors.Malformed):
        return True
    if not isinstance(failure, errors.Transient) or isinstance(failure, errors.Unreachable):
        return False
    return failure.status in (None, 502, 504)


def parse(response: httpx.Response, *, json_expected: bool = False) -> Any:
    """The body as JSON when it says so (or the operation needs JSON), else as text;
    ValueError when JSON does not decode (cut short, or an HTML page)."""
    if not response.content:
        return None
    if json_expected or "json" in response.headers.get("content-type", ""):
        # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return json.loads(response.content)
    return response.text


_SECRET_PARAM = re.compile(
    r"(?i)\b((?:authorization|token|password|secret)[\"']?\s*[=:]\s*[\"']?|bearer\s+)"
    r"[^\s&\"',;<]+"
)


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with every known secret, and whatever follows a token-ish name, masked."""
    text = _SECRET_PARAM.sub(r"\1***", text)
    for secret in secrets:
        if len(secret) >= 6:  # a shorter one would mask ordinary words (test configs)
            text = text.replace(secret, "***")
    return text


def translate(
    api: str, operation: str, response: httpx.Response, secrets: tuple[str, ...] = ()
) -> errors.ApiError:
    """A vendor error answer as our exception, with its message (secrets masked), JSON
    or not."""
    status = response.status_code
    text, code = _message(response)
    message = redact(text, secrets)
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
