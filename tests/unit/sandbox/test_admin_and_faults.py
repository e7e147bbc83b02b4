"""The sandbox's admin routes, fault injection, persistence and DLR callbacks."""

from __future__ import annotations

import http.server
import json
import pathlib
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import yaml
from fastapi.testclient import TestClient

from reconciler.sandbox.app import create_app
from tests.unit.sandbox.conftest import SEED, Api, FakeClock, c2t_token, csms_token


def faults(client: TestClient, *rules: dict[str, Any]) -> None:
    assert client.put("/_sandbox/faults", json=list(rules)).status_code == 200


def test_request_log_is_ordered_and_masks_secrets(client: TestClient, c2t: Api, csms: Api) -> None:
    c2t.post("/sms/getSMSUsers/78")
    log = client.get("/_sandbox/requests").json()
    assert [(e["seq"], e["api"], e["method"], e["path"], e["status"]) for e in log] == [
        (1, "connecttoteams", "POST", "/connecttoteams/oauth/token", 200),
        (2, "contextsms", "POST", "/contextsms/api/v2/auth/login", 200),
        (3, "connecttoteams", "POST", "/connecttoteams/sms/getSMSUsers/78", 200),
    ]
    assert log[0]["body"] == {"grant_type": "password", "username": "api-admin", "password": "***"}
    assert log[1]["body"] == {"username": "ops@csp.example", "password": "***"}
    assert "demo-password" not in json.dumps(log)
    assert client.delete("/_sandbox/requests").status_code == 204
    assert client.get("/_sandbox/requests").json() == []


def test_error_rate_and_status(client: TestClient, c2t: Api) -> None:
    faults(client, {"route": "/connecttoteams/sms/*", "errorRate": 1.0, "errorStatus": 500})
    assert c2t.post("/sms/getSMSUsers/78").status_code == 500
    assert c2t.post("/enterprise/getPhoneNumbers/78").status_code == 200  # other routes untouched


def test_latency_uses_the_clock_half_before_handling_and_the_rest_after(
    client: TestClient, c2t: Api, clock: FakeClock
) -> None:
    faults(client, {"route": "/connecttoteams/*", "latencyMs": 50})
    c2t.post("/sms/getSMSUsers/78")
    # handling took no time on the fake clock: the answer leaves 50 ms after it came
    assert clock.sleeps == [0.025, 0.025]


def test_a_heavy_tail_slows_some_calls_by_slow_ms(
    c2t: Api, client: TestClient, clock: FakeClock
) -> None:
    faults(
        client, {"route": "/connecttoteams/*", "latencyMs": 20, "slowRate": 0.25, "slowMs": 1000}
    )
    for _ in range(40):
        c2t.post("/sms/getSMSUsers/78")
    answered = [round(a + b, 6) for a, b in zip(clock.sleeps[::2], clock.sleeps[1::2], strict=True)]
    assert set(answered) == {0.02, 1.02}
    assert answered.count(1.02) == 15  # the seeded draw: a quarter of 40, give or take


def test_rate_limit_answers_429_with_retry_after(
    client: TestClient, c2t: Api, clock: FakeClock
) -> None:
    faults(client, {"route": "/connecttoteams/*", "rateLimitPerSecond": 2})
    assert [c2t.post("/sms/getSMSUsers/78").status_code for _ in range(3)] == [200, 200, 429]
    limited = c2t.post("/sms/getSMSUsers/78")
    assert limited.headers["retry-after"] == "1"
    assert limited.json()["code"] == "RATE_LIMITED"
    clock.advance(1)
    assert c2t.post("/sms/getSMSUsers/78").status_code == 200


