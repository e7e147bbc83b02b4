"""`reconciler plan` against a served sandbox: each scenario of design §4, asserted on the
rendered text and the JSON (golden files) and on the exit code."""

from __future__ import annotations

import json

from tests.functional.conftest import GOLDEN, Project, Vendor, golden, timeless

SUNSHINE = 78


def plan(project: Project, *extra: str) -> tuple[int, str, str]:
    result = project.run("plan", ".", *extra)
    return result.returncode, result.stdout, result.stderr


def plan_both(project: Project, name: str, *extra: str) -> dict[str, object]:
    code, out, err = plan(project, *extra)
    assert (code, err) == (0, "")  # changes are no error: 2 only with --detailed-exitcode
    golden(f"plan/{name}.txt", out)
    code, out, err = plan(project, "--format", "json", *extra)
    assert (code, err) == (0, "")
    golden(f"plan/{name}.json", out.replace(str(project.root.resolve()), "(project)"))
    return dict(json.loads(out))


def test_empty_tenant_creates_everything_in_order(project: Project) -> None:
    document = plan_both(project, "empty-tenant", "--show-calls")
    assert document["summary"] == {
        "create": 23,
        "update": 1,
        "delete": 0,
        "sync": 2,
        "failed": 0,
        "heldBack": 0,
        "total": 26,
    }
    for enterprise in document["enterprises"]:  # type: ignore[attr-defined]
        phases = [min(c["phase"] for c in ch["calls"]) for ch in enterprise["changes"]]
        assert phases == sorted(phases)
        assert enterprise["changes"][-1]["kind"] == "sync"


def test_converged_tenant_plans_nothing(project: Project) -> None:
    project.apply()
    code, out, _ = plan(project, "--detailed-exitcode")
    assert code == 0
    golden("plan/converged.txt", out)


def test_detailed_exitcode_is_2_with_changes(project: Project) -> None:
    code, out, err = plan(project, "--detailed-exitcode")
    assert (code, err) == (2, "")
    with_calls = (GOLDEN / "plan/empty-tenant.txt").read_text().splitlines(keepends=True)
    assert out == "".join(line for line in with_calls if not line.startswith("        "))


def test_number_moved_from_user_to_group(project: Project) -> None:
    project.apply()
    project.edit("sunshine-dental", 'numbers: ["+12025550107"]', "numbers: []")
    project.edit(
        "sunshine-dental", 'numbers: ["+12025550110"]', 'numbers: ["+12025550110", "+12025550107"]'
    )
    document = plan_both(project, "move-user-number-to-group", "--show-calls")
    [enterprise] = [e for e in document["enterprises"] if e["name"] == "sunshine-dental"]  # type: ignore[attr-defined]
    changes = {c["id"]: c for c in enterprise["changes"]}
    group = changes["sunshine-dental/smsGroup/Front Desk"]
    assert group["dependsOn"] == ["sunshine-dental/smsUser/erin@sunshinedental.com"]
    unassign = changes["sunshine-dental/smsUser/erin@sunshinedental.com"]["calls"][0]
    assert (unassign["operation"], unassign["body"]["assigned"]) == ("userDids", False)
    assert unassign["phase"] < group["calls"][0]["phase"]


def test_member_added_and_removed(project: Project) -> None:
    project.apply()
    project.edit(
        "sunshine-dental",
        "members: [alice@sunshinedental.com, bob@sunshinedental.com]",
        "members: [alice@sunshinedental.com, carol@sunshinedental.com]",
    )
    plan_both(project, "members-changed", "--show-calls")


def test_mapping_retargeted_and_renamed(project: Project) -> None:
    project.apply()
    project.edit("sunshine-dental", '"19:billing@thread.tacv2"', '"19:accounts@thread.tacv2"')
    project.edit("sunshine-dental", "name: Appointments", "name: Scheduling")
    document = plan_both(project, "mappings-changed", "--show-calls")
    [enterprise] = [e for e in document["enterprises"] if e["name"] == "sunshine-dental"]  # type: ignore[attr-defined]
    calls = {c["key"]: [call["method"] for call in c["calls"]] for c in enterprise["changes"]}
    assert calls == {"+12025550111": ["PUT"], "+12025550120": ["DELETE", "POST"]}


def unmanaged_user(vendor: Vendor) -> None:
    frank = "frank@sunshinedental.com"
    vendor.c2t_post(
        "/sms/enableSMSServiceForUser", {"userId": frank, "enterpriseId": SUNSHINE, "enable": True}
    )
    vendor.user_number(SUNSHINE, frank, "+12025550112", assigned=True)
    vendor.c2t_post(f"/enterprise/syncUnifiedApp/{SUNSHINE}")


