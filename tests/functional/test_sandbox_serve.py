"""`reconciler sandbox serve|reset` over real HTTP, with the vendors' own sample requests."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess

import httpx
import pytest

from tests.functional.conftest import Served, run, start, stop


def c2t_token(http: httpx.Client) -> str:
    answer = http.post(
        "/connecttoteams/oauth/token",
        data={"grant_type": "password", "username": "api-admin", "password": "demo-password"},
        auth=("demo-client", "demo-secret"),
    )
    return str(answer.json()["access_token"])


def test_the_seed_samples_work_with_only_the_host_changed(sandbox: Served) -> None:
    with sandbox.client() as http:
        headers = {"Authorization": f"Bearer {c2t_token(http)}"}
        edit = {
            "enterpriseId": 78,
            "enterpriseName": "Sunshine Dental",
            "resellerId": 54,
            "services": ["PBX", "SMS"],
        }
        assert (
            http.post(
                "/connecttoteams/reseller/editEnterprise", json=edit, headers=headers
            ).status_code
            == 200
        )
        config = http.post("/connecttoteams/sms/getEnterpriseSMSConfig/78", headers=headers).json()
        assert set(config) == {"enterpriseId", "enabled", "dids", "appSynced", "templatesEnabled"}
        sample_user = {
            "updatedBy": 12345,
            "userId": "alice@sunshinedental.com",
            "email": "alice@sunshinedental.com",
            "enterpriseId": 78,
            "enable": True,
            "useCallingPhoneNumber": False,
            "callingPhoneNumber": 0,
            "userType": "BU",
            "userTag": "optional-tag",
        }
        assert (
            http.post(
                "/connecttoteams/sms/enableSMSServiceForUser", json=sample_user, headers=headers
            ).status_code
            == 200
        )
        did = str(config["dids"][0]["id"])
        sample_dids = {
            "updatedBy": 12345,
            "enterpriseId": 78,
            "userId": "alice@sunshinedental.com",
            "assigned": True,
            "smsDID": [did],
        }
        assert (
            http.post(
                "/connecttoteams/sms/addSMSDidsForUser", json=sample_dids, headers=headers
            ).status_code
            == 200
        )
        sample_group = {
            "groupId": -1,
            "groupRef": None,
            "groupName": "Sales Group",
            "groupOwner": "maria@sunshinedental.com",
            "enterpriseId": 78,
            "enable": True,
            "deleteGroup": False,
            "groupNameOld": None,
        }
        group = http.post(
            "/connecttoteams/sms/createSMSGroup", json=sample_group, headers=headers
        ).json()
        assert group["groupName"] == "Sales Group"
        sample_members = {
            "groupId": group["groupId"],
            "enterpriseId": 78,
            "smsMembers": ["alice@sunshinedental.com", "bob@sunshinedental.com"],
        }
        assert (
            http.post(
                "/connecttoteams/sms/addSMSMembersForGroup", json=sample_members, headers=headers
            ).status_code
            == 200
        )
        login = http.post(
            "/contextsms/api/v2/auth/login",
            json={"username": "ops@csp.example", "password": "demo-password"},
        ).json()
        csms = {"Authorization": f"Bearer {login['accessToken']}"}
        created = http.post(
            "/contextsms/api/v2/enterprise/CSP0000003",
            json={
                "name": "Sunshine",
                "contact": "Maria",
                "number": "+12025550143",
                "email": "maria@sunshinedental.com",
            },
            headers=csms,
        )
        assert created.status_code == 201
        sent = http.post(
            "/connectel/api/v2/send/",
            data={
                "authorization": "demo-token",
                "sender": "Sunshine",
                "recipient": "12025550101",
                "message": "test",
            },
        ).json()
        report = http.get(
            "/connectel/api/v2/delivery/",
            params={"authorization": "demo-token", "requestid": sent["requestid"]},
        ).json()
        assert report["statusStr"] == "DELIVRD"
        log = http.get("/_sandbox/requests").json()
        assert {e["status"] for e in log} == {200, 201}
        assert "demo-password" not in str(log) and "demo-token" not in str(log)


def test_state_survives_a_restart_and_reset_starts_over(tmp_path: pathlib.Path) -> None:
    db = tmp_path / "sandbox.db"
    served = start(db)
    with served.client() as http:
        login = http.post(
            "/contextsms/api/v2/auth/login",
            json={"username": "ops@csp.example", "password": "demo-password"},
        ).json()
        headers = {"Authorization": f"Bearer {login['accessToken']}"}
        http.post(
            "/contextsms/api/v2/enterprise/CSP0000003",
            json={"name": "Kept", "contact": "Ann", "number": "+12025550143", "email": "ann@x.com"},
            headers=headers,
        )
    stop(served)
    served = start(db)
    with served.client() as http:
        state = http.get("/_sandbox/state").json()
        assert [e["name"] for e in state["csms_enterprise"]] == ["Kept"]
    stop(served)
    result = run(
        "sandbox",
        "reset",
        "--db",
        str(db),
        "--seed",
        str(pathlib.Path(__file__).parents[2] / "examples" / "sandbox-seed.yaml"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sandbox reset: ")
    served = start(db)
    with served.client() as http:
        assert http.get("/_sandbox/state").json()["csms_enterprise"] == []
    stop(served)


def test_faults_from_serve_flags(tmp_path: pathlib.Path) -> None:
    served = start(
        tmp_path / "db",
        "--fault-route",
        "/connecttoteams/sms/*",
        "--error-rate",
        "1",
        "--error-status",
        "500",
    )
    with served.client() as http:
        headers = {"Authorization": f"Bearer {c2t_token(http)}"}
        assert http.post("/connecttoteams/sms/getSMSUsers/78", headers=headers).status_code == 500
        assert http.get("/_sandbox/faults").json()[0]["errorRate"] == 1
    stop(served)


def test_a_random_seed_repeats_the_faults_across_serves_and_resets(tmp_path: pathlib.Path) -> None:
    def statuses(http: httpx.Client) -> list[int]:
        return [http.get("/connectel/api/v2/delivery/").status_code for _ in range(24)]

    seen = []
    for seed, db in (("7", "a.db"), ("7", "b.db"), ("8", "c.db")):
        served = start(
            tmp_path / db,
            "--fault-route",
            "/connectel/*",
            "--error-rate",
            "0.5",
            "--random-seed",
            seed,
        )
        with served.client() as http:
            first = statuses(http)
            assert http.post("/_sandbox/reset").status_code == 200
            assert statuses(http) == first  # a reset draws again from the seed
        stop(served)
        assert 503 in first and set(first) != {503}
        seen.append(first)
    assert seen[0] == seen[1]
    assert seen[0] != seen[2]


def test_port_in_use_is_a_clear_error(sandbox: Served) -> None:
    port = sandbox.url.rsplit(":", 1)[1]
    result = run("sandbox", "serve", "--port", port, "--db", str(sandbox.db))
    assert result.returncode == 1
    assert f"error: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr


def test_the_readmes_sample_requests_work(sandbox: Served) -> None:
    """The shell block of the README's Sandbox section, run as written (host changed)."""
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    readme = (pathlib.Path(__file__).parents[2] / "README.md").read_text()
    start_at = readme.index("S=http://127.0.0.1:8080\n")
    block = readme[start_at : readme.index("```", start_at)]
    script = (
        "set -euo pipefail\n"
        'curl() { command curl --fail-with-body "$@"; echo; }\n'
        + block.replace("S=http://127.0.0.1:8080", f"S={sandbox.url}", 1)
    )
    with sandbox.client() as http:
        http.delete("/_sandbox/requests")
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    with sandbox.client() as http:
        log = http.get("/_sandbox/requests").json()
    assert [(r["method"], r["path"], r["status"]) for r in log] == [
        ("POST", "/connecttoteams/oauth/token", 200),
        ("POST", "/connecttoteams/sms/getEnterpriseSMSConfig/78", 200),
        ("POST", "/connecttoteams/reseller/editEnterprise", 200),
        ("POST", "/connecttoteams/sms/createSMSGroup", 200),
        ("POST", "/contextsms/api/v2/auth/login", 200),
        ("POST", "/contextsms/api/v2/enterprise/CSP0000003", 201),
        ("POST", "/contextsms/api/v2/mapping/add/E0000090", 200),
        ("GET", "/contextsms/api/v2/numbertomessageappmapping/enterprise/E0000090", 200),
        ("POST", "/connectel/api/v2/send/", 200),
        ("GET", "/connectel/api/v2/delivery/", 200),
    ]
    assert answers[-2][0]["numberToMessageAppMap"]["messagingAppId"] == "19:frontdesk@thread.tacv2"
    assert answers[-1]["statusStr"] == "DELIVRD"
