"""Saved plans: the same plan gives the same bytes and comes back equal; a file that is not
a plan is refused naming it; a stale plan is refused naming each object that changed."""

from __future__ import annotations

import json
import pathlib

import pytest

from reconciler.errors import ReconcilerError
from reconciler.model import live, state
from reconciler.model.problem import Problem
from reconciler.plan import planfile, planner
from reconciler.plan.model import Plan
from reconciler.wire import connecttoteams
from tests.unit.plan.builders import N, enterprise, found, plan, user

BEFORE = enterprise(users=[user("a@x.com", N[0])])
WANTED = enterprise(users=[user("a@x.com", N[0], N[1]), user("b@x.com")])


def made(**kwargs: object) -> Plan:
    return plan([WANTED], [found(BEFORE)], manifest_digest="d1", paths=(".",), **kwargs)  # type: ignore[arg-type]


def test_a_saved_plan_comes_back_equal_and_as_the_same_bytes(tmp_path: pathlib.Path) -> None:
    saved = made()
    saved.save(tmp_path / "plan.json")
    assert (tmp_path / "plan.json").read_text() == saved.to_json() == made().to_json()
    assert Plan.load(tmp_path / "plan.json") == saved
    document = json.loads(saved.to_json())
    assert (document["formatVersion"], document["summary"]["total"], document["paths"]) == (
        1,
        3,
        ["."],
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[]", "not a reconciler plan of formatVersion 1"),
        ('{"formatVersion": 2}', "not a reconciler plan of formatVersion 1"),
        ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ("[" * 100_000 + "]" * 100_000, "nested too deep"),
    ],
    ids=["a list", "another version", "cut short", "nested too deep"],
)
def test_a_file_that_is_not_a_saved_plan_is_refused_naming_it(
    tmp_path: pathlib.Path, content: str, reason: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content)
    with pytest.raises(ReconcilerError) as refused:
        Plan.load(path)
    assert str(refused.value) == (
        f"{path}: not a saved plan ({reason}); make it again with `reconciler plan -o`"
    )


def test_an_unreadable_or_oversized_file_is_refused(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ReconcilerError) as directory:
        Plan.load(tmp_path)
    assert str(directory.value) == f"{tmp_path}: cannot read the saved plan (Is a directory)"
    path = tmp_path / "plan.json"
    made().save(path)
    monkeypatch.setattr(planfile, "MAX_BYTES", 100)  # the bound, made small
    with pytest.raises(ReconcilerError, match=r"bytes, more than a plan can hold \(100\)"):
        Plan.load(path)


def test_a_fresh_plan_of_the_same_inputs_is_not_stale() -> None:
    planfile.check_fresh(made(), made())


def test_edited_manifests_make_a_plan_stale_naming_each_object() -> None:
    edited = enterprise(users=[user("a@x.com", N[0], N[2]), user("c@x.com")])
    fresh = plan([edited], [found(BEFORE)], manifest_digest="d2", paths=(".",))
    with pytest.raises(ReconcilerError) as stale:
        planfile.check_fresh(made(), fresh)
    assert str(stale.value) == (
        "the saved plan is stale: the manifests changed since it was made, so it is not "
        "applied; make a new plan and review it:\n"
        "  acme/smsUser/a@x.com: the manifest changed it (numbers: ['+12025550101', "
        "'+12025550102'] → ['+12025550101', '+12025550103'])\n"
        "  acme/smsUser/b@x.com: in the saved plan, no longer planned from the manifests\n"
        "  acme/smsUser/c@x.com: planned from the manifests now (create), not in the saved plan"
    )
    comments = plan([WANTED], [found(BEFORE)], manifest_digest="d2", paths=(".",))
    assert planfile.manifest_differences(made(), comments) == [
        "no planned change differs: the edit is in comments, formatting or objects the plan "
        "does not change"
    ]


def test_a_live_change_makes_a_plan_stale_naming_each_object() -> None:
    moved = enterprise(users=[user("a@x.com", N[0], N[1])])  # a@ already has the number
    fresh = plan([WANTED], [found(moved)], manifest_digest="d1", paths=(".",))
    with pytest.raises(ReconcilerError) as stale:
        planfile.check_fresh(made(), fresh)
    assert str(stale.value) == (
        "the saved plan is stale: the live platforms changed since it was made, so it is not "
        "applied; make a new plan and review it:\n"
        "  acme/smsUser/a@x.com: no longer needs a change (changed live since the plan)\n"
        "  acme/sync/Unified App: no longer needs a change (changed live since the plan)"
    )
    assert planfile.live_differences(fresh, made()) == [
        "acme/smsUser/a@x.com: now needs a change the saved plan does not have",
        "acme/sync/Unified App: now needs a change the saved plan does not have",
    ]
    other = enterprise(users=[user("a@x.com", N[3])])
    again = plan([WANTED], [found(other)], manifest_digest="d1", paths=(".",), allow_release=True)
    assert planfile.live_differences(made(), again) == [
        "acme/smsUser/a@x.com: the live object changed since the plan"
    ]


def test_the_fingerprint_covers_the_changes_of_enterprises_that_did_not_fail() -> None:
    read_failed = Problem(kind="read", enterprise="beta", message="down")
    result = plan([WANTED, enterprise("beta")], [found(BEFORE)], failed={"beta": read_failed})
    assert sorted(result.liveFingerprint) == [
        "acme/smsUser/a@x.com",
        "acme/smsUser/b@x.com",
        "acme/sync/Unified App",
    ]
    assert all(len(digest) == 16 for digest in result.liveFingerprint.values())


def test_the_same_changes_compiled_to_other_calls_make_a_plan_stale() -> None:
    moved = connecttoteams.endpoints({"userDids": "/sms/v2/addSMSDidsForUser"})
    fresh = planner.plan(
        state.State(enterprises={"acme": WANTED}),
        live.Live(enterprises={"acme": found(BEFORE)}, resellerId=54),
        planner.Settings(moved, manifest_digest="d1", paths=(".",)),
    )
    assert planfile.live_differences(made(), fresh) == [
        "the changes compile differently now (endpoints or ids changed)"
    ]
