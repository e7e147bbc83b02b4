"""Reconciler.plan and .apply through the public API: values back, events as it goes, the
review, saved plans (fresh and stale), the journal, isolation and convergence."""

from __future__ import annotations

import json
import pathlib
import threading

import httpx
import pytest

from reconciler import api
from tests.unit.api.conftest import Project

CHANGES = [
    "northwind-legal/contextsms/Northwind Legal LLP",
    "northwind-legal/smsUser/james@northwindlegal.com",
    "northwind-legal/smsUser/li@northwindlegal.com",
    "northwind-legal/smsUser/omar@northwindlegal.com",
    "northwind-legal/smsUser/priya@northwindlegal.com",
    "northwind-legal/smsUser/sofia@northwindlegal.com",
    "northwind-legal/smsUser/tom@northwindlegal.com",
    "northwind-legal/smsGroup/Client Intake",
    "northwind-legal/mapping/+12025550160",
    "northwind-legal/mapping/+12025550161",
    "northwind-legal/mapping/+12025550170",
    "northwind-legal/sync/Unified App",
    "sunshine-dental/contextsms/Sunshine Dental Clinic",
    "sunshine-dental/connecttoteams/Sunshine Dental",
    "sunshine-dental/smsUser/alice@sunshinedental.com",
    "sunshine-dental/smsUser/bob@sunshinedental.com",
    "sunshine-dental/smsUser/carol@sunshinedental.com",
    "sunshine-dental/smsUser/dave@sunshinedental.com",
    "sunshine-dental/smsUser/erin@sunshinedental.com",
    "sunshine-dental/smsUser/maria@sunshinedental.com",
    "sunshine-dental/smsGroup/Billing",
    "sunshine-dental/smsGroup/Front Desk",
    "sunshine-dental/mapping/+12025550110",
    "sunshine-dental/mapping/+12025550111",
    "sunshine-dental/mapping/+12025550120",
    "sunshine-dental/sync/Unified App",
]


def test_plan_returns_the_plan_of_every_enterprise(project: Project) -> None:
    plan = project.reconciler().plan()
    assert [c.id for c in plan.changes] == CHANGES
    assert plan.summary.model_dump() == {
        "create": 23,
        "update": 1,
        "delete": 0,
        "sync": 2,
        "failed": 0,
        "heldBack": 0,
    }
    assert [e.name for e in plan.enterprises] == ["northwind-legal", "sunshine-dental"]
    assert plan.enterprises[1].ids == {"connecttoteams": 78, "contextsms": None}
    assert project.vendors.writes() == []  # planning writes nothing


def test_a_scope_names_enterprises_or_selects_them_by_label(project: Project) -> None:
    rec = project.reconciler()
    by_name = rec.plan(api.Scope(enterprises=["sunshine-dental"]))
    assert [e.name for e in by_name.enterprises] == ["sunshine-dental"]
    by_label = rec.plan(api.Scope(selector={"tier": "silver", "region": "us-west"}))
    assert [e.name for e in by_label.enterprises] == ["northwind-legal"]
    with pytest.raises(api.ReconcilerError) as unknown:
        rec.plan(api.Scope(enterprises=["nope"]))
    assert str(unknown.value) == (
        "no enterprise named 'nope' in the manifests (known: northwind-legal, sunshine-dental)"
    )
    with pytest.raises(api.ReconcilerError, match=r"^no enterprise matches tier=bronze$"):
        rec.plan(api.Scope(selector={"tier": "bronze"}))


def test_scope_parse_takes_the_command_lines_values() -> None:
    assert api.Scope.parse(["a", "b"], ["tier=gold", "region=eu=west"]) == api.Scope(
        ("a", "b"), {"tier": "gold", "region": "eu=west"}
    )
    with pytest.raises(api.UsageError) as bad:
        api.Scope.parse((), ["tier"])
    assert (str(bad.value), bad.value.option) == (
        "Invalid value for --selector: 'tier' is not key=value",
        "--selector",
    )


def test_apply_returns_outcomes_convergence_events_and_the_journal(project: Project) -> None:
    events: list[api.Event] = []
    result = project.reconciler().apply(on_event=events.append)
    assert (result.ok, result.converged) == (True, True)
    assert [o.change_id for o in result.applied] == CHANGES
    assert result.failed == result.skipped == ()
    assert result.convergence is not None
    assert result.convergence.checked == ("northwind-legal", "sunshine-dental")
    # every change starts before it finishes, once each, and `done` counts up to the total
    starts = [e.change_id for e in events if e.kind == "start"]
    finishes = [e for e in events if e.kind == "finish"]
    assert sorted(starts) == sorted(CHANGES) == sorted(e.change_id for e in finishes)
    assert [e.done for e in finishes] == list(range(1, 27))
    assert {e.total for e in events} == {26}
    assert all(e.outcome is not None and e.outcome.status == "applied" for e in finishes)
    # the journal is a JSON-ready record of the same run
    journal = result.journal
    assert json.loads(json.dumps(journal)) == journal
    assert (journal["journalVersion"], journal["command"], journal["outcome"]) == (
        2,
        "apply",
        "complete",
    )
    assert journal["totals"] == {
        "changes": 26,
        "applied": 26,
        "failed": 0,
        "skipped": 0,
        "notApplied": 0,
        "heldBack": 0,
        "calls": len(project.vendors.requests),
        "retries": 0,
        "throttled": {},
    }
    assert list(journal["stages"]) == ["read", "plan", "apply", "re-read"]
    assert journal["convergence"]["converged"] is True
    assert [c["id"] for c in journal["changes"]] == CHANGES
    assert result.run.calls == len(project.vendors.requests)
    # and the platforms now match the manifests
    again = project.reconciler().plan()
    assert again.changes == () and not again.failed


