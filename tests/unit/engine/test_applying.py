"""The apply workflow's values: what `ApplyResult` says of a report, and the progress that
forwards events and turns retries into events."""

from __future__ import annotations

from reconciler.apply.outcome import Convergence, Event, Outcome, Report
from reconciler.engine.applying import ApplyResult, _Progress
from reconciler.model.problem import Problem
from reconciler.model.record import Retry, Tally
from reconciler.plan.model import Change, EnterprisePlan, Plan
from reconciler.reports.runsummary import RunSummary

RUN = RunSummary("apply", 0.0, 1.0, {}, Tally())


def change(key: str) -> Change:
    return Change(
        id=f"acme/smsUser/{key}", enterprise="acme", kind="smsUser", key=key, action="create"
    )


def result(
    outcomes: list[Outcome], convergence: Convergence | None, *, failed: bool = False
) -> ApplyResult:
    enterprises = [EnterprisePlan(name="acme", ids={}, changes=(change("a"), change("b")))]
    if failed:
        problem = Problem(kind="read", enterprise="beta", message="down")
        enterprises.append(EnterprisePlan(name="beta", ids={}, problems=(problem,)))
    plan = Plan(enterprises=tuple(enterprises))
    return ApplyResult(plan, Report(tuple(outcomes), 5, {}, convergence), RUN, {})


APPLIED = [
    Outcome("acme/smsUser/a", "acme", "applied"),
    Outcome("acme/smsUser/b", "acme", "applied"),
]


def test_a_converged_apply_of_every_change_is_ok() -> None:
    done = result(APPLIED, Convergence(("acme",)))
    assert (done.ok, done.converged) == (True, True)
    assert [o.change_id for o in done.applied] == ["acme/smsUser/a", "acme/smsUser/b"]
    assert done.failed == done.skipped == ()


def test_what_remains_after_the_re_read_is_not_ok() -> None:
    left = result(APPLIED, Convergence(("acme",), ("acme",), ("update acme/smsUser/a",)))
    assert (left.ok, left.converged) == (False, False)
    unknown = result(APPLIED, None)
    assert (unknown.ok, unknown.converged) == (True, None)  # not re-read: not known


def test_a_failure_or_an_enterprise_held_back_is_not_ok() -> None:
    failed = result([APPLIED[0], Outcome("acme/smsUser/b", "acme", "failed", "409")], None)
    assert not failed.ok and [o.reason for o in failed.failed] == ["409"]
    skipped = result([APPLIED[0], Outcome("acme/smsUser/b", "acme", "skipped", "x")], None)
    assert not skipped.ok and len(skipped.skipped) == 1
    held = result(APPLIED, Convergence(("acme",)), failed=True)
    assert (held.ok, held.converged) == (False, True)


def test_nothing_to_apply_has_converged() -> None:
    nothing = ApplyResult(Plan(), Report((), 0), RUN, {})
    assert (nothing.ok, nothing.converged, nothing.outcomes) == (True, True, ())


def test_progress_forwards_events_and_says_where_a_retry_stands() -> None:
    heard: list[Event] = []
    progress = _Progress(heard.append, 2)
    progress(Event("start", "acme/smsUser/a", 0, 2))
    progress(Event("finish", "acme/smsUser/a", 1, 2, APPLIED[0]))
    retry = Retry("ConnecttoTeams", "userDids", 1, 0.5, "503 busy", "acme", "acme/smsUser/b")
    progress.retried(retry)
    assert [(e.kind, e.change_id, e.done, e.total) for e in heard] == [
        ("start", "acme/smsUser/a", 0, 2),
        ("finish", "acme/smsUser/a", 1, 2),
        ("retry", "acme/smsUser/b", 1, 2),
    ]
    assert heard[-1].retry == retry
    silent = _Progress(None, 1)  # nobody listens: nothing breaks
    silent(Event("start", "x", 0, 1))
    silent.retried(retry)
    assert silent.done == 0
