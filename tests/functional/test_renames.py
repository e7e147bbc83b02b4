"""Renaming an SMS group with `renamedFrom`: one createSMSGroup keeps its id, numbers and
members; a leftover renamedFrom plans nothing; both names live is a conflict."""

from __future__ import annotations

import re
from typing import Any

from tests.functional.conftest import Project, Vendor

READS = re.compile(r"/get|/oauth/|/auth/|/stripe/check-payment")


def groups(vendor: Vendor) -> dict[str, dict[str, Any]]:
    listed = vendor.c2t_post("/sms/getSMSGroups/78").json()
    return {g["groupName"]: g for g in listed}


def rename_front_desk(project: Project) -> None:
    project.edit(
        "sunshine-dental",
        "    - name: Front Desk\n",
        "    - name: Reception\n      renamedFrom: Front Desk\n",
    )


def test_a_renamed_group_keeps_its_id_numbers_and_members(project: Project, vendor: Vendor) -> None:
    project.apply()
    before = groups(vendor)["Front Desk"]
    rename_front_desk(project)

    plan = project.run("plan", "--enterprise", "sunshine-dental", ".")
    assert plan.returncode == 0, plan.stderr
    # A rename is neither an assignment nor a membership change: no Sync Unified App.
    assert plan.stdout == (
        "sunshine-dental (ConnecttoTeams 78, ContextSMS E0000091)\n"
        "  impact: 1 group renamed; 1 of 10 managed objects updated or deleted (10%, limit 30%)\n"
        "  ~ smsGroup Reception  (renamed from Front Desk)\n"
        "      name: Front Desk → Reception\n"
        "\n"
        "Plan: 0 to create, 1 to update, 0 to delete, 0 syncs.\n"
    )

    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    project.apply()
    with project.sandbox.client() as http:
        writes = [
            (r["path"], r["body"])
            for r in http.get("/_sandbox/requests").json()
            if r["method"] != "GET" and not READS.search(r["path"])
        ]
    group_id = before["groupId"]
    assert writes[0] == (
        "/connecttoteams/sms/createSMSGroup",
        {
            "groupId": group_id,
            "groupRef": None,
            "groupName": "Reception",
            "groupOwner": "maria@sunshinedental.com",
            "enterpriseId": 78,
            "enable": True,
            "deleteGroup": False,
            "groupNameOld": "Front Desk",
        },
    )
    assert len(writes) == 1
    after = groups(vendor)
    assert "Front Desk" not in after
    assert after["Reception"]["groupId"] == group_id
    assert after["Reception"]["dids"] == before["dids"]
    assert after["Reception"]["members"] == before["members"]

    # Applied: the leftover renamedFrom plans nothing.
    again = project.run("plan", "--detailed-exitcode", ".")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.splitlines()[-2:] == [
        "No changes: the live platforms match the manifests.",
        "Plan: 0 to create, 0 to update, 0 to delete, 0 syncs.",
    ]


def test_both_names_live_is_a_conflict_naming_both(project: Project, vendor: Vendor) -> None:
    project.apply()
    front_desk = groups(vendor)["Front Desk"]["groupId"]
    made = vendor.c2t_post(
        "/sms/createSMSGroup",
        {
            "groupId": -1,
            "groupName": "Reception",
            "groupOwner": "maria@sunshinedental.com",
            "enterpriseId": 78,
            "enable": True,
        },
    ).json()
    rename_front_desk(project)
    plan = project.run("plan", "--enterprise", "sunshine-dental", ".")
    assert plan.returncode == 1
    assert (
        "  error: SMS group 'Reception' is renamed from 'Front Desk', but live has 2 of these"
        f" groups: 'Reception' (groupId {made['groupId']}) and 'Front Desk' (groupId"
        f" {front_desk}). Only one can become 'Reception': delete or rename the other on"
        " ConnecttoTeams, or drop the name from renamedFrom"
    ) in plan.stdout.splitlines(), plan.stdout


def test_neither_name_live_is_a_create(project: Project) -> None:
    rename_front_desk(project)
    plan = project.run("plan", "--enterprise", "sunshine-dental", ".")
    assert plan.returncode == 0, plan.stderr
    lines = plan.stdout.splitlines()
    created = lines.index("  + smsGroup Reception")
    assert lines[created + 1 : created + 4] == [
        "      owner: maria@sunshinedental.com",
        "      numbers: +12025550110",
        "      members: alice@sunshinedental.com, bob@sunshinedental.com",
    ]
    assert "renamed" not in plan.stdout


def test_a_rename_without_renamed_from_gets_the_renamed_from_hint(project: Project) -> None:
    project.apply()
    project.edit("sunshine-dental", "    - name: Front Desk\n", "    - name: Reception\n")
    plan = project.run("plan", "--enterprise", "sunshine-dental", ".")
    assert plan.returncode == 1
    [problem] = [line for line in plan.stderr.splitlines() if "conflict:" in line]
    assert problem == (
        "  - enterprise 'sunshine-dental': conflict: +12025550110 is wanted by SMS group "
        "'Reception' but held by SMS group 'Front Desk', which no manifest manages: it has the "
        "same numbers and members; if it was renamed, add `renamedFrom: Front Desk` to SMS "
        "group 'Reception' (else add it to the manifest, release the number, or set "
        "policy.prune: true)"
    )
