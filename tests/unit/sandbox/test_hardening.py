"""The sandbox like a real API's front door: every input error is a 400 in the vendor's
shape (never a 500), the request log keeps every request whatever its body, written
through, and its endpoint never fails."""

from __future__ import annotations

import json
import pathlib
import sqlite3
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.unit.sandbox.conftest import Api
from tests.unit.sandbox.test_contextsms import MAPPING, create

USER = {"userId": "zed@sunshinedental.com", "enterpriseId": 78, "enable": True}


def raw_post(api: Api, path: str, text: str) -> Any:
    headers = {**api._auth(), "content-type": "application/json"}
    return api.client.post(api.prefix + path, content=text.encode(), headers=headers)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '{"userId": "zed@sunshinedental.com", "enterpriseId": 78, "userTag": "\\ud800"}',
            "field 'userTag' holds invalid Unicode (a lone surrogate)",
        ),
        (
            '{"userId": "zed@sunshinedental.com", "enterpriseId": 78, "userTag": "a\\u0000b"}',
            "field 'userTag' holds a NUL byte",
        ),
        (
            json.dumps({**USER, "userTag": "x" * 1_000_000}),
            "field 'userTag' is longer than 4096 characters",
        ),
        (
            json.dumps({**USER, "userTag": "x" * 300}),
            "Invalid field 'userTag': String should have at most 256 characters",
        ),
        ("[" * 5000 + "]" * 5000, "body is nested deeper than 32 levels"),
    ],
    ids=["surrogate", "nul", "one megabyte", "over the field's limit", "5000 deep"],
)
def test_bad_input_is_a_400_in_the_vendors_shape(
    client: TestClient, c2t: Api, body: str, message: str
) -> None:
    answer = raw_post(c2t, "/sms/enableSMSServiceForUser", body)
    assert (answer.status_code, answer.json()) == (400, {"error": message, "code": "BAD_REQUEST"})
    log = client.get("/_sandbox/requests")
    assert log.status_code == 200
    assert log.json()[-1]["status"] == 400
    assert log.json()[-1]["path"] == "/connecttoteams/sms/enableSMSServiceForUser"


def test_a_nul_byte_in_a_group_name_is_refused(c2t: Api) -> None:
    body = {"groupId": -1, "groupName": "Front\x00Desk", "enterpriseId": 78, "enable": True}
    answer = c2t.post("/sms/createSMSGroup", body)
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "field 'groupName' holds a NUL byte", "code": "BAD_REQUEST"},
    )


@pytest.mark.parametrize(
    "change", [{"phoneNumber": {}}, {"messagingAppId": ""}, {"messagingAppId": 5}]
)
def test_a_mistyped_mapping_edit_is_a_400(csms: Api, change: dict[str, Any]) -> None:
    enterprise_id = create(csms)
    added = csms.post(f"/mapping/add/{enterprise_id}", MAPPING).json()
    answer = csms.put(f"/mapping/{added['numberToMessageAppMapId']}", change)
    assert answer.status_code == 400
    assert answer.json()["code"] == "BAD_REQUEST"
    assert answer.json()["error"].startswith("Invalid field '")


def test_connectel_refuses_in_its_own_shape(client: TestClient) -> None:
    answer = client.post(
        "/connectel/api/v2/send/",
        json={"authorization": "demo-token", "sender": "Test", "recipient": "1", "message": "\x00"},
    )
    assert (answer.status_code, answer.json()) == (
        400,
        {"statusInt": 9, "statusStr": "UNKNOWN", "error": "field 'message' holds a NUL byte"},
    )


def test_the_log_is_written_through(client: TestClient, c2t: Api, db: pathlib.Path) -> None:
    assert c2t.post("/sms/getSMSUsers/78").status_code == 200
    # Read the database file directly, as after a crash: nothing was left in a buffer.
    with sqlite3.connect(db) as raw:
        paths = [r[0] for r in raw.execute("SELECT path FROM request_log ORDER BY seq")]
    assert paths[-1] == "/connecttoteams/sms/getSMSUsers/78"


@pytest.mark.parametrize(
    ("method", "path", "status", "body"),
    [
        (
            "GET",
            "/contextsms/api/v2/enterprise/nothing/here",
            404,
            {
                "error": "No endpoint GET /contextsms/api/v2/enterprise/nothing/here",
                "code": "NOT_FOUND",
            },
        ),
        (
            "DELETE",
            "/contextsms/api/v2/auth/login",
            405,
            {
                "error": "Method DELETE is not supported for /contextsms/api/v2/auth/login",
                "code": "METHOD_NOT_ALLOWED",
            },
        ),
        (
            "GET",
            "/connecttoteams/sms/createSMSGroup",
            405,
            {
                "error": "Method GET is not supported for /connecttoteams/sms/createSMSGroup",
                "code": "METHOD_NOT_ALLOWED",
            },
        ),
        (
            "POST",
            "/connecttoteams/sms/nothing",
            404,
            {"error": "No endpoint POST /connecttoteams/sms/nothing", "code": "NOT_FOUND"},
        ),
        (
            "GET",
            "/connectel/api/v2/send/",
            405,
            {
                "statusInt": 9,
                "statusStr": "UNKNOWN",
                "error": "Method GET is not supported for /connectel/api/v2/send/",
            },
        ),
    ],
)
def test_unknown_routes_and_wrong_methods_answer_in_the_vendors_shape(
    client: TestClient, method: str, path: str, status: int, body: dict[str, Any]
) -> None:
    answer = client.request(method, path)
    assert (answer.status_code, answer.json()) == (status, body)
    if status == 405:
        assert answer.headers["allow"] in ("GET", "POST")
