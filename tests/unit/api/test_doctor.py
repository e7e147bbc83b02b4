"""Reconciler.doctor when things are wrong: an answer of the wrong shape from an assumed
endpoint (the override to set is named), refused credentials, a host that does not
answer, a refused gateway token, no provider at all. Every check is its own; read-only."""

from __future__ import annotations

import httpx

from reconciler import api
from tests.unit.api.conftest import Project


def checks(found: api.Diagnosis) -> list[tuple[str, str, str]]:
    return [(c.api, c.what, c.status) for c in found.checks]


def test_an_assumed_endpoint_answering_the_wrong_shape_names_the_override(project: Project) -> None:
    def wrong(request: httpx.Request) -> httpx.Response | None:
        if "/sms/getSMSUsers/" in request.url.path:
            return httpx.Response(200, json={"users": []})
        return None

    project.vendors.faults.append(wrong)
    found = project.reconciler().doctor()
    [failure] = [c for c in found.checks if c.status == "fail"]
    assert (failure.api, failure.what, failure.endpoint, failure.documented) == (
        "ConnecttoTeams",
        "listUsers",
        "POST /sms/getSMSUsers/{enterpriseId}",
        False,
    )
    assert failure.detail == (
        "ConnecttoTeams listUsers: 200: malformed answer, expected a JSON list, got an object "
        "(application/json, 12 bytes): '{\"users\":[]}'"
    )
    assert failure.fix == (
        "listUsers is assumed: set providers.connecttoteams.endpoints.listUsers in "
        "reconciler.yaml to the path in the vendor's reference ('METHOD /path')"
    )
    assert project.vendors.writes() == []


def test_a_documented_endpoint_failing_points_at_the_url(project: Project) -> None:
    project.vendors.fail("/csp/enterprises/", status=400)
    found = project.reconciler().doctor()
    [failure] = [c for c in found.checks if c.status == "fail"]
    assert (failure.what, failure.documented) == ("listEnterprises", True)
    assert (
        failure.fix == "the vendor documents GET /csp/enterprises/{cspId}: check the provider's url"
    )


def test_refused_credentials_skip_the_rest_of_that_vendor_only(project: Project) -> None:
    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/oauth/token"):
            return httpx.Response(401, json={"error": "invalid_client"})
        return None

    project.vendors.faults.append(refuse)
    found = project.reconciler().doctor()
    assert checks(found)[:4] == [
        ("ConnecttoTeams", "environment", "pass"),
        ("ContextSMS", "environment", "pass"),
        ("Connectel", "environment", "pass"),
        ("ConnecttoTeams", "reach", "pass"),
    ]
    [auth, rest] = [c for c in found.checks if c.api == "ConnecttoTeams"][2:]
    assert (auth.what, auth.status, auth.detail, auth.fix) == (
        "authentication",
        "fail",
        "ConnecttoTeams token: the client credentials or the user's password were refused",
        "check the credentials of providers.connecttoteams",
    )
    assert (rest.what, rest.status, rest.detail) == ("the rest", "skip", "authentication failed")
    assert "fail" not in {c.status for c in found.checks if c.api != "ConnecttoTeams"}


def test_a_host_that_does_not_answer_and_a_refused_gateway_token(project: Project) -> None:
    def outage(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.startswith("/contextsms"):
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path.startswith("/connectel") and request.url.path.endswith("/delivery/"):
            return httpx.Response(401, json={"statusStr": "Invalid token"})
        return None

    project.vendors.faults.append(outage)
    found = project.reconciler().doctor()
    contextsms = [(c.what, c.status) for c in found.checks if c.api == "ContextSMS"]
    assert contextsms == [("environment", "pass"), ("reach", "fail"), ("the rest", "skip")]
    [reach] = [c for c in found.checks if c.api == "ContextSMS" and c.what == "reach"]
    assert reach.detail.startswith("ContextSMS reach: cannot connect to http://127.0.0.1:9")
    assert reach.fix == "check the provider's url, DNS, proxy and CA"
    [token] = [c for c in found.checks if c.api == "Connectel" and c.what == "authentication"]
    assert (token.status, token.detail) == ("fail", "Connectel delivery: 401: Invalid token")
    assert not found.ok


def test_no_provider_at_all_is_one_failed_check(project: Project) -> None:
    project.config.write_text("apply: {parallelism: 2}\n")
    found = project.reconciler().doctor()
    assert [(c.api, c.what, c.status, c.fix) for c in found.checks] == [
        (
            "reconciler.yaml",
            "providers",
            "fail",
            "add providers.connecttoteams, providers.contextsms or providers.connectel",
        )
    ]
    assert found.checks[0].detail == f"no provider is configured ({project.config})"
    assert project.vendors.requests == []
