"""What a run reads: per ConnecttoTeams enterprise its four reads (again when another
run changed it between them), per CSP two, one login per API, and check-payment only for
enterprises with changes."""

from __future__ import annotations

import json
import time
from collections import Counter

from tests.functional.conftest import Project, Vendor
from tests.functional.test_apply import faults, requests

NORTHWIND = 79
# A ConnecttoTeams enterprise's four reads, each followed by its enterprise id.
ENTERPRISE_READS = (
    "enterprise/getPhoneNumbers",
    "sms/getEnterpriseSMSConfig",
    "sms/getSMSUsers",
    "sms/getSMSGroups",
)


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
            for path in ENTERPRISE_READS
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


def test_a_group_made_between_an_enterprises_reads_is_read_again_not_a_conflict(
    project: Project, vendor: Vendor
) -> None:
    # An admin (or a second runner) makes Client Intake with its numbers after the plan's
    # group listing answered and before its inventory did: the inventory names a group the
    # listing never showed. Read as one, that was a conflict with "SMS group '191'". The
    # inventory is handled 2 s after it is asked: time enough to make the group.
    dids = [vendor.did(NORTHWIND, n) for n in ("+12025550160", "+12025550161")]
    faults(
        project,
        [{"route": f"/connecttoteams/enterprise/getPhoneNumbers/{NORTHWIND}", "latencyMs": 4000}],
    )
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    plan = project.start(
        "plan", "--format", "json", "--enterprise", "northwind-legal", "--log-level", "info", "."
    )
    groups_read = f"/connecttoteams/sms/getSMSGroups/{NORTHWIND}"
    deadline = time.monotonic() + 60
    while not any(r["path"] == groups_read for r in requests(project)):
        assert time.monotonic() < deadline and plan.poll() is None, plan.communicate()
        time.sleep(0.05)
    group = vendor.c2t_post(
        "/sms/createSMSGroup",
        {
            "groupId": -1,
            "groupName": "Client Intake",
            "groupOwner": "james@northwindlegal.com",
            "enterpriseId": NORTHWIND,
            "enable": True,
            "deleteGroup": False,
        },
    ).json()
    vendor.c2t_post(
        "/sms/assignSMSDidsForGroup",
        {"assigned": True, "enterpriseId": NORTHWIND, "groupId": group["groupId"], "smsDID": dids},
    )
    out, err = plan.communicate(timeout=120)
    assert plan.returncode == 0, out + err
    [enterprise] = json.loads(out)["enterprises"]
    assert enterprise["problems"] == []
    [intake] = [c for c in enterprise["changes"] if c["key"] == "Client Intake"]
    assert (intake["action"], intake["before"], intake["fields"]) == (
        "update",
        {
            "members": [],
            "name": "Client Intake",
            "numbers": ["+12025550160", "+12025550161"],
            "owner": "james@northwindlegal.com",
        },
        [
            {
                "field": "members",
                "before": [],
                "after": [
                    "li@northwindlegal.com",
                    "omar@northwindlegal.com",
                    "tom@northwindlegal.com",
                ],
            }
        ],
    )
    assert [line.split(" ", 1)[1] for line in err.splitlines()] == [
        "INFO    reconciler.read: ConnecttoTeams enterprise 79: its inventory has numbers held by "
        f"SMS group {group['groupId']}, which its group listing does not show (changed between "
        "the reads): reading the enterprise again"
    ]
    reads = Counter(r["path"] for r in requests(project) if r["path"].endswith(f"/{NORTHWIND}"))
    assert reads == {f"/connecttoteams/{path}/{NORTHWIND}": 2 for path in ENTERPRISE_READS}
