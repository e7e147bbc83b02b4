"""A drift report, pure: each difference with what to do about it, unmanaged objects and
the numbers they hold, what stops a plan; read back from its JSON and merged from shards."""

from __future__ import annotations

import json

import pytest

from reconciler.errors import ReconcilerError
from reconciler.model import kinds, live, state
from reconciler.model.problem import Problem
from reconciler.plan import planner
from reconciler.render import drift as render
from reconciler.reports import drift
from reconciler.wire.connecttoteams import ENDPOINTS
from tests.unit.plan.builders import N, enterprise, found, group, mapping, user


def report_of(desired: state.Enterprise, actual: live.LiveEnterprise) -> drift.DriftReport:
    wanted = state.State(enterprises={desired.name: desired})
    found_live = live.Live(enterprises={actual.name: actual})
    made = planner.plan(wanted, found_live, planner.Settings(ENDPOINTS, planner.Rules(force=True)))
    return drift.build(made, found_live, wanted)


def rows(report: drift.DriftReport) -> list[tuple[str, str, str | None, str]]:
    return [(d.kind, d.key, d.field, d.action) for e in report.enterprises for d in e.differences]


def test_each_difference_with_what_apply_would_do_and_what_to_do() -> None:
    desired = enterprise(
        users=[user("a@x.com", N[0]), user("new@x.com")],
        mappings=[mapping(N[5], "19:git", "G")],
    )
    actual = enterprise(
        users=[user("a@x.com", N[0], userTag="changed")],
        mappings=[mapping(N[5], "19:live", "G")],
    )
    report = report_of(desired, found(actual))
    assert rows(report) == [
        (kinds.SMS_USER, "a@x.com", "userTag", "update"),
        (kinds.SMS_USER, "new@x.com", None, "create"),
        (kinds.MAPPING, N[5], "messagingAppId", "update"),
    ]
    tag = report.enterprises[0].differences[0]
    assert (tag.git, tag.live, tag.hint) == (None, "changed", drift.HINTS["update"])
    assert report.summary == {"create": 1, "update": 2} and not report.in_sync


def test_unmanaged_objects_carry_what_they_hold_and_stray_numbers_their_holder() -> None:
    desired = enterprise(groups=[group("G", "a@x.com")])
    actual = enterprise(
        users=[user("z@x.com", N[1])],
        groups=[group("G", "a@x.com", (N[2],))],
    )
    report = report_of(desired, found(actual))
    by_key = {(d.kind, d.key): d for d in report.enterprises[0].differences}
    assert by_key[(kinds.SMS_USER, "z@x.com")].live == f"holds {N[1]}"
    assert by_key[(kinds.SMS_USER, "z@x.com")].action == "unmanaged"
    stray = by_key[(kinds.SMS_GROUP, "G")]  # the group is managed; the number is not wanted
    assert (stray.field, stray.git, stray.live) == ("numbers", [], [N[2]])


def test_a_number_held_live_by_someone_the_manifests_do_not_give_it_to() -> None:
    desired = enterprise(users=[user("a@x.com")], groups=[group("G", "a@x.com")])
    actual = found(enterprise(users=[user("a@x.com")], groups=[group("G", "a@x.com")]))
    c2t = actual.connecttoteams
    assert c2t is not None
    held = c2t.inventory[N[3]].model_copy(
        update={"holder": live.Holder(type="USER", id="a@x.com", name="a@x.com")}
    )
    c2t = c2t.model_copy(update={"inventory": {**c2t.inventory, N[3]: held}})
    report = report_of(desired, actual.model_copy(update={"connecttoteams": c2t}))
    [number] = [d for d in report.enterprises[0].differences if d.kind == kinds.NUMBER]
    assert (number.key, number.live, number.action) == (
        N[3],
        "held by SMS user 'a@x.com'",
        "unmanaged",
    )


@pytest.mark.parametrize(
    ("kind", "message", "hint"),
    [
        (
            "precondition",
            "+1 is not in the inventory of x",
            "upload the number to the inventory (reconciler numbers missing writes the CSV)",
        ),
        (
            "precondition",
            "+1 has no SMS capability",
            "fix the number on the platform (capability, carrier profile), then run again",
        ),
        ("conflict", "held by z", "free the number or change the manifest, then plan again"),
        ("safety", "too many", "review the plan, then apply with --force"),
        ("payment", "unpaid", "settle the ContextSMS payment, or turn policy.requirePayment off"),
        ("read", "down", drift.READ_HINT),
    ],
)
def test_what_stops_a_plan_says_what_to_do(kind: str, message: str, hint: str) -> None:
    problem = Problem(kind=kind, enterprise="acme", message=message)  # type: ignore[arg-type]
    assert drift.hint("", problem) == hint


def test_a_report_comes_back_from_its_json_and_shards_merge() -> None:
    one = report_of(enterprise(users=[user("new@x.com")]), found(enterprise()))
    back = drift.load(render.as_json(one), "one.json")
    assert back.model_dump(exclude={"provenance", "run"}) == one.model_dump(
        exclude={"provenance", "run"}
    )
    other = one.model_copy(
        update={
            "enterprises": tuple(e.model_copy(update={"name": "beta"}) for e in one.enterprises)
        }
    )
    merged = drift.merge([("one.json", one), ("two.json", other)])
    assert [e.name for e in merged.enterprises] == ["acme", "beta"]
    assert merged.summary == {"create": 2}
    with pytest.raises(ReconcilerError) as twice:
        drift.merge([("one.json", one), ("again.json", one)])
    assert str(twice.value) == (
        "enterprise 'acme' is in two shards' reports (one.json and again.json): the shards "
        "must not overlap"
    )
    with pytest.raises(ReconcilerError, match=r"^x.json: not a drift report written by"):
        drift.load(json.dumps({"formatVersion": 1, "enterprises": "no"}), "x.json")
