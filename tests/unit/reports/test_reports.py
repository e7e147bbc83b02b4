"""Reports are pure functions of States and Plans: drift, inventory and export."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reconciler.model import kinds, live, state
from reconciler.model.problem import Problem
from reconciler.plan import planner
from reconciler.render import drift as render
from reconciler.reports import drift, export, inventory
from reconciler.reports.drift import READ_HINT
from reconciler.wire.connecttoteams import ENDPOINTS
from tests.unit.plan.builders import CARRIER, N, enterprise, found, user

UNREAD = Problem(
    kind="read",
    enterprise="beta",
    message="cannot read it: ConnecttoTeams listUsers: 503 UNAVAILABLE: down",
    api="ConnecttoTeams",
    operation="listUsers",
)


def report_of(desired: list[state.Enterprise], live_state: live.Live) -> drift.DriftReport:
    wanted = state.State(enterprises={e.name: e for e in desired})
    made = planner.plan(wanted, live_state, planner.Settings(ENDPOINTS, planner.Rules(force=True)))
    return drift.build(made, live_state, wanted)


def test_drift_of_one_changed_user_and_one_enterprise_not_read() -> None:
    acme = enterprise(users=[user("a@x.com", N[0], userTag="new")])
    before = found(enterprise(users=[user("a@x.com", N[0])]))
    report = report_of(
        [acme, enterprise("beta")], live.Live(enterprises={"acme": before}, failed={"beta": UNREAD})
    )
    assert report.model_dump(mode="json") == {
        "formatVersion": 1,
        "enterprises": [
            {
                "name": "acme",
                "ids": {"connecttoteams": 78, "contextsms": "E0000090"},
                "differences": [
                    {
                        "kind": "smsUser",
                        "key": "a@x.com",
                        "field": "userTag",
                        "git": "new",
                        "live": None,
                        "action": "update",
                        "hint": "run apply to restore the manifest's value, or write the live "
                        "value in the manifest",
                    }
                ],
                "error": None,
            },
            {"name": "beta", "ids": {}, "differences": [], "error": UNREAD.message},
        ],
        "summary": {"update": 1},
        "provenance": None,
        "run": None,
    }
    assert [e.name for e in report.failed] == ["beta"] and not report.in_sync
    assert render.text(report) == (
        "acme (ConnecttoTeams 78, ContextSMS E0000090): 1 difference\n"
        "  SMS user a@x.com tag: git new, live (none): apply would update it\n"
        f"beta: error: {UNREAD.message}\n"
        "What to do:\n"
        "  - run apply to restore the manifest's value, or write the live value in the manifest\n"
        "  - check the vendor's status and the credentials (reconciler doctor), then run again\n"
        "Drift: 1 difference in 1 of 2 enterprises; 0 in sync; 1 could not be read: beta.\n"
    )
    assert render.markdown(report).splitlines()[-5:] == [
        "**beta**",
        "",
        "| object | field | git | live | apply | what to do |",
        "|---|---|---|---|---|---|",
        f"| enterprise |  |  | {UNREAD.message} | error | {READ_HINT} |",
    ]
    assert (
        f'<tr class="error"><td>enterprise</td><td></td><td></td><td>{UNREAD.message}</td>'
        in render.page(report)
    )
    suites = {s.get("name"): s for s in ET.fromstring(render.junit(report))}
    [case] = list(suites["beta"])
    error = case.find("error")
    assert error is not None and (error.get("type"), error.text) == ("read", UNREAD.message)


def test_a_conflict_is_a_blocking_difference() -> None:
    desired = enterprise(users=[user("a@x.com", N[0])])
    taken = found(enterprise(users=[user("z@x.com", N[0])]))
    report = report_of([desired], live.Live(enterprises={"acme": taken}))
    conflicts = [d for d in report.enterprises[0].differences if d.action == "error"]
    assert [(d.kind, d.live) for d in conflicts] == [
        (
            "conflict",
            f"conflict: {N[0]} is wanted by SMS user 'a@x.com' but held by SMS user 'z@x.com', "
            "which no manifest manages: add it to the manifest, release the number, or set "
            "policy.prune: true",
        )
    ]
    assert [e.name for e in report.failed] == ["acme"]


def test_inventory_rows_filters_and_missing_numbers() -> None:
    desired = enterprise(users=[user("a@x.com", N[0], "+12025559999")])
    facts = found(enterprise(users=[user("a@x.com", N[0])]), inventory=N[:3])
    live_state = live.Live(enterprises={"acme": facts}, failed={"beta": UNREAD})
    wanted = state.State(enterprises={"acme": desired, "beta": enterprise("beta")})
    rows = inventory.rows(live_state, wanted, "available-sms")
    assert [(r.number, r.assignee, r.wanted_by) for r in rows] == [(N[1], "", ""), (N[2], "", "")]
    assigned = inventory.rows(live_state, wanted)[0]
    assert (assigned.assignee, assigned.assignee_type, assigned.carrier, assigned.wanted_by) == (
        "a@x.com",
        "USER",
        CARRIER,
        "SMS user a@x.com",
    )
    assert inventory.missing(live_state, wanted) == [
        inventory.Missing("acme", "+12025559999", "SMS user a@x.com", "not in the inventory", None)
    ]  # beta was not read: nothing is said of its numbers


def test_export_pairs_by_inventory_names_uniquely_and_filters() -> None:
    facts = found(enterprise(users=[user("a@x.com", N[0])]))
    assert facts.connecttoteams is not None
    section = kinds.ConnecttoTeamsEnterprise(enterpriseName="Acme", services=("SMS",))
    c2t = [(section, facts.connecttoteams, facts.state.users, {})]
    mapping = kinds.Mapping(phoneNumber=N[0], messagingAppId="19:a", name="A")
    csms_section = kinds.ContextSmsEnterprise(
        cspId="CSP0000001", name="Acme Clinic", contact="Ann", number=N[5], email="a@x.com"
    )
    other = kinds.ContextSmsEnterprise(
        cspId="CSP0000001", name="Acme!", contact="Bo", number=N[6], email="b@x.com"
    )
    pairs = export.pair(c2t, [(csms_section, {N[0]: mapping}), (other, {})])
    assert [(p.title, p.csms[0].name if p.csms else None) for p in pairs] == [
        ("Acme", "Acme Clinic"),
        ("Acme!", "Acme!"),
    ]
    names = [name for name, _ in export.documents(pairs)]
    assert names == ["acme", "acme-2"]
    _, first = export.documents(pairs)[0]
    assert first["spec"]["mappings"] == [
        {"phoneNumber": N[0], "messagingAppType": "Teams", "messagingAppId": "19:a", "name": "A"}
    ]
    keep = export.keeper({"acme"}, {80})
    assert [
        keep(r) for r in ({"enterpriseName": "Acme"}, {"enterpriseId": 80}, {"enterpriseName": "B"})
    ] == [True, True, False]
    assert export.keeper(set(), set())({"enterpriseName": "anything"})
