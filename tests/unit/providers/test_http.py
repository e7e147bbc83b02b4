"""The provider boundary over httpx.MockTransport: auth flows, translation, retries."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from reconciler import errors
from reconciler.config.model import ConnecttoTeamsProvider, ContextSmsProvider
from reconciler.providers import http
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.contextsms.client import ContextSmsClient
from reconciler.providers.ratelimit import Gate
from reconciler.wire import connecttoteams as c2t_wire
from reconciler.wire.contextsms import parse_expiry

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.now = 1000.0

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def clock(self) -> float:
        return self.now


def wiring(handler: Any, recorder: Recorder, parallelism: int = 8, **policy: Any) -> http.Wiring:
    """The client side of a session over httpx.MockTransport: nothing is patched."""
    pool = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return http.Wiring(pool, Gate(parallelism), http.RetryPolicy(**policy), recorder.sleep)


def c2t_client(handler: Any, recorder: Recorder, **policy: Any) -> ConnecttoTeamsClient:
    settings = ConnecttoTeamsProvider(
        url="https://c2t.test",
        clientId="id",
        clientSecret="s3cret",
        username="admin",
        password="pw",
        resellerId=54,
    )
    return ConnecttoTeamsClient(
        settings,
        c2t_wire.ENDPOINTS,
        "https://c2t.test",
        wiring(handler, recorder, **policy),
        clock=recorder.clock,
    )


def csms_client(handler: Any, url: str = "https://csms.test", **policy: Any) -> ContextSmsClient:
    settings = ContextSmsProvider(url=url, username="u", password="p")
    return ContextSmsClient(settings, url, wiring(handler, Recorder(), **policy))


def token_answer(value: str, expires: int = 3600) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "access_token": value,
            "token_type": "bearer",
            "expires_in": expires,
            "refresh_token": "r-" + value,
        },
    )


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_token_is_fetched_once_and_reused() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            assert request.headers["authorization"] == "Basic aWQ6czNjcmV0"
            assert b"grant_type=password" in request.content
            return token_answer("t1")
        seen.append(request.headers["authorization"])
        return httpx.Response(200, json=[])

    client = c2t_client(handler, Recorder())
    run(client.op("listUsers", enterpriseId=78))
    run(client.op("listGroups", enterpriseId=78))
    assert seen == ["Bearer t1", "Bearer t1"]


def test_refresh_before_expiry_and_reauth_once_on_401() -> None:
    recorder = Recorder()
    tokens = iter(["t1", "t2", "t3"])
    grants: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            grants.append(request.content)
            return token_answer(next(tokens))
        if request.headers["authorization"] == "Bearer t2":
            return httpx.Response(401, json={"error": "expired", "code": "UNAUTHORIZED"})
        return httpx.Response(200, json=[])

    client = c2t_client(handler, recorder)
    run(client.op("listUsers", enterpriseId=78))
    recorder.now += 3600 - 30  # inside the refresh margin
    run(client.op("listUsers", enterpriseId=78))  # refresh -> t2 -> 401 -> password -> t3
    assert b"grant_type=refresh_token" in grants[1]
    assert b"grant_type=password" in grants[2]


def test_persistent_401_is_unauthorized_without_a_loop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        return httpx.Response(401, text="nope")

    with pytest.raises(errors.Unauthorized):
        run(c2t_client(handler, Recorder()).op("listUsers", enterpriseId=78))


def test_bad_credentials_say_so_without_secrets() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    with pytest.raises(errors.Unauthorized) as info:
        run(c2t_client(handler, Recorder()).op("listUsers", enterpriseId=78))
    assert "s3cret" not in str(info.value) and "pw" not in str(info.value).split()


def test_vendor_errors_are_translated_once() -> None:
    answers = {
        "/sms/getSMSUsers/1": httpx.Response(
            409, json={"error": "DID 1 is assigned to user x", "code": "DID_ALREADY_ASSIGNED"}
        ),
        "/sms/getSMSUsers/2": httpx.Response(
            404, json={"error": "enterprise 2 not found", "code": "NOT_FOUND"}
        ),
        "/sms/getSMSUsers/3": httpx.Response(400, text="<html>Bad Request</html>"),
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        return answers[request.url.path]

    client = c2t_client(handler, Recorder())
    with pytest.raises(errors.Conflict) as conflict:
        run(client.op("listUsers", enterpriseId=1))
    assert (
        str(conflict.value)
        == "ConnecttoTeams listUsers: 409 DID_ALREADY_ASSIGNED: DID 1 is assigned to user x"
    )
    with pytest.raises(errors.NotFound):
        run(client.op("listUsers", enterpriseId=2))
    with pytest.raises(errors.Permanent, match=r"400: <html>Bad Request</html>"):
        run(client.op("listUsers", enterpriseId=3))


def test_retries_honour_retry_after_and_back_off() -> None:
    recorder = Recorder()
    answers = iter(
        [
            httpx.Response(
                429,
                headers={"Retry-After": "3"},
                json={"error": "slow down", "code": "RATE_LIMITED"},
            ),
            httpx.Response(503, content=b""),
            httpx.Response(200, json=[{"userId": "a"}]),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return token_answer("t") if request.url.path == "/oauth/token" else next(answers)

    result = run(
        c2t_client(handler, recorder, initial=0.5, maximum=4).op("listUsers", enterpriseId=78)
    )
    assert result == [{"userId": "a"}]
    assert recorder.sleeps[0] == 3
    assert 0.5 <= recorder.sleeps[1] <= 4


def test_retries_are_bounded_and_timeouts_are_transient() -> None:
    recorder = Recorder()
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        if request.url.path == "/oauth/token":
            return token_answer("t")
        calls += 1
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(errors.Transient, match="timed out"):
        run(c2t_client(handler, recorder, attempts=3).op("listUsers", enterpriseId=78))
    assert calls == 3 and len(recorder.sleeps) == 2


def test_a_lost_create_is_looked_up_by_name_before_it_is_sent_again() -> None:
    posts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        if request.url.path == "/sms/createSMSGroup":
            posts.append(request.content.decode())
            return httpx.Response(503)  # the server made the group; the answer was lost
        assert request.url.path == "/sms/getSMSGroups/78"
        return httpx.Response(200, json=[{"groupId": 9, "groupName": "Front Desk"}])

    recorder = Recorder()
    client = c2t_client(handler, recorder)
    body = {"groupId": -1, "groupName": "Front Desk", "enterpriseId": 78}
    answer = run(client.send("group", "POST", "/sms/createSMSGroup", {}, body))
    assert answer == {"groupId": 9, "groupName": "Front Desk"}
    assert len(posts) == 1 and len(recorder.sleeps) == 1


def test_a_delete_answered_404_was_done_already() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/login":
            return httpx.Response(200, json={"accessToken": "a", "refreshToken": "r"})
        return httpx.Response(404, json={"error": "Mapping not found", "code": "NOT_FOUND"})

    client = csms_client(handler)
    assert run(client.send("deleteMapping", "DELETE", "/mapping/NTMAP1", {}, None)) is None
    with pytest.raises(errors.NotFound):
        run(client.send("editMapping", "PUT", "/mapping/NTMAP1", {}, {"messagingAppId": "x"}))


def test_concurrent_first_calls_log_in_once_and_stay_within_the_gate() -> None:
    logins = 0
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal logins, in_flight, peak
        if request.url.path == "/oauth/token":
            logins += 1
            await asyncio.sleep(0.01)
            return token_answer("t")
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.005)
        in_flight -= 1
        return httpx.Response(200, json=[])

    recorder = Recorder()
    settings = ConnecttoTeamsProvider(
        url="https://c2t.test", clientId="i", clientSecret="s", username="u", password="p"
    )
    client = ConnecttoTeamsClient(
        settings, c2t_wire.ENDPOINTS, "https://c2t.test", wiring(handler, recorder, parallelism=3)
    )

    async def many() -> None:
        await asyncio.gather(*(client.op("listUsers", enterpriseId=i) for i in range(20)))

    run(many())
    assert (logins, client.logins, peak, client.calls) == (1, 1, 3, 21)


def test_the_rate_limit_paces_requests() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    gate = Gate(8, 10.0, clock=lambda: now[0], sleep=sleep)

    async def enter_five_times() -> None:
        for _ in range(5):
            async with gate:
                pass

    run(enter_five_times())
    assert gate.bucket is not None and gate.bucket.capacity == 1.0
    assert waits == pytest.approx([0.1, 0.1, 0.1, 0.1])
    assert now[0] == pytest.approx(0.4)


def test_endpoint_overrides() -> None:
    table = c2t_wire.endpoints({"listUsers": "GET /sms/v2/users/{enterpriseId}"})
    assert (table["listUsers"].method, table["listUsers"].path) == (
        "GET",
        "/sms/v2/users/{enterpriseId}",
    )
    with pytest.raises(errors.ConfigError) as unknown:
        c2t_wire.endpoints({"listUser": "/x"}, "conf.yaml")
    assert str(unknown.value).startswith(
        "conf.yaml: providers.connecttoteams.endpoints.listUser: unknown operation; expected "
        "one of addMembers, authenticatedUser, editEnterprise,"
    )
    with pytest.raises(errors.ConfigError) as placeholders:
        c2t_wire.endpoints({"listUsers": "/sms/users"})
    assert str(placeholders.value) == (
        "reconciler.yaml: providers.connecttoteams.endpoints.listUsers: the path must use the "
        "placeholders {enterpriseId}"
    )


def test_contextsms_expiry_parsing() -> None:
    assert parse_expiry("2025-01-01T12:00:00.242875589") == pytest.approx(1735732800.242875589)
    assert parse_expiry("2025-01-01T12:00:00") == 1735732800.0


def test_contextsms_refreshes_on_401() -> None:
    tokens = iter(["a1", "a2"])
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path in ("/auth/login", "/auth/getaccesstoken"):
            return httpx.Response(
                200,
                json={
                    "accessToken": next(tokens),
                    "refreshToken": "r",
                    "expirationTimeInUTC": "2999-01-01T00:00:00.000000000",
                },
            )
        if request.headers["authorization"] == "Bearer a1":
            return httpx.Response(
                401, json={"error": "Invalid or expired access token", "code": "UNAUTHORIZED"}
            )
        return httpx.Response(200, json=[])

    client = csms_client(handler)
    assert run(client.op("listMappings", enterpriseId="E0000090")) == []
    assert paths == [
        "/auth/login",
        "/numbertomessageappmapping/enterprise/E0000090",
        "/auth/getaccesstoken",
        "/numbertomessageappmapping/enterprise/E0000090",
    ]


def test_the_reseller_is_asked_once_and_only_when_not_configured() -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path == "/oauth/token":
            return token_answer("t")
        assert request.url.path == "/reseller/getAuthenticatedUser"
        assert request.content == b"admin"
        return httpx.Response(200, json={"resellerId": 61, "username": "admin"})

    recorder = Recorder()
    settings = ConnecttoTeamsProvider(
        url="https://c2t.test", clientId="i", clientSecret="s", username="admin", password="p"
    )
    client = ConnecttoTeamsClient(
        settings, c2t_wire.ENDPOINTS, "https://c2t.test", wiring(handler, recorder)
    )

    async def twice() -> list[int]:
        return list(await asyncio.gather(client.reseller_id(), client.reseller_id()))

    assert run(twice()) == [61, 61]
    assert asked == ["/oauth/token", "/reseller/getAuthenticatedUser"]


def test_a_429_backs_the_rate_off_to_what_the_vendor_accepted_and_it_recovers() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    gate = Gate(8, None, clock=lambda: now[0], sleep=sleep)
    for i in range(50):  # fifty accepted in the last second: the vendor takes 50/s
        now[0] = i / 50
        gate.accepted(0.02)
    assert gate.rate is None
    gate.throttle()
    gate.throttle()  # the same burst: one decrease
    assert (gate.throttled, gate.rate) == (2, pytest.approx(45.0))
    for _ in range(45):
        gate.accepted(0.02)
    assert gate.rate == pytest.approx(46.0, abs=0.05)  # about +1/s per second of successes
    capped = Gate(8, 20.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(100):
        capped.accepted(0.02)
    assert capped.rate == 20.0  # the configured rate stays the ceiling
    now[0] += 0.5
    capped.throttle()
    assert capped.rate == pytest.approx(20.0 * 0.9)  # 100 accepted, more than the rate


def test_a_throttled_create_is_not_looked_up_and_429s_are_waited_for_longer() -> None:
    paths: list[str] = []
    answers = iter([429, 429, 429, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        paths.append(request.url.path)
        status = next(answers)
        if status == 429:
            return httpx.Response(429, headers={"Retry-After": "1"}, json={"code": "RATE_LIMITED"})
        return httpx.Response(200, json={"groupId": 9})

    recorder = Recorder()
    client = c2t_client(handler, recorder, attempts=2)
    body = {"groupId": -1, "groupName": "Front Desk", "enterpriseId": 78}
    assert run(client.send("group", "POST", "/sms/createSMSGroup", {}, body)) == {"groupId": 9}
    assert paths == ["/sms/createSMSGroup"] * 4  # no look-up: a 429 made nothing
    assert recorder.sleeps == [1, 1, 1]


MALFORMED = {
    "an HTML page": (
        httpx.Response(
            200,
            headers={"content-type": "text/html"},
            content=b"<html><body>Gateway error; token=t-secret-token</body></html>",
        ),
        "ConnecttoTeams listUsers: 200: malformed answer, not JSON (text/html, 61 bytes): "
        "'<html><body>Gateway error; token=***</body></html>'",
    ),
    "JSON cut short": (
        httpx.Response(
            200, headers={"content-type": "application/json"}, content=b'[{"userId": "a@x.c'
        ),
        "ConnecttoTeams listUsers: 200: malformed answer, not JSON (application/json, 18 "
        'bytes): \'[{"userId": "a@x.c\'',
    ),
    "the wrong type": (
        httpx.Response(200, json={"data": []}),
        "ConnecttoTeams listUsers: 200: malformed answer, expected a JSON list, got an object "
        "(application/json, 11 bytes): '{\"data\":[]}'",
    ),
    "an empty body": (
        httpx.Response(200),
        "ConnecttoTeams listUsers: 200: malformed answer, expected a JSON list, got an empty "
        "body (no content type, 0 bytes): ''",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_answer_is_retried_then_named_without_secrets(case: str) -> None:
    answer, message = MALFORMED[case]
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t-secret-token")
        attempts.append(request.url.path)
        return answer

    recorder = Recorder()
    with pytest.raises(errors.Malformed) as info:
        run(c2t_client(handler, recorder, attempts=3).op("listUsers", enterpriseId=78))
    assert str(info.value) == message
    assert "t-secret-token" not in str(info.value)
    assert len(attempts) == 3 and len(recorder.sleeps) == 2  # transient: retried


def test_a_malformed_answer_then_a_good_one_succeeds() -> None:
    answers = iter(
        [
            httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html/>"),
            httpx.Response(200, json=[{"userId": "a@x.com"}]),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        return next(answers)

    answer = run(c2t_client(handler, Recorder()).op("listUsers", enterpriseId=78))
    assert answer == [{"userId": "a@x.com"}]


def test_a_create_answer_without_the_id_later_calls_need_is_malformed() -> None:
    posts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        if request.url.path == "/sms/createSMSGroup":
            posts.append(request.content.decode())
            if len(posts) == 1:
                return httpx.Response(200, json={"groupName": "Front Desk"})
            raise AssertionError("sent twice")
        return httpx.Response(200, json=[{"groupId": 9, "groupName": "Front Desk"}])

    body = {"groupId": -1, "groupName": "Front Desk", "enterpriseId": 78}
    client = c2t_client(handler, Recorder())
    answer = run(client.send("group", "POST", "/sms/createSMSGroup", {}, body, ("groupId",)))
    # The first answer lacked groupId: unknown outcome, so it was looked up, not re-sent.
    assert answer == {"groupId": 9, "groupName": "Front Desk"}
    assert len(posts) == 1


def test_error_answers_never_carry_a_secret() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t-secret-token")
        return httpx.Response(400, text="bad request from s3cret-holder: Bearer t-secret-token")

    with pytest.raises(errors.Permanent) as info:
        run(c2t_client(handler, Recorder()).op("listUsers", enterpriseId=78))
    assert str(info.value) == (
        "ConnecttoTeams listUsers: 400: bad request from ***-holder: Bearer ***"
    )


def late_commit_handler(posts: list[str], lands_after_lookups: int, failure: Any) -> Handler:
    """A create whose answer never comes (`failure`), and whose row appears in the listing
    only after `lands_after_lookups` look-ups (a vendor that commits late)."""
    lookups: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        if request.url.path == "/sms/createSMSGroup":
            posts.append(request.content.decode())
            if len(posts) == 1:
                if isinstance(failure, httpx.Response):
                    return failure
                raise failure
            return httpx.Response(200, json={"groupId": 10, "groupName": "Front Desk"})
        lookups.append(1)
        if len(lookups) > lands_after_lookups:
            return httpx.Response(200, json=[{"groupId": 9, "groupName": "Front Desk"}])
        return httpx.Response(200, json=[])

    return handler


BODY = {"groupId": -1, "groupName": "Front Desk", "enterpriseId": 78}


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("late"), httpx.RemoteProtocolError("reset"), httpx.Response(504)],
    ids=["timeout", "connection dropped", "gateway timeout"],
)
def test_an_unanswered_create_is_looked_for_over_the_window_before_it_is_sent_again(
    failure: Any,
) -> None:
    posts: list[str] = []
    recorder = Recorder()
    client = c2t_client(
        late_commit_handler(posts, 3, failure), recorder, initial=0.5, lookup_window=30
    )
    answer = run(client.send("group", "POST", "/sms/createSMSGroup", {}, BODY, ("groupId",)))
    assert answer == {"groupId": 9, "groupName": "Front Desk"}
    assert len(posts) == 1
    # the retry's backoff, then three look-ups that found nothing, 0.5 s, 1 s, 2 s apart
    assert recorder.sleeps[1:] == [0.5, 1.0, 2.0]


def test_after_the_window_the_create_is_sent_again() -> None:
    posts: list[str] = []
    recorder = Recorder()
    client = c2t_client(
        late_commit_handler(posts, 99, httpx.ReadTimeout("late")),
        recorder,
        initial=0.5,
        lookup_window=3,
    )
    answer = run(client.send("group", "POST", "/sms/createSMSGroup", {}, BODY, ("groupId",)))
    assert answer == {"groupId": 10, "groupName": "Front Desk"}
    assert len(posts) == 2
    assert recorder.sleeps[1:] == [0.5, 1.0, 1.5]  # the window is 3 s in all


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(503), httpx.ConnectError("refused")],
    ids=["answered 503", "never connected"],
)
def test_a_create_the_vendor_answered_or_never_saw_is_looked_up_once(failure: Any) -> None:
    posts: list[str] = []
    recorder = Recorder()
    client = c2t_client(late_commit_handler(posts, 99, failure), recorder, lookup_window=30)
    answer = run(client.send("group", "POST", "/sms/createSMSGroup", {}, BODY, ("groupId",)))
    assert answer == {"groupId": 10, "groupName": "Front Desk"}
    assert len(posts) == 2 and len(recorder.sleeps) == 1  # only the retry's own backoff


def test_an_unreachable_loopback_url_suggests_the_sandbox() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    client = csms_client(handler, "http://127.0.0.1:9/api", attempts=2)
    with pytest.raises(errors.Unreachable) as info:
        run(client.op("listEnterprises", cspId="CSP0000003"))
    assert str(info.value) == (
        "ContextSMS login: cannot connect to http://127.0.0.1:9 ([Errno 111] Connection "
        "refused); is the sandbox running? Start it with `reconciler sandbox serve`"
    )


def csms_twins_handler(listing: list[dict[str, Any]], seen: list[str]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.url.path == "/auth/login":
            return httpx.Response(200, json={"accessToken": "a", "refreshToken": "r"})
        if request.method == "POST":
            return httpx.Response(201, json={"enterpriseId": "E0000092", "name": "Acme"})
        if request.method == "DELETE":
            return httpx.Response(200, text="Deleted enterprise E0000092")
        return httpx.Response(200, json=listing)

    return handler


def create_acme(client: ContextSmsClient) -> Any:
    body = {"name": "Acme", "contact": "A", "number": "+12025550143", "email": "a@acme.com"}
    path = "/enterprise/CSP0000003"
    return run(client.send("newEnterprise", "POST", path, {"cspId": "CSP0000003"}, body))


def test_a_twin_made_by_a_concurrent_run_the_higher_id_deletes_its_own() -> None:
    listing = [
        {"enterpriseId": "E0000091", "name": "Acme", "deleted": False},
        {"enterpriseId": "E0000092", "name": "Acme", "deleted": False},
    ]
    seen: list[str] = []
    answer = create_acme(csms_client(csms_twins_handler(listing, seen)))
    assert answer == listing[0]  # it goes on with the winner
    assert seen == [
        "POST /auth/login",
        "POST /enterprise/CSP0000003",
        "GET /csp/enterprises/CSP0000003",
        "DELETE /enterprise/deleteenterprise/E0000092",
    ]


def test_the_lower_twin_keeps_its_own() -> None:
    listing = [
        {"enterpriseId": "E0000092", "name": "Acme", "deleted": False},
        {"enterpriseId": "E0000093", "name": "Acme", "deleted": False},
    ]
    seen: list[str] = []
    answer = create_acme(csms_client(csms_twins_handler(listing, seen)))
    assert answer == {"enterpriseId": "E0000092", "name": "Acme"}
    assert [s for s in seen if s.startswith("DELETE")] == []


def test_a_create_answered_409_whose_object_exists_was_made_concurrently() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        if request.url.path == "/sms/createSMSGroup":
            return httpx.Response(
                409, json={"error": "group exists", "code": "DUPLICATE_GROUP_NAME"}
            )
        return httpx.Response(200, json=[{"groupId": 9, "groupName": "Front Desk"}])

    answer = run(
        c2t_client(handler, Recorder()).send(
            "group", "POST", "/sms/createSMSGroup", {}, BODY, ("groupId",)
        )
    )
    assert answer == {"groupId": 9, "groupName": "Front Desk"}


def test_the_request_waiting_for_a_slot_is_sent_before_the_answer_that_freed_it_is_parsed() -> None:
    """Answers come back in bursts: parsing each before the next request goes out would
    leave the vendor idle meanwhile. With one slot, E2 is sent before E1's answer is parsed."""
    order: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        order.append(f"sent {request.url.path}")
        if request.url.path == "/auth/login":
            return httpx.Response(
                200,
                json={
                    "accessToken": "a",
                    "refreshToken": "r",
                    "expirationTimeInUTC": "2999-01-01T00:00:00.000000000",
                },
            )
        return httpx.Response(200, json=[])

    class Recording(ContextSmsClient):
        def _parsed(self, operation: str, response: httpx.Response, expect: Any = None) -> Any:
            order.append(f"parsed {response.request.url.path}")
            return super()._parsed(operation, response, expect)

    settings = ContextSmsProvider(url="https://csms.test", username="u", password="p")
    client = Recording(settings, "https://csms.test", wiring(handler, Recorder(), parallelism=1))

    async def both() -> None:
        await asyncio.gather(
            client.op("listMappings", enterpriseId="E1"),
            client.op("listMappings", enterpriseId="E2"),
        )

    run(both())
    mappings = "/numbertomessageappmapping/enterprise"
    assert order == [
        "sent /auth/login",
        "parsed /auth/login",
        f"sent {mappings}/E1",
        f"sent {mappings}/E2",
        f"parsed {mappings}/E1",
        f"parsed {mappings}/E2",
    ]
