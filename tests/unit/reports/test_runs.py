"""What a run reports of itself, pure: the journal built from a plan, outcomes and calls;
the run summary; provenance read back; the shards of an estate."""

from __future__ import annotations

import pytest

from reconciler.apply.outcome import Convergence, Outcome, Report
from reconciler.errors import UsageError
from reconciler.model import kinds, state
from reconciler.model.problem import Problem
from reconciler.model.record import Call, Retry, Tally
from reconciler.plan.model import Call as PlannedCall
from reconciler.plan.model import Change, EnterprisePlan, Plan
from reconciler.reports import journal, provenance, shards
from reconciler.reports.runsummary import RunSummary

SEND = PlannedCall(api="connecttoteams", operation="userDids", method="POST", path="/x", phase=7)


def call(change: str, status: int | None, attempt: int = 1, stage: str = "apply") -> Call:
    enterprise = "acme" if change else ""
    return Call(
        1_800_000_000.0,
        "ConnecttoTeams",
        "userDids",
        "POST",
        "/x",
        "/c/x",
        status,
        attempt,
        0.5,
        12.34,
        enterprise,
        change,
        stage,
    )


def test_the_journal_puts_every_call_under_its_change_or_with_the_others() -> None:
    ids = ["acme/smsUser/a", "acme/smsUser/b", "acme/smsUser/c"]
    changes = tuple(
        Change(id=i, enterprise="acme", kind="smsUser", key=i[-1], action="create", calls=(SEND,))
        for i in ids
    )
    problem = Problem(kind="conflict", enterprise="beta", message="held")
    plan = Plan(
        enterprises=(
            EnterprisePlan(name="acme", ids={}, changes=changes),
            EnterprisePlan(name="beta", ids={}, problems=(problem,)),
        ),
        manifestDigest="abc",
    )
    outcomes = (
        Outcome(ids[0], "acme", "applied", "", 1_800_000_000.0, 0.1234),
        Outcome(ids[1], "acme", "failed", "409 taken"),
    )
    report = Report(outcomes, 4, {}, Convergence(("acme",), ("acme",), ("create acme/smsUser/b",)))
    calls = (
        call(ids[0], 503),
        call(ids[0], 200, 2),
        call(ids[1], 409),
        call("", 200, stage="read"),
    )
    retries = (Retry("ConnecttoTeams", "userDids", 1, 0.5, "503", "acme", ids[0]),)
    run = RunSummary(
        "apply", 1_800_000_000.0, 1_800_000_002.5, {"read": 0.5}, Tally(calls, retries)
    )
    about = provenance.Provenance(
        at=1_800_000_003.0,
        version="9.9.9",
        targets=(("ConnecttoTeams", "https://c2t"),),
        paths=(".",),
    )
    record = journal.build(plan, report, run, about)
    assert {
        k: record[k] for k in ("journalVersion", "command", "outcome", "seconds", "manifestDigest")
    } == {
        "journalVersion": 2,
        "command": "apply",
        "outcome": "incomplete",
        "seconds": 2.5,
        "manifestDigest": "abc",
    }
    assert (record["startedAt"], record["generatedAt"], record["targets"]) == (
        "2027-01-15T08:00:00.000Z",
        "2027-01-15T08:00:03.000Z",
        {"ConnecttoTeams": "https://c2t"},
    )
    assert record["totals"] == {
        "changes": 3,
        "applied": 1,
        "failed": 1,
        "skipped": 0,
        "notApplied": 1,
        "heldBack": 0,
        "calls": 4,
        "retries": 1,
        "throttled": {},
    }
    first, second, third = record["changes"]
    assert {k: first[k] for k in ("status", "seconds", "plannedCalls", "attempts", "retries")} == {
        "status": "applied",
        "seconds": 0.123,
        "plannedCalls": 1,
        "attempts": 2,
        "retries": 1,
    }
    assert [c["status"] for c in first["calls"]] == [503, 200]
    assert "enterprise" not in first["calls"][0] and "change" not in first["calls"][0]
    assert (second["status"], second["reason"], second["startedAt"]) == (
        "failed",
        "409 taken",
        None,
    )
    assert (third["status"], third["attempts"]) == ("not run", 0)
    assert record["notApplied"] == [{"enterprise": "beta", "kind": "conflict", "message": "held"}]
    assert record["convergence"] == {
        "converged": False,
        "checked": ["acme"],
        "remaining": ["create acme/smsUser/b"],
        "problems": [],
    }
    [other] = record["otherCalls"]
    assert (other["stage"], other["enterprise"], other["change"]) == ("read", None, None)


