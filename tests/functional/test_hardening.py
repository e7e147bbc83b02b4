"""Hardening, driven through the CLI against a served sandbox: YAML read as people mean
it, validate as strict as the schema, every answer checked (a proxy's login page is no
answer), no input ends in an internal error, a password in a URL is never printed, and
the sandbox as strict as the vendor's spec."""

from __future__ import annotations

import pathlib

from tests.functional.conftest import Project, run
from tests.functional.test_apply import fast_retries


def test_a_label_yaml_1_1_would_read_as_a_boolean_is_the_word_typed(project: Project) -> None:
    project.edit("northwind-legal", "labels: {tier: silver,", "labels: {on: prem, tier: silver,")
    picked = project.run("validate", ".")
    assert picked.returncode == 0, picked.stderr
    planned = project.run("plan", ".", "--selector", "on=prem")
    assert planned.returncode == 0, planned.stderr
    assert planned.stdout.startswith("northwind-legal (ConnecttoTeams")
    assert "sunshine-dental" not in planned.stdout


def test_merge_keys_are_read_and_services_listed_twice_are_refused(project: Project) -> None:
    project.edit(
        "sunshine-dental",
        "  smsGroups:\n    - name: Front Desk\n      owner: maria@sunshinedental.com\n",
        "  smsGroups:\n    - <<: {owner: maria@sunshinedental.com}\n      name: Front Desk\n",
    )
    assert project.run("validate", ".").returncode == 0
    project.edit("northwind-legal", "services: [PBX, SMS, CALLAPP]", "services: [PBX, SMS, PBX]")
    refused = project.run("validate", ".")
    assert refused.returncode == 1
    assert (
        "enterprises/northwind-legal.yaml:10:26: spec.connecttoteams.services[2]: service "
        "'PBX' is listed twice (also at index 0): remove one"
    ) in refused.stderr


def test_a_path_of_120000_characters_is_a_clear_error(tmp_path: pathlib.Path) -> None:
    long = "x/" * 60_000
    result = run("validate", long, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.endswith(
        ": cannot read it (File name too long)\nvalidation failed: 1 problem\n"
    )
    assert "internal error" not in result.stderr


def test_a_proxys_login_page_answered_to_a_fifth_of_the_writes_is_retried(
    project: Project,
) -> None:
    fast_retries(project)
    with project.sandbox.client() as http:
        pages = [{"route": "/connecttoteams/sms/addSMSDidsForUser", "htmlRate": 0.2}]
        assert http.put("/_sandbox/faults", json=pages).status_code == 200
        http.delete("/_sandbox/requests")
    applied = project.run("apply", "--yes", ".")
    assert applied.returncode == 0, applied.stderr
    assert "an HTML page, not the API's answer" in applied.stderr  # the retries said so
    again = project.run("plan", ".", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout


def test_a_password_in_a_provider_url_is_refused_and_never_printed(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    url = project.sandbox.url
    config.write_text(
        config.read_text().replace(url, url.replace("http://", "http://ops:S3cretPw@"), 1)
    )
    for command in (["doctor", "."], ["plan", "."], ["validate", "."]):
        result = project.run(*command)
        assert "S3cretPw" not in result.stdout + result.stderr, command
    doctor = project.run("doctor", ".")
    assert doctor.returncode == 1
    assert "holds a user or password in the URL (not shown)" in doctor.stderr


def test_the_sandbox_allows_every_method_of_a_route_and_serves_getcsp(project: Project) -> None:
    with project.sandbox.client() as http:
        wrong = http.patch("/contextsms/api/v2/mapping/NTMAP0000001")
        assert (wrong.status_code, wrong.headers["allow"]) == (405, "PUT, DELETE")
        login = http.post(
            "/contextsms/api/v2/auth/login",
            json={"username": "ops@csp.example", "password": "demo-password"},
        ).json()
        bearer = {"Authorization": f"Bearer {login['accessToken']}"}
        found = http.post(
            "/contextsms/api/v2/csp/getcsp", json={"email": "ops@csp.example"}, headers=bearer
        )
        assert found.status_code == 200
        assert found.json() == {
            "cspUserId": "CSP0000003",
            "email": "ops@csp.example",
            "name": "Demo CSP",
        }
        unknown = http.post(
            "/contextsms/api/v2/csp/getcsp", json={"email": "no@one.example"}, headers=bearer
        )
        assert unknown.status_code == 404
