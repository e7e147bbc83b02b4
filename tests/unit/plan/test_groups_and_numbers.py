"""SMS groups (prune, owner, members, renames) and numbers between holders (moves,
conflicts, every precondition's message), through the planner."""

from __future__ import annotations

from reconciler.model import kinds, live
from tests.unit.plan.builders import CARRIER, N, enterprise, found, group, plan, summary, user


def calls(change: object) -> list[tuple[str, object]]:
    return [(c.operation, c.body) for c in change.calls]  # type: ignore[attr-defined]


def test_a_pruned_group_releases_its_numbers_and_members_then_is_deleted() -> None:
    live_side = enterprise(groups=[group("Old", "a@x.com", (N[0],), ("a@x.com", "b@x.com"))])
    refused = plan([enterprise(prune=True)], [found(live_side)])
    [problem] = refused.problems
    assert problem.message == (
        "1 number would be left with no user, group or mapping and stop sending and receiving "
        "SMS: +12025550101; review the plan, then run again with --allow-release (or set "
        "apply.allowRelease: true) to let them go"
    )
    result = plan([enterprise(prune=True)], [found(live_side)], allow_release=True)
    [delete, sync] = result.changes
    assert (delete.releases, sync.releases, result.allowedRelease) == (("+12025550101",), (), True)
    assert (delete.action, delete.reason) == ("delete", "prune: not in the manifest")
    assert [(c.operation, c.phase) for c in delete.calls] == [
        ("groupDids", 4),
        ("removeMembers", 4),
        ("group", 5),
    ]
    assert delete.calls[2].body["deleteGroup"] is True
    assert delete.calls[2].body["groupId"] == 200
    assert sync.dependsOn == ("acme/smsGroup/Old",)


def test_an_owner_and_members_change_in_place() -> None:
    before = enterprise(groups=[group("G", "a@x.com", (N[0],), ("a@x.com", "b@x.com"))])
    after = enterprise(groups=[group("G", "c@x.com", (N[0],), ("b@x.com", "c@x.com"))])
    [update, _sync] = plan([after], [found(before)]).changes
    assert [f.field for f in update.fields] == ["members", "owner"]
    assert [c.operation for c in update.calls] == ["group", "addMembers", "removeMembers"]
    assert update.calls[0].body["groupOwner"] == "c@x.com"
    assert update.calls[1].body["smsMembers"] == ["c@x.com"]
    assert update.calls[2].body["smsMembers"] == ["a@x.com"]


def test_a_rename_keeps_the_group_and_releases_numbers_under_its_old_name() -> None:
    before = enterprise(groups=[group("Front Desk", "a@x.com", (N[0], N[1]))])
    renamed = group("Reception", "a@x.com", (N[1],))
    desired = enterprise(groups=[renamed]).model_copy(
        update={"renames": {"Reception": ("Front Desk",)}}
    )
    changes = plan([desired], [found(before)]).changes
    assert summary(plan([desired], [found(before)])) == [
        "update smsGroup Reception",
        "sync sync Unified App",
    ]
    update = changes[0]
    assert update.reason == "renamed from Front Desk"
    released, renaming = update.calls
    assert (released.operation, released.body["groupName"], released.body["assigned"]) == (
        "groupDids",
        "Front Desk",
        False,
    )
    assert (
        renaming.body["groupId"],
        renaming.body["groupName"],
        renaming.body["groupNameOld"],
    ) == (
        200,
        "Reception",
        "Front Desk",
    )


def test_a_rename_two_live_groups_would_take_is_a_conflict_naming_both() -> None:
    before = enterprise(groups=[group("Front Desk", "a@x.com"), group("Reception", "a@x.com")])
    desired = enterprise(groups=[group("Reception", "a@x.com")]).model_copy(
        update={"renames": {"Reception": ("Front Desk",)}}
    )
    [failed] = plan([desired], [found(before)]).failed
    [problem] = failed.problems
    assert (problem.kind, problem.object, problem.message) == (
        "conflict",
        "smsGroup Reception",
        "SMS group 'Reception' is renamed from 'Front Desk', but live has 2 of these groups: "
        "'Reception' (groupId 201) and 'Front Desk' (groupId 200). Only one can become "
        "'Reception': delete or rename the other on ConnecttoTeams, or drop the name from "
        "renamedFrom",
    )