def test_a_review_that_says_no_changes_nothing(project: Project) -> None:
    shown: list[api.Plan] = []

    def review(plan: api.Plan) -> bool:
        shown.append(plan)
        return False

    with pytest.raises(api.Cancelled, match=r"^apply cancelled: nothing was changed$"):
        project.reconciler().apply(review=review)
    assert [c.id for c in shown[0].changes] == CHANGES
    assert project.vendors.writes() == []


def test_a_saved_plan_is_applied_only_while_fresh(project: Project, tmp_path: pathlib.Path) -> None:
    rec = project.reconciler()
    rec.plan(api.Scope(enterprises=["sunshine-dental"])).save(tmp_path / "plan.json")
    saved = api.Plan.load(tmp_path / "plan.json")
    result = rec.apply(saved)
    assert result.ok
    assert {o.enterprise for o in result.outcomes} == {"sunshine-dental"}  # the plan's scope
    # a plan made before the platforms changed is refused, naming what changed
    rec.plan().save(tmp_path / "old.json")
    project.edit("northwind-legal", "userTag: intake", "userTag: front")
    with pytest.raises(api.ReconcilerError) as stale:
        rec.apply(api.Plan.load(tmp_path / "old.json"))
    assert str(stale.value) == (
        "the saved plan is stale: the manifests changed since it was made, so it is not "
        "applied; make a new plan and review it:\n"
        "  northwind-legal/smsUser/li@northwindlegal.com: the manifest changed it "
        "(userTag: 'intake' → 'front')"
    )
    rec.apply(api.Scope(enterprises=["northwind-legal"]))
    rec.plan().save(tmp_path / "now.json")  # nothing to do: a plan of no changes
    assert rec.apply(api.Plan.load(tmp_path / "now.json")).plan.changes == ()


def test_a_saved_plan_that_is_not_one_is_refused_with_its_name(tmp_path: pathlib.Path) -> None:
    (tmp_path / "plan.json").write_text('{"formatVersion": 7}')
    with pytest.raises(api.ReconcilerError) as refused:
        api.Plan.load(tmp_path / "plan.json")
    assert str(refused.value) == (
        f"{tmp_path / 'plan.json'}: not a saved plan (not a reconciler plan of formatVersion "
        "1); make it again with `reconciler plan -o`"
    )


def test_one_enterprises_outage_is_only_its_own(project: Project) -> None:
    project.vendors.fail("/getSMSUsers/78", status=404)  # sunshine-dental's users
    plan = project.reconciler().plan()
    assert [e.name for e in plan.failed] == ["sunshine-dental"]
    [problem] = plan.failed[0].problems
    assert problem.kind == "read"
    assert problem.message == ("cannot read it: ConnecttoTeams listUsers: 404 FAULT: injected")
    result = project.reconciler().apply()
    assert {o.enterprise for o in result.outcomes} == {"northwind-legal"}
    assert result.failed == () and not result.ok  # held back: not ok, yet nothing failed
    assert result.journal["notApplied"] == [
        {"enterprise": "sunshine-dental", "kind": "read", "message": problem.message}
    ]


def test_retries_are_events_and_are_counted(project: Project) -> None:
    left = [2]

    def twice(request: httpx.Request) -> httpx.Response | None:
        """Client Intake's members (one call, tried three times): 503 twice."""
        if "addSMSMembersForGroup" not in request.url.path or not left[0]:
            return None
        if b"li@northwindlegal.com" not in request.content:
            return None
        left[0] -= 1
        return httpx.Response(503, json={"error": "busy"})

    project.vendors.faults.append(twice)
    events: list[api.Event] = []
    result = project.reconciler().apply(on_event=events.append)
    retries = [(e.change_id, e.retry) for e in events if e.kind == "retry"]
    assert [(c, r.api, r.operation, r.attempt, r.reason) for c, r in retries if r] == [
        ("northwind-legal/smsGroup/Client Intake", "ConnecttoTeams", "addMembers", 1, "503 busy"),
        ("northwind-legal/smsGroup/Client Intake", "ConnecttoTeams", "addMembers", 2, "503 busy"),
    ]
    assert result.ok and result.journal["totals"]["retries"] == 2
    assert result.run.retries == 2
    [intake] = [c for c in result.journal["changes"] if c["key"] == "Client Intake"]
    assert intake["retries"] == 2
    assert [c["status"] for c in intake["calls"]][-3:] == [503, 503, 200]