def test_prune_off_reports_unmanaged(project: Project, vendor: Vendor) -> None:
    project.apply()
    unmanaged_user(vendor)
    code, out, _ = plan(project, "--detailed-exitcode")
    assert code == 0
    golden("plan/unmanaged.txt", out)


def test_prune_on_deletes(project: Project, vendor: Vendor) -> None:
    project.apply()
    unmanaged_user(vendor)
    project.edit("sunshine-dental", "prune: false", "prune: true")
    code, out, err = plan(project)  # frank's number would go with frank: deliberate only
    assert code == 1
    assert (
        "  impact: 1 user loses SMS, 1 number released (no holder after); 1 of 12 managed "
        "objects updated or deleted (8%, limit 30%)\n"
    ) in out
    assert err == (
        "error: 1 of 2 enterprises cannot be planned; nothing is applied to it:\n"
        "  - enterprise 'sunshine-dental': 1 number would be left with no user, group or mapping "
        "and stop sending and receiving SMS: +12025550112; review the plan, then run again with "
        "--allow-release (or set apply.allowRelease: true) to let them go\n"
    )
    document = plan_both(project, "prune", "--show-calls", "--allow-release")
    assert document["allowedRelease"] is True
    applied = project.run("apply", "--yes", "--allow-release", ".", "--parallelism", "1")
    assert applied.returncode == 0, applied.stderr


def test_conflict_names_the_holder(project: Project, vendor: Vendor) -> None:
    project.apply()
    unmanaged_user(vendor)
    project.edit(
        "sunshine-dental", 'numbers: ["+12025550107"]', 'numbers: ["+12025550107", "+12025550112"]'
    )
    code, out, err = plan(project)
    conflict = (
        "conflict: +12025550112 is wanted by SMS user 'erin@sunshinedental.com' but held by SMS "
        "user 'frank@sunshinedental.com', which no manifest manages: add it to the manifest, "
        "release the number, or set policy.prune: true"
    )
    assert code == 1
    assert out == (
        "northwind-legal (ConnecttoTeams 79, ContextSMS E0000090)\n"
        "  no changes\n"
        "\n"
        "sunshine-dental (ConnecttoTeams 78, ContextSMS E0000091)\n"
        "  impact: 1 user starts texting from new numbers; 1 of 11 managed objects updated or "
        "deleted (9%, limit 30%)\n"
        f"  error: {conflict}\n"
        "  held back until it is fixed (2 changes):\n"
        "  ~ smsUser erin@sunshinedental.com\n"
        "      numbers: +12025550107 → +12025550107, +12025550112\n"
        "  ↻ sync Unified App  (numbers or members change)\n"
        "\n"
        "Plan: 0 to create, 0 to update, 0 to delete, 0 syncs; 1 enterprise failed.\n"
    )
    assert err == (
        "error: 1 of 2 enterprises cannot be planned; nothing is applied to it:\n"
        f"  - enterprise 'sunshine-dental': {conflict}\n"
    )


def test_preconditions(project: Project) -> None:
    project.edit(
        "sunshine-dental",
        'numbers: ["+12025550105"]',
        'numbers: ["+12025550105", "+12025550199", "+12025550130", "+12025550131"]',
    )
    code, out, err = plan(project)
    assert code == 1
    assert out.endswith(
        "Plan: 11 to create, 0 to update, 0 to delete, 1 sync; 1 enterprise failed.\n"
    )
    assert (
        "sunshine-dental (ConnecttoTeams 78, ContextSMS (new))\n"
        "  impact: new on ContextSMS, 6 users get SMS, 2 new groups, 3 numbers start reaching "
        "Teams channels, 1 other update\n"
        "  error: +12025550130"
    ) in out
    assert err == (
        "error: 1 of 2 enterprises cannot be planned; nothing is applied to it:\n"
        "  - enterprise 'sunshine-dental': +12025550130 (SMS user 'carol@sunshinedental.com') has "
        "no SMS capability: ask the service provider to enable SMS on it\n"
        "  - enterprise 'sunshine-dental': +12025550131 (SMS user 'carol@sunshinedental.com') has "
        "no SMS carrier profile: the reseller must assign one on the Phone Numbers page\n"
        "  - enterprise 'sunshine-dental': +12025550199 (SMS user 'carol@sunshinedental.com') is "
        "not in the inventory of ConnecttoTeams enterprise 78: the reseller must add it; run "
        "`reconciler numbers missing` to write the portal's bulk-upload CSV\n"
    )