def test_the_run_summary_as_its_json_says_it() -> None:
    calls = (call("x", 200), call("x", 429), call("x", None))
    run = RunSummary("drift", 10.0, 9.0, {"read": 0.1234}, Tally(calls, ()), cpu={"read": 0.0456})
    assert run.seconds == 0.0  # a clock that stepped back is not a negative run
    assert run.as_dict() == {
        "command": "drift",
        "seconds": 0.0,
        "calls": 3,
        "retries": 0,
        "throttled": {"ConnecttoTeams": 1},
        "stages": {"read": 0.123},
        "cpu": {"read": 0.046},
        "responses": [
            {"api": "ConnecttoTeams", "status": "200", "count": 1},
            {"api": "ConnecttoTeams", "status": "429", "count": 1},
            {"api": "ConnecttoTeams", "status": "none", "count": 1},
        ],
    }


def test_provenance_is_read_back_from_its_json() -> None:
    about = provenance.Provenance(
        at=1_800_000_000.25,
        version="0.1.0",
        commit="0123456789abcdef",
        uncommitted=True,
        targets=(("ContextSMS", "https://csms"),),
        paths=("enterprises",),
    )
    assert provenance.from_dict(about.as_dict()) == about
    assert about.lines() == [
        ("Generated", "2027-01-15T08:00:00.250Z"),
        ("Tool", "reconciler 0.1.0"),
        ("Manifests", "enterprises (commit 0123456789ab with uncommitted changes)"),
        ("Targets", "ContextSMS https://csms"),
    ]


def enterprise(name: str, users: int, **labels: str) -> state.Enterprise:
    people = {f"u{i}@x.com": kinds.SmsUser(userId=f"u{i}@x.com") for i in range(users)}
    return state.Enterprise(name=name, labels=labels, users=people)


ESTATE = state.State(
    enterprises={
        e.name: e
        for e in (
            enterprise("big", 9, region="eu"),
            enterprise("mid", 5, region="us"),
            enterprise("small", 2, region="eu"),
            enterprise("tiny", 0),
        )
    }
)


def test_shards_by_count_balance_the_objects() -> None:
    assert shards.shards(ESTATE, "count=2") == [
        {"shard": "1-of-2", "args": "--enterprise big", "enterprises": ["big"], "objects": 10},
        {
            "shard": "2-of-2",
            "args": "--enterprise mid --enterprise small --enterprise tiny",
            "enterprises": ["mid", "small", "tiny"],
            "objects": 6 + 3 + 1,
        },
    ]
    assert len(shards.shards(ESTATE, "count=9")) == 4  # never an empty shard


def test_shards_by_label_and_the_unlabelled_last() -> None:
    assert [
        (s["shard"], s["args"], s["enterprises"]) for s in shards.shards(ESTATE, "label=region")
    ] == [
        ("region-eu", "--selector region=eu", ["big", "small"]),
        ("region-us", "--selector region=us", ["mid"]),
        ("no-region", "--enterprise tiny", ["tiny"]),
    ]


@pytest.mark.parametrize("by", ["count=0", "count=x", "label=", "size=2", "count"])
def test_a_shard_rule_that_means_nothing_is_a_usage_error(by: str) -> None:
    with pytest.raises(UsageError) as bad:
        shards.shards(ESTATE, by)
    assert (
        str(bad.value) == f"Invalid value for --by: {by!r}: expected label=KEY or count=N (N >= 1)"
    )
