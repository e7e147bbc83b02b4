"""Fixtures for the sandbox's contract tests: the app in-process with a hand-driven clock."""

from __future__ import annotations

import base64
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reconciler.sandbox.app import create_app

SEED = pathlib.Path(__file__).parents[3] / "examples" / "sandbox-seed.yaml"
BASIC = "Basic " + base64.b64encode(b"demo-client:demo-secret").decode()


class FakeClock:
    """Time moves only when a test says so; sleeps are recorded and return at once."""

    def __init__(self) -> None:
        self.t = 1_800_000_000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "sandbox.db"


@pytest.fixture
def client(db: pathlib.Path, clock: FakeClock) -> Iterator[TestClient]:
    with TestClient(create_app(db, SEED, clock=clock, rng_seed=7)) as test_client:
        yield test_client


def c2t_token(client: TestClient) -> str:
    answer = client.post(
        "/connecttoteams/oauth/token",
        data={"grant_type": "password", "username": "api-admin", "password": "demo-password"},
        headers={"Authorization": BASIC},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def csms_token(client: TestClient) -> str:
    answer = client.post(
        "/contextsms/api/v2/auth/login",
        json={"username": "ops@csp.example", "password": "demo-password"},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["accessToken"])


class Api:
    """A client with a bearer token for one vendor prefix."""

    def __init__(self, client: TestClient, prefix: str, token: str) -> None:
        self.client, self.prefix, self.token = client, prefix, token

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(self.prefix + path, json=body, headers=self._auth())

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(self.prefix + path, params=params, headers=self._auth())

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(self.prefix + path, json=body, headers=self._auth())

    def delete(self, path: str) -> Any:
        return self.client.delete(self.prefix + path, headers=self._auth())

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def c2t(client: TestClient) -> Api:
    return Api(client, "/connecttoteams", c2t_token(client))


@pytest.fixture
def csms(client: TestClient) -> Api:
    return Api(client, "/contextsms/api/v2", csms_token(client))


def did_ids(c2t: Api, enterprise_id: int) -> dict[str, int]:
    """E.164 -> DID id, from the enterprise's inventory."""
    numbers = c2t.post(f"/enterprise/getPhoneNumbers/{enterprise_id}").json()
    return {f"+{n['countryCode']}{n['phoneNumber']}": n["id"] for n in numbers}


def enable_sms(c2t: Api, enterprise_id: int = 78) -> None:
    name = {78: "Sunshine Dental", 79: "Northwind Legal"}[enterprise_id]
    body = {
        "enterpriseId": enterprise_id,
        "enterpriseName": name,
        "resellerId": 54,
        "services": ["PBX", "SMS"],
    }
    assert c2t.post("/reseller/editEnterprise", body).status_code == 200
