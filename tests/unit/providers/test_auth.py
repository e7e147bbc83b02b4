"""The provider boundary over httpx.MockTransport: the clients' authentication: one token per run (single flight), refresh before expiry, one
re-authentication on a 401, the reseller asked once."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from reconciler import errors
from reconciler.config.model import ConnecttoTeamsProvider
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.wire import connecttoteams as c2t_wire
from reconciler.wire.contextsms import parse_expiry
from tests.unit.providers.clients import (
    Recorder,
    c2t_client,
    csms_client,
    run,
    token_answer,
    wiring,
)


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
