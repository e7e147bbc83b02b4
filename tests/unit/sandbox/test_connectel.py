"""Contract tests of the sandbox's Connectel gateway and its delivery routing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.unit.sandbox.conftest import Api, FakeClock, did_ids, enable_sms

SEND = "/connectel/api/v2/send/"


def send(client: TestClient, **fields: Any) -> Any:
    body = {"authorization": "demo-token", "sender": "Sunshine", "message": "hello", **fields}
    return client.post(SEND, json=body)


def report(client: TestClient, request_id: str) -> Any:
    return client.get(
        "/connectel/api/v2/delivery/",
        params={"authorization": "demo-token", "requestid": request_id},
    ).json()


def assign(c2t: Api, number: str, user: str = "alice@sunshinedental.com") -> None:
    enable_sms(c2t)
    c2t.post("/sms/enableSMSServiceForUser", {"userId": user, "enterpriseId": 78, "enable": True})
    did = str(did_ids(c2t, 78)[number])
    assert (
        c2t.post(
            "/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": user, "smsDID": [did]}
        ).status_code
        == 200
    )


def test_single_send_form_encoded_answer_shape(client: TestClient) -> None:
    answer = client.post(
        SEND,
        data={
            "authorization": "demo-token",
            "sender": "Sunshine",
            "recipient": "12025550101",
            "message": "hi",
        },
    )
    body = answer.json()
    assert set(body) == {
        "href",
        "method",
        "recipient",
        "requestid",
        "sender",
        "statusInt",
        "statusStr",
    }
    assert (body["statusInt"], body["statusStr"], body["method"]) == (0, "ENROUTE", "GET")
    # The seed's forms: RXV66UX9433XJ400.15986176764672468 and
    # .../api/status/?authorization={YOURTOKEN}&message=<requestid>.
    assert re.fullmatch(r"R[A-Z0-9]{15}\.[0-9]{17}", body["requestid"])
    assert body["href"] == (
        f"http://testserver/connectel/api/status/?authorization=demo-token"
        f"&message={body['requestid']}"
    )
    followed = client.get(body["href"]).json()
    assert (followed["requestid"], followed["statusStr"]) == (body["requestid"], "UNDELIV")


def test_routed_number_is_delivered_to_its_assignee(client: TestClient, c2t: Api) -> None:
    assign(c2t, "+12025550101")
    request_id = send(client, recipient="12025550101").json()["requestid"]
    delivered = report(client, request_id)
    assert (delivered["statusInt"], delivered["statusStr"], delivered["action"]) == (
        1,
        "DELIVRD",
        "send",
    )
    [message] = client.get("/_sandbox/inbox/+12025550101").json()
    assert message["message"] == "hello"
    assert message["deliveredTo"] == [
        {"type": "USER", "id": "alice@sunshinedental.com", "enterpriseId": 78}
    ]


def test_unrouted_number_is_undeliverable(client: TestClient) -> None:
    request_id = send(client, recipient="12025550199").json()["requestid"]
    assert report(client, request_id)["statusStr"] == "UNDELIV"
    assert client.get("/_sandbox/inbox/+12025550199").json() == []


def test_bulk_and_delay(client: TestClient, c2t: Api, clock: FakeClock) -> None:
    assign(c2t, "+12025550101")
    client.put("/_sandbox/connectel", json={"deliveryDelaySeconds": 5})
    answer = send(client, bulk=True, recipient=[{"a": "12025550101"}, {"b": "12025550199"}]).json()
    assert (answer["statusInt"], answer["statusStr"]) == (0, "QUEUED")
    assert [r["key"] for r in answer["recipient"]] == ["a", "b"]
    pending = report(client, answer["bulkid"])
    assert [r["statusStr"] for r in pending["recipient"]] == ["QUEUE", "QUEUE"]
    clock.advance(5)
    final = report(client, answer["bulkid"])
    assert final["bulkid"] == answer["bulkid"]
    assert [(r["recipient"], r["statusInt"], r["statusStr"]) for r in final["recipient"]] == [
        ("12025550101", 1, "DELIVRD"),
        ("12025550199", 5, "UNDELIV"),
    ]


def test_reject_and_expire_patterns(client: TestClient) -> None:
    client.put(
        "/_sandbox/connectel",
        json={"rejectRecipients": ["1202555018*"], "expireRecipients": ["12025550190"]},
    )
    rejected = send(client, recipient="12025550180").json()["requestid"]
    expired = send(client, recipient="12025550190").json()["requestid"]
    assert report(client, rejected)["statusInt"] == 2
    assert report(client, expired)["statusStr"] == "EXPIRED"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sender": "ABCDEFGHIJKL"}, "alphanumeric sender is longer than 11"),
        ({"sender": "1" * 21}, "numeric sender is longer than 20"),
        ({"sender": "Bad!"}, "sender must be alphanumeric"),
        ({"message": "x" * 1601}, "message is longer than 1600"),
        ({"message": ""}, "message is required"),
        ({"recipient": "+12025550101"}, "is not an international number"),
    ],
)
def test_send_limits(client: TestClient, fields: dict[str, Any], message: str) -> None:
    answer = send(client, **{"recipient": "12025550101", **fields})
    assert answer.status_code == 400
    assert message in answer.json()["error"]


def test_limits_at_the_edge_are_fine(client: TestClient) -> None:
    assert (
        send(client, recipient="12025550101", sender="ABCDEFGHIJK", message="x" * 1600).status_code
        == 200
    )
    assert send(client, recipient="12025550101", sender="1" * 20).status_code == 200


def test_unknown_token_and_request(client: TestClient) -> None:
    answer = client.post(
        SEND,
        json={"authorization": "nope", "sender": "S", "recipient": "12025550101", "message": "m"},
    )
    assert (answer.status_code, answer.json()) == (
        401,
        {"statusInt": 9, "statusStr": "UNKNOWN", "error": "Invalid token"},
    )
    answer = client.get(
        "/connectel/api/v2/delivery/", params={"authorization": "demo-token", "requestid": "R1"}
    )
    assert answer.status_code == 404


def test_mapped_number_reaches_the_teams_app(client: TestClient, csms: Api) -> None:
    enterprise = csms.post(
        "/enterprise/CSP0000003",
        {"name": "X", "contact": "Ann", "number": "+12025550143", "email": "ann@x.com"},
    ).json()["enterpriseId"]
    csms.post(
        f"/mapping/add/{enterprise}",
        {
            "phoneNumber": "+12025550120",
            "messagingAppType": "Teams",
            "messagingAppId": "19:a@thread.tacv2",
            "name": "A",
        },
    )
    request_id = send(client, recipient="12025550120").json()["requestid"]
    assert report(client, request_id)["statusStr"] == "DELIVRD"
    [message] = client.get("/_sandbox/inbox/+12025550120").json()
    assert message["deliveredTo"] == [
        {
            "type": "TEAMS_APP",
            "messagingAppId": "19:a@thread.tacv2",
            "name": "A",
            "enterpriseId": enterprise,
        }
    ]


def test_seed_sample_bulk_and_the_status_links(client: TestClient) -> None:
    sample = {
        "authorization": "demo-token",
        "sender": "IKEA",
        "bulk": True,
        "recipient": [{"Number1": "46700000000"}, {"Number2": "46700000001"}],
        "message": "Hej",
    }
    answer = client.post(SEND, json=sample).json()
    assert [(r["key"], r["recipient"]) for r in answer["recipient"]] == [
        ("Number1", "46700000000"),
        ("Number2", "46700000001"),
    ]
    # The seed's forms: BRCNMX2Z2.15986173923570037, .../api/status/?...&bulkid=<bulkid>.
    assert re.fullmatch(r"B[A-Z0-9]{8}\.[0-9]{17}", answer["bulkid"])
    assert all(
        re.fullmatch(r"R[A-Z0-9]{15}\.[0-9]{17}", r["requestid"]) for r in answer["recipient"]
    )
    assert answer["href"] == (
        f"http://testserver/connectel/api/status/?authorization=demo-token"
        f"&bulkid={answer['bulkid']}"
    )
    status = client.get(answer["href"]).json()
    assert [r["statusStr"] for r in status["recipient"]] == ["UNDELIV", "UNDELIV"]


def test_the_connectel_settings_refuse_the_wrong_types(client: TestClient) -> None:
    for wrong in ({"deliveryDelaySeconds": False}, {"deliveryDelaySeconds": "5"}, {"x": 1}):
        assert client.put("/_sandbox/connectel", json=wrong).status_code == 400, wrong
    fine = client.put("/_sandbox/connectel", json={"deliveryDelaySeconds": 5})
    assert fine.json() == {
        "deliveryDelaySeconds": 5.0,
        "rejectRecipients": [],
        "expireRecipients": [],
    }
