"""`reconciler doctor` against a served sandbox: all pass; a wrong endpoint override is
named with what to set; missing variables are all named; nothing is written."""

from __future__ import annotations

import json

from tests.functional.conftest import Project

WRITES = ("create", "add", "enable", "assign", "remove", "sync", "new", "edit", "send", "delete")


def doctor(project: Project, *args: str) -> tuple[int, str, str]:
    result = project.run("doctor", ".", *args)
    return result.returncode, result.stdout.replace(project.sandbox.url, "URL"), result.stderr


def test_everything_passes_on_the_sandbox_and_nothing_is_written(project: Project) -> None:
    project.apply()
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    code, out, err = doctor(project)
    assert (code, err) == (0, "")
    assert out == (
        "ConnecttoTeams\n"
        "  ok    environment        no ${VAR} used (literal values)\n"
        "  ok    reach              HTTP 404 from URL/connecttoteams/\n"
        "  ok    authentication     credentials accepted, token issued\n"
        "  ok    authenticatedUser  PUT /reseller/getAuthenticatedUser (documented): the expected fields\n"
        "  ok    listEnterprises    GET /reseller/v3/getEnterprisesForReseller (assumed): 2 items with the expected fields\n"
        "  ok    phoneNumbers       POST /enterprise/getPhoneNumbers/{enterpriseId} (assumed): 20 items with the expected fields\n"
        "  ok    smsConfig          POST /sms/getEnterpriseSMSConfig/{enterpriseId} (documented): the expected fields\n"
        "  ok    listUsers          POST /sms/getSMSUsers/{enterpriseId} (assumed): 6 items with the expected fields\n"
        "  ok    listGroups         POST /sms/getSMSGroups/{enterpriseId} (assumed): 2 items with the expected fields\n"
        "\n"
        "ContextSMS\n"
        "  ok    environment        no ${VAR} used (literal values)\n"
        "  ok    reach              HTTP 404 from URL/contextsms/api/v2/\n"
        "  ok    authentication     credentials accepted, token issued\n"
        "  ok    listEnterprises    GET /csp/enterprises/{cspId} (documented): 2 items with the expected fields\n"
        "  ok    cspMappings        GET /mapping/csp/{cspId} (documented): 6 items with the expected fields\n"
        "  ok    getEnterprise      GET /enterprise/getenterprise/{enterpriseId} (documented): the expected fields\n"
        "  ok    listMappings       GET /numbertomessageappmapping/enterprise/{enterpriseId} (documented): 3 items with the expected fields\n"
        "\n"
        "Connectel\n"
        "  ok    environment        no ${VAR} used (literal values)\n"
        "  ok    reach              HTTP 404 from URL/connectel/api/v2/\n"
        "  ok    authentication     token accepted (delivery report of an unknown id: no message is sent)\n"
        "\n"
        "All checks passed: 19 passed, 0 failed, 0 skipped.\n"
    )
    with project.sandbox.client() as http:
        log = http.get("/_sandbox/requests").json()
    sent = [r["path"].rsplit("/", 1)[-1] or r["path"] for r in log]
    assert not [s for s in sent if s.lower().startswith(WRITES)], sent


def test_a_wrong_endpoint_override_fails_and_is_named(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(
            "    resellerId: 54\n",
            '    resellerId: 54\n    endpoints: {listUsers: "/sms/getSMSUserList/{enterpriseId}"}\n',
        )
    )
    code, out, _ = doctor(project, "--format", "json")
    assert code == 1
    found = json.loads(out)
    failed = [c for c in found["checks"] if c["status"] == "fail"]
    assert failed == [
        {
            "api": "ConnecttoTeams",
            "what": "listUsers",
            "status": "fail",
            "detail": "ConnecttoTeams listUsers: 404 NOT_FOUND: No endpoint POST"
            " /connecttoteams/sms/getSMSUserList/78",
            "fix": "listUsers is assumed: set providers.connecttoteams.endpoints.listUsers in"
            " reconciler.yaml to the path in the vendor's reference ('METHOD /path')",
            "endpoint": "POST /sms/getSMSUserList/{enterpriseId}",
            "documented": False,
        }
    ]
    # Nothing applied yet: the CSP has no enterprise whose own reads could be probed.
    assert [c["what"] for c in found["checks"] if c["status"] == "skip"] == [
        "getEnterprise",
        "listMappings",
    ]
    assert (found["ok"], found["summary"]) == (False, {"pass": 16, "fail": 1, "skip": 2})


def test_missing_variables_and_refused_credentials(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    text = config.read_text()
    text = text.replace("clientSecret: demo-secret", "clientSecret: ${C2T_CLIENT_SECRET}")
    text = text.replace("token: demo-token", "token: ${CNT_TOKEN}")
    text = text.replace(
        "password: demo-password\n  connectel", "password: wrong-password\n  connectel"
    )
    config.write_text(text)
    code, out, _ = doctor(project)
    assert code == 1
    assert out == (
        "ConnecttoTeams\n"
        "  FAIL  environment     C2T_CLIENT_SECRET is not set (reconciler.yaml:5,"
        " providers.connecttoteams.clientSecret)\n"
        "  skip  the rest        its environment is incomplete\n"
        "\n"
        "ContextSMS\n"
        "  ok    environment     no ${VAR} used (literal values)\n"
        "  ok    reach           HTTP 404 from URL/contextsms/api/v2/\n"
        "  FAIL  authentication  ContextSMS login: login refused: Invalid credentials\n"
        "  skip  the rest        authentication failed\n"
        "\n"
        "Connectel\n"
        "  FAIL  environment     CNT_TOKEN is not set (reconciler.yaml:15,"
        " providers.connectel.token)\n"
        "  skip  the rest        its environment is incomplete\n"
        "\n"
        "To do:\n"
        "  ConnecttoTeams environment: export C2T_CLIENT_SECRET\n"
        "  ContextSMS authentication: check the credentials of providers.contextsms\n"
        "  Connectel environment: export CNT_TOKEN\n"
        "\n"
        "Problems found: 2 passed, 3 failed, 3 skipped.\n"
    )
