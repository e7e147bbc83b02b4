"""What a run reads: per ConnecttoTeams enterprise its four reads, per CSP two, one login
per API, and check-payment only for enterprises with changes."""

from __future__ import annotations

from collections import Counter

from tests.functional.conftest import Project
from tests.functional.test_apply import requests


def reads_of_a_plan(project: Project) -> Counter[str]:
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("plan", ".")
    assert result.returncode == 0, result.stderr
    return Counter(f"{r['method']} {r['path']}" for r in requests(project))


def test_a_no_op_plan_reads_the_minimum(project: Project) -> None:
    project.apply()
    assert reads_of_a_plan(project) == {
        "POST /connecttoteams/oauth/token": 1,
        "GET /connecttoteams/reseller/v3/getEnterprisesForReseller": 1,
        **{
            f"POST /connecttoteams/{path}/{enterprise}": 1
            for enterprise in (78, 79)
            for path in (
                "enterprise/getPhoneNumbers",
                "sms/getEnterpriseSMSConfig",
                "sms/getSMSUsers",
                "sms/getSMSGroups",
            )
        },
        "POST /contextsms/api/v2/auth/login": 1,
        "GET /contextsms/api/v2/csp/enterprises/CSP0000003": 1,
        "GET /contextsms/api/v2/mapping/csp/CSP0000003": 1,
    }


def test_payment_is_checked_only_for_enterprises_with_changes(project: Project) -> None:
    project.apply()
    project.edit("sunshine-dental", "userTag: billing", "userTag: accounts")
    reads = reads_of_a_plan(project)
    assert reads["POST /contextsms/api/v2/stripe/check-payment"] == 1
    assert sum(reads.values()) == 14  # the 13 of a no-op plan, and sunshine-dental's contact
    [check] = [r for r in requests(project) if r["path"].endswith("/stripe/check-payment")]
    assert check["body"] == {"email": "maria@sunshinedental.com"}
