"""The provider boundary over httpx.MockTransport: the one retry policy: Retry-After honoured, backoff, bounded attempts, timeouts transient,
429s waited for longer."""

from __future__ import annotations

import time

import httpx
import pytest

from reconciler import errors
from tests.unit.providers.clients import (
    Handler,
    Recorder,
    c2t_client,
    planned,
    run,
    token_answer,
)


def vendor(answer: Handler) -> tuple[Handler, list[httpx.Request]]:
    """A ConnecttoTeams that logs in and answers every other request with `answer`, and
    the requests it so answered."""
    answered: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        answered.append(request)
        return answer(request)

    return handler, answered


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

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    handler, answered = vendor(timeout)
    with pytest.raises(errors.Transient, match="timed out"):
        run(c2t_client(handler, recorder, attempts=3).op("listUsers", enterpriseId=78))
    assert len(answered) == 3 and len(recorder.sleeps) == 2


def test_the_deadline_counts_the_first_attempt() -> None:
    """The first attempt is made before the retry loop begins (most calls need no other):
    its time still counts against the call's deadline."""
    recorder = Recorder()

    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(0.3)  # a slow vendor: the answer comes after the deadline
        return httpx.Response(503, content=b"")

    handler, answered = vendor(slow)
    client = c2t_client(handler, recorder, deadline=0.2)
    with pytest.raises(errors.Transient):
        run(client.op("listUsers", enterpriseId=78))
    assert len(answered) == 1 and recorder.sleeps == []
    answered.clear()
    within = c2t_client(handler, Recorder(), deadline=60, attempts=2)
    with pytest.raises(errors.Transient):  # within a deadline it is retried
        run(within.op("listUsers", enterpriseId=78))
    assert len(answered) == 2


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
    assert run(client.send(planned(client, "group", {}, body))) == {"groupId": 9}
    assert paths == ["/sms/createSMSGroup"] * 4  # no look-up: a 429 made nothing
    assert recorder.sleeps == [1, 1, 1]


def test_once_halted_no_failed_call_is_tried_again() -> None:
    recorder = Recorder()
    stopping = {"now": False}

    def busy(request: httpx.Request) -> httpx.Response:
        stopping["now"] = True  # SIGTERM arrives while the first attempt is in flight
        return httpx.Response(503, content=b"")

    handler, answered = vendor(busy)
    client = c2t_client(handler, recorder, attempts=6, halt=lambda: stopping["now"])
    with pytest.raises(errors.Transient):
        run(client.op("listUsers", enterpriseId=78))
    assert (len(answered), recorder.sleeps) == (1, [])


def test_a_halt_during_the_wait_before_a_retry_ends_the_wait_and_the_call() -> None:
    recorder = Recorder()
    handler, answered = vendor(lambda request: httpx.Response(503, content=b""))

    def halt() -> bool:  # SIGTERM a second into the first wait (the recorder's clock)
        return sum(recorder.sleeps) >= 1.0

    client = c2t_client(handler, recorder, attempts=6, initial=8, maximum=8, halt=halt)
    with pytest.raises(errors.Transient, match="503"):
        run(client.op("listUsers", enterpriseId=78))
    assert len(answered) == 1
    assert recorder.sleeps == [0.25, 0.25, 0.25, 0.25]  # cut short, looked at every 0.25 s