def test_drop_after_commit_commits_then_answers_503(client: TestClient, c2t: Api) -> None:
    faults(client, {"route": "/connecttoteams/sms/createSMSGroup", "dropAfterCommitRate": 1.0})
    c2t.post(
        "/reseller/editEnterprise",
        {
            "enterpriseId": 78,
            "enterpriseName": "Sunshine Dental",
            "resellerId": 54,
            "services": ["SMS"],
        },
    )
    answer = c2t.post(
        "/sms/createSMSGroup",
        {"groupName": "G", "groupOwner": "maria@sunshinedental.com", "enterpriseId": 78},
    )
    assert (answer.status_code, answer.content) == (503, b"")
    assert [g["groupName"] for g in c2t.post("/sms/getSMSGroups/78").json()] == ["G"]


def test_expire_tokens_forces_one_reauthentication(client: TestClient, c2t: Api) -> None:
    faults(client, {"route": "/connecttoteams/*", "expireTokens": True})
    assert c2t.post("/sms/getSMSUsers/78").status_code == 401
    fresh = Api(client, "/connecttoteams", c2t_token(client))
    assert fresh.post("/sms/getSMSUsers/78").status_code == 200


def test_fault_rules_are_validated(client: TestClient) -> None:
    answer = client.put("/_sandbox/faults", json=[{"route": "/*", "errorRate": 2}])
    assert answer.status_code == 400
    assert client.get("/_sandbox/faults").json() == []


def test_state_survives_a_restart(db: pathlib.Path, clock: FakeClock) -> None:
    with TestClient(create_app(db, SEED, clock=clock)) as client:
        csms = Api(client, "/contextsms/api/v2", csms_token(client))
        csms.post(
            "/enterprise/CSP0000003",
            {"name": "Persisted", "contact": "Ann", "number": "+12025550143", "email": "ann@x.com"},
        )
    with TestClient(create_app(db, SEED, clock=clock)) as client:
        csms = Api(client, "/contextsms/api/v2", csms_token(client))
        assert csms.get("/enterprise/getenterprise/E0000090").json()["name"] == "Persisted"
        assert client.get("/_sandbox/requests").json()[0]["seq"] == 1  # the log persisted too
        client.post("/_sandbox/reset")
        assert csms_token(client)
        csms = Api(client, "/contextsms/api/v2", csms_token(client))
        assert csms.get("/enterprise/getenterprise/E0000090").status_code == 404


def test_state_dump_and_reseed(client: TestClient) -> None:
    state = client.get("/_sandbox/state").json()
    assert [e["name"] for e in state["c2t_enterprise"]] == ["Sunshine Dental", "Northwind Legal"]
    assert "tokens" not in state
    seed = {
        "connecttoteams": {
            "enterprises": [{"enterpriseId": 5, "enterpriseName": "Tiny", "resellerId": 1}]
        }
    }
    assert client.post("/_sandbox/seed", json=seed).status_code == 200
    assert [e["name"] for e in client.get("/_sandbox/state").json()["c2t_enterprise"]] == ["Tiny"]
    assert client.post("/_sandbox/seed", json={"bogus": 1}).status_code == 400


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []
    arrived: ClassVar[threading.Event] = threading.Event()

    def do_POST(self) -> None:
        length = int(self.headers["content-length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()
        type(self).arrived.set()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Receiver.received = []
    _Receiver.arrived = threading.Event()
    yield f"http://127.0.0.1:{server.server_port}/dlr"
    server.shutdown()


def test_dlr_callback_is_posted(client: TestClient, receiver: str) -> None:
    seed = yaml.safe_load(SEED.read_text())
    seed["connectel"]["tokens"] = [{"token": "demo-token", "callbackUrl": receiver}]
    client.post("/_sandbox/seed", json=seed)
    sent = client.post(
        "/connectel/api/v2/send/",
        json={
            "authorization": "demo-token",
            "sender": "S",
            "recipient": "12025550199",
            "message": "m",
        },
    ).json()
    assert _Receiver.arrived.wait(10)
    [dlr] = _Receiver.received
    assert dlr["action"] == "dlr"
    assert (dlr["requestid"], dlr["statusInt"], dlr["statusStr"]) == (
        sent["requestid"],
        5,
        "UNDELIV",
    )
    assert "demo-token" not in json.dumps(dlr)
