"""The HTTP base every vendor client shares. One `Request` value (wire.endpoints) is
passed down whole, each step adding one concern (httpx's `send` ->
`_send_handling_auth` -> `_send_single_request`, for our stack):

    op / send          a call of the endpoint map, or a planned call (look-up of a lost
                       create, a DELETE answered 404, a 409 made by a concurrent run, twins)
    call               the retry loop (retry.RetryPolicy) and the recovery look-up
    once               one attempt: authentication, one re-authentication on a 401
    _send              the API's gate, httpx, the telemetry, the answer made ours

Every httpx exception and every vendor error answer becomes one of our ApiError family
here, once (answers.translate). Every request passes the API's Gate (bounded in flight,
rate-limited). Sleeping is injected so tests never wait.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from reconciler import errors
from reconciler.config.loader import Config
from reconciler.config.model import SECRET_FIELDS
from reconciler.providers import answers
from reconciler.providers.ratelimit import Gate
from reconciler.providers.retry import RetryPolicy, Sleep, unanswered
from reconciler.providers.shared import SharedReads
from reconciler.providers.telemetry import Attempt, Telemetry
from reconciler.wire.endpoints import Answer, Endpoint, Lookup, Request, Twins, lowest_id

Recover = Callable[[], Awaitable[Any]]
YIELD_ABOVE = 4096  # bytes of an answer whose parsing waits for the next request to go out


@dataclasses.dataclass
class Outage:
    """An API no call could connect to this run (every attempt refused, or its host
    unknown): once known, its later calls fail at once instead of each waiting out its
    retries, so a run against a stopped vendor ends in seconds."""

    failure: errors.Unreachable | None = None

    def check(self, api: str) -> None:
        if self.failure is not None:
            # named after the call that found it down (a login, say): what the user fixes
            raise errors.Down(api, self.failure.operation, self.failure.detail)


@dataclasses.dataclass(frozen=True)
class Wiring:
    """What a vendor client shares with the rest of its session: the pooled httpx client,
    its API's gate, the retry policy, the sleep, the run's record of calls and whether
    the API was found unreachable."""

    http: httpx.AsyncClient
    gate: Gate
    retry: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)
    sleep: Sleep = asyncio.sleep
    telemetry: Telemetry = dataclasses.field(default_factory=Telemetry)
    outage: Outage = dataclasses.field(default_factory=Outage)


@dataclasses.dataclass(frozen=True)
class Link:
    """What a vendor's client is made with (its Provider's `connect`): its section of
    reconciler.yaml with the `${VAR}`s resolved, the whole config (endpoint overrides),
    its wiring, and where the in-process sandbox serves it (`origin` + `path`; origin
    None when no sandbox is in use)."""

    settings: Any
    config: Config
    wiring: Wiring
    origin: str | None
    path: str

    def url(self, value: str) -> str:
        """A configured URL as requests use it: `sandbox` is the in-process sandbox."""
        if value == "sandbox":
            if self.origin is None:
                raise AssertionError("the sandbox app is required for url: sandbox")
            return self.origin + self.path
        return value.rstrip("/")


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
        self.shared = SharedReads()  # the twin rule's listings

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

    def lookup(self, request: Request) -> Lookup | None:
        """How to find what a create made when its answer was lost (see wire/)."""
        return None

    def twins(self, request: Request) -> Twins | None:
        """How to find twins of what a create made (see wire/), for kinds whose names the
        vendor does not keep unique."""
        return None

    def empty_when_not_found(self, operation: str) -> bool:
        return False

    def request(
        self, operation: str, values: Mapping[str, Any] | None = None, **more: Any
    ) -> Request:
        """A request to `operation` of the endpoint map (see Request.to)."""
        return self.endpoints[operation].request(operation, values or {}, **more)

    async def op(self, operation: str, *, body: Any = None, **params: Any) -> Any:
        """Call `operation` of the endpoint map; params fill its path, the rest the query."""
        try:
            return await self.call(self.request(operation, params, json=body))
        except errors.NotFound:
            if self.empty_when_not_found(operation):
                return []
            raise

    async def send(self, request: Request) -> Any:
        """One planned call: a create whose answer is lost is looked up before it is sent
        again; a DELETE answered 404 was done already (by an attempt whose answer was lost).
        An answer without what the request `expect`s (the ids later calls use) is
        malformed. A create answered 409 whose object is found by name was made by a
        concurrent run: it is taken as done (apply's re-read checks what it holds)."""
        lookup = self.lookup(request)
        recover = None
        if lookup is not None:
            found = lookup

            async def recover() -> Any:
                try:
                    return found.pick(await self.op(found.operation, **found.params))
                except errors.NotFound:
                    return None

        try:
            answer = await self.call(request, recover)
        except errors.NotFound:
            if request.method == "DELETE":
                return None
            raise
        except errors.Conflict:
            made = await recover() if recover is not None else None
            if made is None:
                raise
            answer = made
        twins = self.twins(request)
        return await self.settle(twins, answer) if twins else answer

    async def settle(self, twins: Twins, answer: Any) -> Any:
        """The twin rule, after a create: when a concurrent run made an object of the same
        name, the lowest id wins. The run that made a higher one deletes it (before
        anything is attached to it) where the vendor can, and goes on with the winner.
        The listing is one that began after the create was answered, shared with the
        other creates answered before it began (providers/shared.py)."""
        key = (twins.operation, tuple(sorted(twins.params.items())))
        listing = await self.shared.after_now(key, lambda: self.op(twins.operation, **twins.params))
        rows = twins.rows(listing)
        named = [r for r in rows if r.get(twins.name_field) == twins.name]
        ours = answer.get(twins.id_field) if isinstance(answer, dict) else None
        if len(named) < 2 or ours is None:
            return answer
        winner = min(named, key=lambda r: lowest_id(r.get(twins.id_field)))
        if winner.get(twins.id_field) == ours:
            return answer
        if twins.delete:
            await self.send(self.request(twins.delete, {twins.delete_param: ours}))
        return winner

    async def call(self, request: Request, recover: Recover | None = None) -> Any:
        """Send `request`, retrying transient failures; return its parsed answer.

        With `recover`, every retry first asks it for the answer the lost attempt would
        have given (the object found by name); a found object ends the loop.
        """
        failure: errors.ApiError | None = None

        def retried(number: int, wait: float, exc: BaseException) -> None:
            why = exc.detail if isinstance(exc, errors.ApiError) else type(exc).__name__
            status = getattr(exc, "status", None)
            reason = f"{status} {why}" if status else why
            self.wiring.telemetry.retry(self.api, request.operation, number, wait, reason)

        outage = self.wiring.outage
        began = time.monotonic()  # tenacity's clock: the deadline counts the first attempt
        try:
            # The first attempt goes without tenacity: most calls need no other, and the
            # retry loop made for each (its state, lock, locals and closures) is garbage
            # in reference cycles, which took a tenth of a large read's CPU to collect.
            outage.check(self.api)
            try:
                return await self.once(request, 1)
            except errors.ApiError as exc:
                failure = exc
                outage.check(self.api)  # its login found it down
            first: errors.ApiError | None = failure
            async for attempt in self.wiring.retry.retrying(self.wiring.sleep, retried):
                with attempt:
                    if first is not None:  # tenacity takes the first attempt's failure as its own
                        attempt.retry_state.start_time, replayed, first = began, first, None
                        raise replayed
                    outage.check(self.api)
                    if failure is not None and self.wiring.retry.halted():
                        raise failure  # halted while waiting to retry: the last one stands
                    # A 429 was refused before the vendor acted: nothing to look up then.
                    if recover and failure and not isinstance(failure, errors.RateLimited):
                        found = await self._recover(recover, failure)
                        if found is not None:
                            return found
                    try:
                        return await self.once(request, attempt.retry_state.attempt_number)
                    except errors.ApiError as exc:
                        failure = exc
                        outage.check(self.api)  # its login found it down
                        raise
        except errors.Unreachable as exc:
            if outage.failure is None and not self.wiring.retry.halted():
                outage.failure = exc
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
            if found is not None or waited >= window or policy.halted():
                return found
            step = min(pause, window - waited)
            await self.wiring.sleep(step)
            waited += step
            pause = min(pause * 2, policy.maximum)

    async def once(self, request: Request, number: int = 1) -> Any:
        """Attempt `number` of `request`, never retried; when it is authenticated, a 401
        gets one re-authentication and one more try."""
        for first in (True, False):
            headers = {**request.headers}
            if request.authenticate:
                headers |= await self.auth_headers()
            try:
                return await self._send(request, headers, number)
            except errors.Unauthorized:
                if not (request.authenticate and first):
                    raise
                await self.reauthenticate(headers)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(self, request: Request, headers: dict[str, str], number: int) -> Any:
        telemetry = self.wiring.telemetry
        url = (request.base_url or self.base_url) + request.path
        queued, sent = time.perf_counter(), telemetry.now()
        started = queued

        def record(status: int | None, error: str = "") -> None:
            queued_ms = (started - queued) * 1000
            latency_ms = (time.perf_counter() - started) * 1000
            # as httpx.URL(url).path says it (decoded), at a tenth of the cost
            path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
            attempt = Attempt(number, path, sent, queued_ms, latency_ms, status, error)
            telemetry.record(self.api, request, attempt)

        async with self.wiring.gate:
            started = time.perf_counter()
            try:
                response = await self.wiring.http.request(
                    request.method,
                    url,
                    headers=headers,
                    json=request.json,
                    data=request.form,
                    content=request.text,
                    params=request.query,
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # nothing was sent
                record(None, "connection refused")
                message = answers.unreachable(url, exc)
                raise errors.Unreachable(self.api, request.operation, message) from None
            except httpx.TimeoutException:
                record(None, "timed out")
                self.wiring.gate.slots.answered(time.perf_counter() - started)
                raise errors.Transient(self.api, request.operation, "timed out") from None
            except httpx.TransportError as exc:
                record(None, "connection lost")
                why = f"connection failed ({exc})"
                raise errors.Transient(self.api, request.operation, why) from None
            latency = time.perf_counter() - started
            record(response.status_code)
        # Let the caller waiting for the slot just freed send its request before a large
        # answer is parsed: answers come in bursts, and parsing them one after another
        # before any next request goes out would leave the vendor idle meanwhile. Not
        # before a small one: requests that reach httpx's pool in the same turn of the loop
        # are often given the same connection, and retried there (twice the pool's work).
        if len(response.content) > YIELD_ABOVE:
            await asyncio.sleep(0)
        if response.status_code == 429:
            self.wiring.gate.throttle()
        else:
            self.wiring.gate.accepted(latency)
        if response.status_code >= 400:
            raise answers.translate(self.api, request.operation, response, self.secrets())
        if response.status_code >= 300:  # never followed: credentials go nowhere else
            raise errors.Permanent(
                self.api,
                request.operation,
                answers.redirected(response),
                status=response.status_code,
            )
        return self._parsed(request, response)

    def _parsed(self, request: Request, response: httpx.Response) -> Any:
        """The answer's value; a malformed one is a Malformed error (retried) naming the
        operation, status, content type and the first bytes of the body, secrets masked."""
        expected = request.expect or self.answers.get(request.operation)
        why: str | None
        try:
            value = answers.parse(response, json_expected=expected is not None)
        except ValueError:
            why = "not JSON"
        else:
            # An operation with no declared answer (a write answered with an empty body,
            # JSON, or the vendor's text/plain) still never takes a web page for one: a
            # proxy's login page answered 200 has not reached the vendor.
            why = expected.problem(value) if expected else answers.page(response)
            if why is None:
                return value
        content_type = response.headers.get("content-type") or "no content type"
        head = answers.redact(response.content[:80].decode("utf-8", "replace"), self.secrets())
        raise errors.Malformed(
            self.api,
            request.operation,
            f"malformed answer, {why} ({content_type}, {len(response.content)} bytes): "
            f"{' '.join(head.split())!r}",
            status=response.status_code,
        )
