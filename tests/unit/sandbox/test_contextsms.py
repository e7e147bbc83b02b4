"""Contract tests of the sandbox's ContextSMS API (shared/api/contextsms.md)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.unit.sandbox.conftest import Api, FakeClock

ENTERPRISE = {
    "name": "Sunshine Dental Clinic",
    "contact": "Dr. Maria Rodriguez",
    "number": "+12025550143",
    "email": "maria@sunshinedental.com",
}
MAPPING = {
    "phoneNumber": "+12025550110",
    "messagingAppType": "Teams",
    "messagingAppId": "19:frontdesk@thread.tacv2",
    "name": "FrontDesk",
}


def create(csms: Api) -> str:
    answer = csms.post("/enterprise/CSP0000003", ENTERPRISE)
    assert answer.status_code == 201
    return str(answer.json()["enterpriseId"])


def test_login_shape_and_expiry_format(client: TestClient, clock: FakeClock) -> None:
    answer = client.post(
        "/contextsms/api/v2/auth/login",
        json={"username": "ops@csp.example", "password": "demo-password"},
    ).json()
    assert set(answer) == {
        "username",
        "accessToken",
        "refreshToken",
        "expirationTimeInUTC",
        "roles",
        "tenantId",
        "services",
    }
    stamp = answer["expirationTimeInUTC"]
    assert len(stamp.split(".")[1]) == 9 and not stamp.endswith("Z")
    parsed = datetime.datetime.strptime(stamp[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(
        tzinfo=datetime.UTC
    )
    assert parsed.timestamp() == clock.t + 3600


def test_bad_credentials(client: TestClient) -> None:
    answer = client.post(
        "/contextsms/api/v2/auth/login", json={"username": "ops@csp.example", "password": "x"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "Invalid credentials"


def test_expired_token_then_refresh(client: TestClient, clock: FakeClock) -> None:
    login = client.post(
        "/contextsms/api/v2/auth/login",
        json={"username": "ops@csp.example", "password": "demo-password"},
    ).json()
    api = Api(client, "/contextsms/api/v2", login["accessToken"])
    clock.advance(3601)
    answer = api.get("/enterprise/getenterprise/E0000090")
    assert (answer.status_code, answer.json()) == (
        401,
        {"error": "Invalid or expired access token", "code": "UNAUTHORIZED"},
    )
    refreshed = client.post(
        "/contextsms/api/v2/auth/getaccesstoken",
        json={"username": "ops@csp.example", "refreshToken": login["refreshToken"]},
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["refreshToken"] != login["refreshToken"]
    reused = client.post(
        "/contextsms/api/v2/auth/getaccesstoken",
        json={"username": "ops@csp.example", "refreshToken": login["refreshToken"]},
    )
    assert reused.status_code == 401


def test_enterprise_lifecycle(csms: Api, clock: FakeClock) -> None:
    assert csms.get("/csp/enterprises/CSP0000003").status_code == 404  # empty CSP
    enterprise_id = create(csms)
    assert enterprise_id == "E0000090"
    got = csms.get(f"/enterprise/getenterprise/{enterprise_id}").json()
    assert got == {
        "enterpriseId": "E0000090",
        **ENTERPRISE,
        "deleted": False,
        "createdDate": int(clock.t * 1000),
        "updateDate": int(clock.t * 1000),
    }
    assert [e["enterpriseId"] for e in csms.get("/csp/enterprises/CSP0000003").json()] == [
        "E0000090"
    ]
    deleted = csms.delete(f"/enterprise/deleteenterprise/{enterprise_id}")
    assert (deleted.status_code, deleted.text) == (200, "Deleted enterprise E0000090")
    assert deleted.headers["content-type"].startswith("text/plain")
    assert csms.get(f"/enterprise/getenterprise/{enterprise_id}").status_code == 404


def test_permission_and_bad_number(csms: Api) -> None:
    answer = csms.post("/enterprise/CSP0000009", ENTERPRISE)
    assert (answer.status_code, answer.json()["code"]) == (403, "PERMISSION_DENIED")
    answer = csms.post("/enterprise/CSP0000003", {**ENTERPRISE, "number": "2025550143"})
    assert answer.json() == {"error": "Invalid phone number format", "code": "BAD_REQUEST"}


def test_mappings(csms: Api) -> None:
    enterprise_id = create(csms)
    added = csms.post(f"/mapping/add/{enterprise_id}", MAPPING)
    assert added.json() == {"numberToMessageAppMapId": "NTMAP0000123", **MAPPING}
    duplicate = csms.post(f"/mapping/add/{enterprise_id}", {**MAPPING, "name": "Other"})
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "DUPLICATE_MAPPING")
    item = {"enterpriseId": enterprise_id, "numberToMessageAppMap": added.json()}
    assert csms.get(f"/numbertomessageappmapping/enterprise/{enterprise_id}").json() == [item]
    assert csms.get("/mapping/csp/CSP0000003").json() == [item]
    found = csms.post("/mapping/messagingAppId", {"messagingAppId": MAPPING["messagingAppId"]})
    assert found.json()["numberToMessageAppMapId"] == "NTMAP0000123"
    assert csms.post("/mapping/messagingAppId", {"messagingAppId": "nope"}).status_code == 404
    put = csms.put(
        "/mapping/NTMAP0000123",
        {"messagingAppId": "19:new@thread.tacv2", "phoneNumber": "+12025550111"},
    )
    assert put.json() == {
        **added.json(),
        "messagingAppId": "19:new@thread.tacv2",
        "phoneNumber": "+12025550111",
    }
    refused = csms.put("/mapping/NTMAP0000123", {"name": "Renamed"})
    assert refused.status_code == 400
    assert "only messagingAppId and phoneNumber can change" in refused.json()["error"]
    config = csms.get("/csp/getcspconfig", phoneNumber="+12025550111")
    # Four strings as the guide shows, never null: an unset white-label is the default.
    assert config.json() == {
        "productName": "ContextSMS",
        "favicon": "",
        "logo": "",
        "color": "#000000",
    }
    csms.put("/csp/CSP0000003", {"productName": "Texting", "logo": "https://x.example/l.png"})
    assert csms.get("/csp/getcspconfig", phoneNumber="+12025550111").json() == {
        "productName": "Texting",
        "favicon": "",
        "logo": "https://x.example/l.png",
        "color": "#000000",
    }
    assert csms.get("/csp/getcspconfig", phoneNumber="+12025550199").status_code == 404
    deleted = csms.delete("/mapping/NTMAP0000123")
    assert (deleted.status_code, deleted.text) == (200, "Deleted mapping NTMAP0000123")
    assert csms.delete("/mapping/NTMAP0000123").status_code == 404


@pytest.mark.parametrize("email", ["not-an-email", "maria@", "@sunshinedental.com", "a b@x.com"])
def test_an_enterprise_email_must_be_an_email(csms: Api, email: str) -> None:
    body = {"name": "Bad Mail", "contact": "Someone", "number": "+12025550143", "email": email}
    answer = csms.post("/enterprise/CSP0000003", body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "BAD_REQUEST"
    assert answer.json()["error"].startswith("Invalid field 'email': value is not a valid email")
    assert csms.post("/csp", {"email": email, "name": "New CSP"}).status_code == 400
    listed = csms.get("/csp/enterprises/CSP0000003")
    assert listed.status_code == 404 or "Bad Mail" not in [e["name"] for e in listed.json()]


NEW_CSP = {
    "email": "new@csp.example",
    "name": "New CSP",
    "carrier": "BANDWIDTH",
    "houseNumber": "700 S",
    "streetName": "1st ST",
    "city": "Austin",
    "stateCode": "TX",
    "zip": "78704",
    "country": "USA",
    "locationId": "844849",
    "subAccountId": "109733",
    "authorizingPersonName": "CSP Admin",
}


def test_csp_create_and_edit(csms: Api) -> None:
    short = csms.post("/csp", {"email": "new@csp.example", "name": "New CSP"})
    assert (short.status_code, short.json()["error"]) == (
        400,
        "Missing required field 'carrier'",
    )
    created = csms.post("/csp", NEW_CSP).json()
    assert created["cspUserId"] == "CSP0000004"
    assert all(isinstance(v, str) for v in created.values())  # the spec's strings, no null
    nulled = csms.put("/csp/CSP0000004", {"color": None})
    assert nulled.status_code == 400 and "color: a string, not null" in nulled.json()["error"]
    edited = csms.put("/csp/CSP0000004", {"productName": "Texting", "color": "#123456"}).json()
    assert (edited["productName"], edited["color"], edited["name"]) == (
        "Texting",
        "#123456",
        "New CSP",
    )


def sign(body: bytes, secret: str, stamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1=deadbeef,v1={digest}"


def webhook(client: TestClient, event: dict[str, Any], signature: str) -> Any:
    return client.post(
        "/contextsms/api/v2/stripe/webhook",
        content=json.dumps(event).encode(),
        headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
    )


def test_stripe_webhook_updates_payment_once(
    client: TestClient, csms: Api, clock: FakeClock
) -> None:
    event = {
        "id": "evt_1",
        "type": "customer.subscription.deleted",
        "data": {"object": {"customer_email": "maria@sunshinedental.com", "status": "canceled"}},
    }
    raw = json.dumps(event).encode()
    stamp = int(clock.t)
    first = webhook(client, event, sign(raw, "whsec_demo", stamp))
    assert first.json() == {"status": "received", "processed": True}
    paid = csms.post("/stripe/check-payment", {"email": "maria@sunshinedental.com"}).json()
    assert paid == {
        "email": "maria@sunshinedental.com",
        "paid": False,
        "subscriptionStatus": "canceled",
    }
    assert webhook(client, event, sign(raw, "whsec_demo", stamp)).json() == {
        "status": "received",
        "processed": False,
    }


def test_stripe_webhook_rejects_bad_signatures(client: TestClient, clock: FakeClock) -> None:
    event = {"id": "evt_2", "type": "customer.subscription.updated", "data": {"object": {}}}
    raw = json.dumps(event).encode()
    stamp = int(clock.t)
    for signature in (
        sign(raw, "wrong", stamp),
        sign(raw, "whsec_demo", stamp - 301),
        "",
        f"t={stamp}",
    ):
        answer = webhook(client, event, signature)
        assert (answer.status_code, answer.json()["error"]) == (400, "Invalid webhook payload")
    v0_only = sign(raw, "whsec_demo", stamp).replace("v1=", "v0=")
    assert webhook(client, event, v0_only).status_code == 400


def test_enterprise_fields_are_required_as_the_guide_says(csms: Api) -> None:
    answer = csms.post("/enterprise/CSP0000003", {"name": "No contact"})
    assert answer.json() == {"error": "Missing required field 'contact'", "code": "BAD_REQUEST"}


def test_injected_5xx_has_the_contextsms_shape(client: TestClient, csms: Api) -> None:
    client.put(
        "/_sandbox/faults", json=[{"route": "/contextsms/*", "errorRate": 1.0, "errorStatus": 500}]
    )
    answer = csms.get("/csp/enterprises/CSP0000003")
    assert answer.status_code == 500
    assert set(answer.json()) == {"error", "requestId", "timestamp"}
