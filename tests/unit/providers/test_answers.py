"""The provider boundary over httpx.MockTransport: what came back, made ours once: vendor errors translated, malformed answers retried and
named, secrets masked, an unreachable host named."""

from __future__ import annotations

import httpx
import pytest

from reconciler import errors
from tests.unit.providers.clients import (
    Recorder,
    c2t_client,
    csms_client,
    run,
    token_answer,
)


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