def test_a_number_moving_from_a_user_to_a_group_waits_for_its_release() -> None:
    before = enterprise(users=[user("a@x.com", N[0])], groups=[group("G", "a@x.com")])
    after = enterprise(users=[user("a@x.com")], groups=[group("G", "a@x.com", (N[0],))])
    result = plan([after], [found(before)])
    by_key = {c.key: c for c in result.changes}
    assert by_key["G"].dependsOn == ("acme/smsUser/a@x.com",)
    assert by_key["a@x.com"].calls[0].phase < by_key["G"].calls[0].phase


def test_a_number_held_by_an_unmanaged_user_is_a_conflict() -> None:
    live_side = enterprise(users=[user("z@x.com", N[0])])
    [failed] = plan([enterprise(users=[user("a@x.com", N[0])])], [found(live_side)]).failed
    assert [p.message for p in failed.problems] == [
        f"conflict: {N[0]} is wanted by SMS user 'a@x.com' but held by SMS user 'z@x.com', "
        "which no manifest manages: add it to the manifest, release the number, or set "
        "policy.prune: true"
    ]


def test_a_number_already_held_by_the_one_that_wants_it_is_no_conflict() -> None:
    live_side = enterprise(groups=[group("G", "a@x.com")])
    taken = found(live_side)
    # the inventory already says the group holds it, the group listing does not yet
    held = taken.connecttoteams.inventory[N[0]].model_copy(  # type: ignore[union-attr]
        update={"holder": live.Holder(type="SMS_GROUP", id="200", name="G")}
    )
    inventory = {**taken.connecttoteams.inventory, N[0]: held}  # type: ignore[union-attr]
    c2t = taken.connecttoteams.model_copy(update={"inventory": inventory})  # type: ignore[union-attr]
    result = plan(
        [enterprise(groups=[group("G", "a@x.com", (N[0],))])],
        [taken.model_copy(update={"connecttoteams": c2t})],
    )
    assert result.failed == () and summary(result)[0] == "update smsGroup G"


def test_every_precondition_says_which_number_and_what_to_do() -> None:
    def item(number: str, **facts: object) -> live.InventoryNumber:
        base = {"number": number, "didId": 900, "sms": True, "carrierProfile": CARRIER}
        return live.InventoryNumber(**{**base, **facts})  # type: ignore[arg-type]

    extra = {
        "+12025550190": item("+12025550190", sms=False),
        "+12025550191": item("+12025550191", carrierProfile=None),
    }
    wanted = enterprise(users=[user("a@x.com", "+12025550190", "+12025550191", "+12025550199")])
    [failed] = plan([wanted], [found(enterprise(), extra=extra)]).failed
    assert [p.message for p in failed.problems] == [
        "+12025550190 (SMS user 'a@x.com') has no SMS capability: ask the service provider to "
        "enable SMS on it",
        "+12025550191 (SMS user 'a@x.com') has no SMS carrier profile: the reseller must assign "
        "one on the Phone Numbers page",
        "+12025550199 (SMS user 'a@x.com') is not in the inventory of ConnecttoTeams enterprise "
        "78: the reseller must add it; run `reconciler numbers missing` to write the portal's "
        "bulk-upload CSV",
    ]
    [new] = plan([enterprise(users=[user("a@x.com", N[0])])], []).failed
    assert new.problems[0].message == (
        f"{N[0]} (SMS user 'a@x.com') is not in the inventory of the ConnecttoTeams enterprise "
        "(it does not exist yet: its inventory is empty): the reseller must add it; run "
        "`reconciler numbers missing` to write the portal's bulk-upload CSV"
    )


def test_the_precondition_rule_is_one_for_plans_and_numbers_missing() -> None:
    assert live.sms_unusable(None) == "not in the inventory"
    number = live.InventoryNumber(number=N[0], didId=1, sms=True, carrierProfile=CARRIER)
    assert live.sms_unusable(number) is None
    assert live.sms_unusable(number.model_copy(update={"sms": False})) == "no SMS capability"
    assert (
        live.sms_unusable(number.model_copy(update={"carrierProfile": None}))
        == "no SMS carrier profile"
    )


def test_changes_sort_by_phase_then_by_the_kinds_order() -> None:
    desired = enterprise(
        users=[user("b@x.com"), user("a@x.com")],
        groups=[group("G", "a@x.com", members=("a@x.com",))],
    )
    result = plan([desired], [])
    assert [c.key for c in result.changes][2:4] == ["a@x.com", "b@x.com"]
    assert [c.kind for c in result.changes] == [
        kinds.CONTEXTSMS,
        kinds.CONNECTTOTEAMS,
        kinds.SMS_USER,
        kinds.SMS_USER,
        kinds.SMS_GROUP,
        kinds.SYNC,
    ]
    assert [c.runsAfterFailures for c in result.changes] == [False] * 5 + [True]