def test_threshold_and_force(project: Project) -> None:
    project.apply()
    for tag in ("dentist", "front-office", "hygienist", "billing"):
        project.edit("sunshine-dental", f"userTag: {tag}", f"userTag: {tag}-2")
    code, out, err = plan(project)
    assert code == 1
    assert out.endswith(
        "  held back until it is fixed (4 changes):\n"
        "  ~ smsUser alice@sunshinedental.com\n"
        "      userTag: front-office → front-office-2\n"
        "  ~ smsUser carol@sunshinedental.com\n"
        "      userTag: hygienist → hygienist-2\n"
        "  ~ smsUser dave@sunshinedental.com\n"
        "      userTag: billing → billing-2\n"
        "  ~ smsUser maria@sunshinedental.com\n"
        "      userTag: dentist → dentist-2\n\n"
        "Plan: 0 to create, 0 to update, 0 to delete, 0 syncs; 1 enterprise failed.\n"
    )
    assert err == (
        "error: 1 of 2 enterprises cannot be planned; nothing is applied to it:\n"
        "  - enterprise 'sunshine-dental': 4 updates and 0 deletes would change 4 of 11 managed "
        "objects (36%), over policy.maxChangePercent 30%: review the plan, then run again with "
        "--force\n"
    )
    code, out, err = plan(project, "--force")
    assert code == 0, err
    golden("plan/forced.txt", out)


def test_app_not_synced_alone_gives_one_sync(project: Project, vendor: Vendor) -> None:
    project.apply()
    alice = "alice@sunshinedental.com"
    vendor.user_number(SUNSHINE, alice, "+12025550102", assigned=False)
    vendor.user_number(SUNSHINE, alice, "+12025550102", assigned=True)
    plan_both(project, "app-not-synced", "--show-calls")


def test_markdown(project: Project) -> None:
    code, out, _ = plan(project, "--format", "markdown")
    assert code == 0
    golden("plan/empty-tenant.md", timeless(out))


def test_scope_and_saved_plan(project: Project) -> None:
    code, out, err = plan(project, "--enterprise", "northwind-legal", "-o", "plan.json")
    assert (code, err) == (0, "saved the plan to plan.json\n")
    full = (GOLDEN / "plan/empty-tenant.txt").read_text().splitlines(keepends=True)
    full = [line for line in full if not line.startswith("        ")]
    northwind, sunshine = full[: full.index("\n") + 1], full[full.index("\n") + 1 : -1]
    assert out == "".join(northwind) + "Plan: 11 to create, 0 to update, 0 to delete, 1 sync.\n"
    saved = json.loads((project.root / "plan.json").read_text())
    assert [e["name"] for e in saved["enterprises"]] == ["northwind-legal"]
    assert saved["formatVersion"] == 1
    code, out, err = plan(project, "--selector", "tier=gold")
    assert (code, err) == (0, "")
    assert out == "".join(sunshine) + "Plan: 12 to create, 1 to update, 0 to delete, 1 sync.\n"
    code, out, err = plan(project, "--enterprise", "nope")
    assert (code, err) == (
        1,
        "error: no enterprise named 'nope' in the manifests (known: northwind-legal, sunshine-dental)\n",
    )


def test_every_missing_environment_variable_is_named_at_once(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    text = config.read_text()
    for literal, variable in (
        ("clientSecret: demo-secret", "clientSecret: ${C2T_CLIENT_SECRET}"),
        ("password: demo-password\n    resellerId", "password: ${C2T_PASSWORD}\n    resellerId"),
        ("password: demo-password\n  connectel", "password: ${CSMS_PASSWORD}\n  connectel"),
        ("token: demo-token", "token: ${CNT_TOKEN}"),
    ):
        assert literal in text
        text = text.replace(literal, variable)
    config.write_text(text)
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("plan", ".")
    assert result.returncode == 1
    assert result.stdout == ""
    # plan needs ConnecttoTeams and ContextSMS, not the Connectel token.
    assert result.stderr == (
        "error: 3 environment variables are not set:\n"
        "  C2T_CLIENT_SECRET (reconciler.yaml:5, providers.connecttoteams.clientSecret)\n"
        "  C2T_PASSWORD (reconciler.yaml:7, providers.connecttoteams.password)\n"
        "  CSMS_PASSWORD (reconciler.yaml:12, providers.contextsms.password)\n"
        "export them before running reconciler\n"
    )
    with project.sandbox.client() as http:
        assert http.get("/_sandbox/requests").json() == []