def test_a_failed_change_skips_its_dependents_and_the_next_apply_converges(
    project: Project,
) -> None:
    project.vendors.fail("/sms/createSMSGroup", status=400)
    result = project.reconciler().apply()
    failed = {o.change_id for o in result.failed}
    assert failed == {
        "northwind-legal/smsGroup/Client Intake",
        "sunshine-dental/smsGroup/Billing",
        "sunshine-dental/smsGroup/Front Desk",
    }
    assert not result.ok and result.converged is False
    assert result.journal["outcome"] == "incomplete"
    project.vendors.faults.clear()
    again = project.reconciler().apply()
    assert again.ok and again.converged
    assert {o.change_id for o in again.applied} == failed | {
        "northwind-legal/sync/Unified App",
        "sunshine-dental/sync/Unified App",
    }


def test_without_reread_convergence_is_unknown(project: Project) -> None:
    result = project.reconciler().apply(reread=False)
    assert result.ok and result.converged is None and result.convergence is None
    assert "re-read" not in result.run.stages


def test_invalid_manifests_and_a_broken_config_are_errors(project: Project) -> None:
    project.edit("sunshine-dental", "userId: alice@sunshinedental.com", "userId: alice")
    with pytest.raises(api.ManifestError) as invalid:
        project.reconciler().plan()
    assert invalid.value.count == 1
    [problem] = invalid.value.problems
    assert (problem.file, problem.position.line, problem.message) == (
        str(project.enterprises / "sunshine-dental.yaml"),
        problem.position.line,
        "'alice' is not a valid email address: An email address must have an @-sign.",
    )
    project.config.write_text("providers: {connecttoteams: {url: ftp://x}}\n")
    with pytest.raises(api.ConfigError, match="is not a URL"):
        project.reconciler().plan()


def test_one_apply_at_a_time_on_a_config(project: Project) -> None:
    """A second apply while the first holds the lock is refused, changing nothing; the
    review runs inside the first apply, so it holds the lock while it is shown."""
    outcome: list[str] = []

    def review(plan: api.Plan) -> bool:
        try:
            project.reconciler().apply(review=lambda _: True)
        except api.ReconcilerError as exc:
            outcome.append(str(exc))
        return False

    with pytest.raises(api.Cancelled):
        project.reconciler().apply(review=review)
    [refused] = outcome
    assert refused.startswith("another reconciler apply is running on this config (pid ")
    assert refused.endswith("wait for it to finish")
    assert project.vendors.writes() == []
    assert project.reconciler().apply().ok  # the lock went with the first apply


def test_a_stopped_apply_starts_nothing_new_and_the_next_one_converges(project: Project) -> None:
    """Stop is asked as the fourth change finishes: the changes already started finish, no
    other starts, there is no re-read, and the journal says it stopped; the next apply
    converges with nothing created twice."""
    stop = threading.Event()
    started_before_stop: set[str] = set()
    started_after_stop: set[str] = set()
    finished: list[str] = []

    def on_event(event: api.Event) -> None:
        if event.kind == "start":
            (started_after_stop if stop.is_set() else started_before_stop).add(event.change_id)
        if event.kind == "finish":
            finished.append(event.change_id)
            if len(finished) == 4:
                stop.set()

    result = project.reconciler(parallelism=1).apply(on_event=on_event, stop=stop)
    assert result.report.stopped and not result.ok and started_after_stop == set()
    assert result.convergence is None and "re-read" not in result.run.stages
    assert {o.change_id for o in result.applied} == started_before_stop  # started: finished
    assert 4 <= len(result.applied) < 26
    # not started, or waiting on a change that was not started (enterprises go one by one:
    # a later enterprise's own object was not made, so what goes in it says so)
    skipped = {o.change_id for o in result.skipped}
    for outcome in result.skipped:
        if outcome.reason != "not started: the apply was stopped":
            assert outcome.reason.startswith("depends on "), outcome.reason
            assert outcome.reason.endswith(", which skipped"), outcome.reason
            assert outcome.reason[len("depends on ") : -len(", which skipped")] in skipped
    assert len(result.applied) + len(result.skipped) == 26
    assert (result.journal["stopped"], result.journal["outcome"]) == (True, "incomplete")
    again = project.reconciler().apply()
    assert again.ok and again.converged
    assert {o.change_id for o in again.applied} == {o.change_id for o in result.skipped}
    made = [
        json.loads(r.content)["name"]
        for r in project.vendors.requests
        if r.method == "POST" and r.url.path.endswith("/enterprise/CSP0000003")
    ]
    assert sorted(made) == ["Northwind Legal LLP", "Sunshine Dental Clinic"]  # once each
