"""The planner is a pure function of two States: no network, no sandbox, no clock."""

from __future__ import annotations

from reconciler.model import kinds, live, state
from reconciler.model.problem import Problem
from reconciler.plan import phases, planfile, planner
from reconciler.plan.model import Impact
from reconciler.render import changes, text
from reconciler.wire.connecttoteams import ENDPOINTS
from tests.unit.plan.builders import (
    CARRIER,
    N,
    enterprise,
    found,
    group,
    mapping,
    plan,
    problem,
    summary,
    user,
)


def test_converged_plans_nothing() -> None:
    desired = enterprise(
        users=[user("a@x.com", N[0])],
        groups=[group("G", "a@x.com", (N[1],), ("a@x.com",))],
        mappings=[mapping(N[1], "19:g", "G")],
    )
    result = plan([desired], [found(desired)])
    assert result.changes == ()
    assert result.summary.total == 0


def test_new_enterprise_everything_with_refs() -> None:
    desired = enterprise(
        users=[user("a@x.com")],
        groups=[group("G", "a@x.com", members=("a@x.com",))],
        mappings=[mapping(N[1], "19:g", "G")],
    )
    result = plan([desired], [])
    assert summary(result) == [
        "create contextsms Acme",
        "create connecttoteams Acme",
        "create smsUser a@x.com",
        "create smsGroup G",
        "create mapping +12025550102",
        "sync sync Unified App",  # the new group's members must reach Teams
    ]
    user_change = result.changes[2]
    assert user_change.dependsOn == ("acme/connecttoteams/Acme",)
    assert user_change.calls[0].body["enterpriseId"] == {"$ref": "acme/connecttoteams.enterpriseId"}
    assert result.changes[1].calls[0].produces == {
        "acme/connecttoteams.enterpriseId": "enterpriseId"
    }
    assert result.changes[4].dependsOn == ("acme/contextsms/Acme",)


def test_user_gaining_two_numbers_is_one_call() -> None:
    before = enterprise(users=[user("a@x.com")])
    after = enterprise(users=[user("a@x.com", N[0], N[1])])
    [change] = plan([after], [found(before)]).changes[:1]
    [call] = change.calls
    assert (call.operation, call.body["smsDID"], call.body["assigned"]) == (
        "userDids",
        ["1", "2"],
        True,
    )
    assert [f.field for f in change.fields] == ["numbers"]


def test_move_between_users_orders_release_first() -> None:
    before = enterprise(users=[user("a@x.com", N[0]), user("b@x.com")])
    after = enterprise(users=[user("a@x.com"), user("b@x.com", N[0])])
    result = plan([after], [found(before)])
    a, b, sync = result.changes
    assert (a.key, a.calls[0].phase) == ("a@x.com", phases.UNASSIGN)
    assert (b.key, b.calls[0].phase, b.dependsOn) == (
        "b@x.com",
        phases.ASSIGN_USER_NUMBERS,
        ("acme/smsUser/a@x.com",),
    )
    assert sync.kind == "sync" and sync.calls[0].phase == phases.SYNC


def test_swap_has_no_cycle() -> None:
    before = enterprise(users=[user("a@x.com", N[0]), user("b@x.com", N[1])])
    after = enterprise(users=[user("a@x.com", N[1]), user("b@x.com", N[0])])
    a, b, _ = plan([after], [found(before)]).changes
    assert [c.phase for c in a.calls] == [phases.UNASSIGN, phases.ASSIGN_USER_NUMBERS]
    assert a.dependsOn == ("acme/smsUser/b@x.com",) and b.dependsOn == ("acme/smsUser/a@x.com",)


def test_conflict_with_unmanaged_holder_and_prune_releases() -> None:
    actual = enterprise(users=[user("z@x.com", N[0])])
    desired = enterprise(users=[user("a@x.com", N[0])])
    blocked = plan([desired], [found(actual)])
    assert blocked.problems == (
        problem(
            "conflict",
            f"conflict: {N[0]} is wanted by SMS user 'a@x.com' but held by SMS user 'z@x.com', "
            "which no manifest manages: add it to the manifest, release the number, or set "
            "policy.prune: true",
        ),
    )
    assert blocked.changes == () and blocked.summary.failed == 1
    assert [c.key for c in blocked.enterprises[0].changes] == ["a@x.com", "Unified App"]
    pruning = enterprise(users=[user("a@x.com", N[0])], prune=True)
    result = plan([pruning], [found(actual)])
    assert summary(result) == [
        "delete smsUser z@x.com",
        "create smsUser a@x.com",
        "sync sync Unified App",
    ]
    assert result.changes[1].dependsOn == ("acme/smsUser/z@x.com",)


def test_number_held_by_a_trunk() -> None:
    trunk = live.InventoryNumber(
        number="+12025550199",
        didId=99,
        sms=True,
        carrierProfile=CARRIER,
        holder=live.Holder(type="OTHER", id="t1", name="TRUNK t1"),
    )
    desired = enterprise(users=[user("a@x.com", "+12025550199")])
    blocked = plan([desired], [found(enterprise(), extra={"+12025550199": trunk})])
    assert [p.message for p in blocked.problems] == [
        "conflict: +12025550199 is wanted by SMS user 'a@x.com' but held by TRUNK t1, which no "
        "manifest manages: add it to the manifest, release the number, or set policy.prune: true"
    ]


def test_unmanaged_are_reported_not_touched() -> None:
    actual = enterprise(
        users=[user("z@x.com", N[0])],
        groups=[group("Old", "z@x.com")],
        mappings=[mapping(N[5], "19:o", "O")],
    )
    result = plan([enterprise()], [found(actual)])
    assert result.changes == ()
    assert [(u.kind, u.key) for u in result.enterprises[0].unmanaged] == [
        ("mapping", N[5]),
        ("smsGroup", "Old"),
        ("smsUser", "z@x.com"),
    ]


def test_app_not_synced_alone_is_one_sync_and_attributes_do_not_sync() -> None:
    same = enterprise(users=[user("a@x.com", N[0])])
    assert summary(plan([same], [found(same, synced=False)])) == ["sync sync Unified App"]
    tagged = enterprise(users=[user("a@x.com", N[0], userTag="t")])
    assert summary(plan([tagged], [found(same)])) == ["update smsUser a@x.com"]


def test_mapping_put_or_recreate() -> None:
    before = enterprise(mappings=[mapping(N[0], "19:a", "A"), mapping(N[1], "19:b", "B")])
    after = enterprise(mappings=[mapping(N[0], "19:a2", "A"), mapping(N[1], "19:b", "B2")])
    result = plan([after], [found(before)])
    assert [[c.method for c in ch.calls] for ch in result.changes] == [["DELETE", "POST"], ["PUT"]]


def test_threshold_needs_ten_objects_and_force() -> None:
    users = [user(f"u{i}@x.com") for i in range(10)]
    before = enterprise(users=users)
    after = enterprise(users=[user(u.userId, userTag="new") for u in users[:4]] + users[4:])
    assert plan([after], [found(before)]).problems == (
        problem(
            "safety",
            "4 updates and 0 deletes would change 4 of 10 managed objects (40%), over "
            "policy.maxChangePercent 30%: review the plan, then run again with --force",
        ),
    )
    assert plan([after], [found(before)], force=True).summary.update == 4
    small = enterprise(users=[user("a@x.com", userTag="x")])
    assert plan([small], [found(enterprise(users=[user("a@x.com")]))]).summary.update == 1


def test_payment_is_asked_only_where_there_are_changes_and_blocks_only_by_policy() -> None:
    unpaid = live.Payment(email="ann@x.com", paid=False, subscriptionStatus="canceled")
    strict = enterprise(users=[user("a@x.com", N[0])], requirePayment=True)
    quiet = enterprise("quiet", users=[user("a@x.com", N[0])], requirePayment=True)
    desired = state.State(enterprises={"acme": strict, "quiet": quiet})
    made = plan([strict, quiet], [found(enterprise()), found(quiet)])
    assert planner.needs_payment(made, desired) == {"acme": "ann@x.com"}
    settings = planner.Settings(ENDPOINTS)
    blocked = planner.with_payments(made, {"acme": unpaid}, desired, settings)
    assert blocked.problems == (
        problem(
            "payment",
            "ContextSMS says ann@x.com has not paid (subscription: canceled); "
            "policy.requirePayment blocks its changes",
        ),
    )
    assert blocked.changes == () and blocked.summary.failed == 1
    relaxed = enterprise(users=[user("a@x.com", N[0])])
    lenient = state.State(enterprises={"acme": relaxed})
    warned = planner.with_payments(
        plan([relaxed], [found(enterprise())]), {"acme": unpaid}, lenient, settings
    )
    assert warned.enterprises[0].warnings == (
        "ContextSMS says ann@x.com has not paid (subscription: canceled)",
    )
    assert warned.summary.failed == 0 and len(warned.changes) == 2


def test_cross_enterprise_mapping_waits_for_the_delete() -> None:
    one_before = enterprise("one", mappings=[mapping(N[0], "19:a", "A")], prune=True)
    one_after = enterprise("one", prune=True)
    two = enterprise("two", mappings=[mapping(N[0], "19:a", "A")])
    result = plan([one_after, two], [found(one_before), found(enterprise("two"))])
    create = next(c for c in result.changes if c.enterprise == "two")
    assert create.dependsOn == ("one/mapping/+12025550101",)


def test_plan_is_deterministic_data() -> None:
    desired = enterprise(
        users=[user("b@x.com", N[1]), user("a@x.com", N[0])],
        groups=[group("G", "a@x.com", (N[2],))],
    )
    first = planfile.dumps(plan([desired], [found(enterprise())], manifest_digest="d"))
    second = planfile.dumps(plan([desired], [found(enterprise())], manifest_digest="d"))
    assert first == second
    assert planfile.loads(first) == plan([desired], [found(enterprise())], manifest_digest="d")


def test_text_render_shows_only_changed_fields() -> None:
    before = enterprise(users=[user("a@x.com", N[0], userTag="old")])
    after = enterprise(users=[user("a@x.com", N[0], N[1], userTag="new")])
    output = text.render(plan([after], [found(before)]))
    assert (
        "  ~ smsUser a@x.com\n      numbers: +12025550101 → +12025550101, +12025550102\n      userTag: old → new\n"
        in output
    )
    assert output.endswith("Plan: 0 to create, 1 to update, 0 to delete, 1 sync.\n")


def test_a_failed_enterprise_is_its_own_error_and_the_others_are_planned() -> None:
    unread = Problem(
        kind="read",
        enterprise="two",
        message="cannot read it: ConnecttoTeams listUsers: 503 UNAVAILABLE: down",
        api="ConnecttoTeams",
        operation="listUsers",
    )
    one = enterprise("one", users=[user("a@x.com", N[0])])
    result = plan([one, enterprise("two")], [found(enterprise("one"))], {"two": unread})
    assert [(e.name, e.problems) for e in result.enterprises] == [("one", ()), ("two", (unread,))]
    assert summary(result) == ["create smsUser a@x.com", "sync sync Unified App"]
    assert result.summary.model_dump() == {
        "create": 1,
        "update": 0,
        "delete": 0,
        "sync": 1,
        "failed": 1,
        "heldBack": 0,
    }
    assert set(result.liveFingerprint) == {"one/smsUser/a@x.com", "one/sync/Unified App"}
    assert text.render(result).splitlines()[-4:] == [
        "two",
        "  error: cannot read it: ConnecttoTeams listUsers: 503 UNAVAILABLE: down",
        "",
        "Plan: 1 to create, 0 to update, 0 to delete, 1 sync; 1 enterprise failed.",
    ]
    assert text.failures(result) == (
        "1 of 2 enterprises cannot be planned; nothing is applied to it:\n"
        "  - enterprise 'two': cannot read it: ConnecttoTeams listUsers: 503 UNAVAILABLE: down"
    )


def test_changed_fields_ignore_list_order_but_not_contents() -> None:
    from reconciler.plan.draft import changed_fields

    before = {"numbers": ["+1", "+2"], "members": ["a", "b"], "userTag": "x", "gone": 1}
    after = {"numbers": ["+2", "+1"], "members": ["a", "c"], "userTag": "x", "new": None}
    assert [(f.field, f.before, f.after) for f in changed_fields(before, after)] == [
        ("gone", 1, None),
        ("members", ["a", "b"], ["a", "c"]),
        ("new", None, None),
    ]


def test_a_services_change_edits_the_enterprise_keeping_its_live_settings() -> None:
    desired = enterprise()
    desired = desired.model_copy(
        update={
            "connecttoteams": kinds.ConnecttoTeamsEnterprise(
                enterpriseName="Acme", services=("CALLAPP", "PBX", "SMS")
            )
        }
    )
    actual = found(enterprise())
    c2t = actual.connecttoteams.model_copy(update={"settings": {"userLimit": 50}})  # type: ignore[union-attr]
    [change] = plan([desired], [actual.model_copy(update={"connecttoteams": c2t})]).changes
    assert (change.kind, change.action, [f.field for f in change.fields]) == (
        "connecttoteams",
        "update",
        ["services"],
    )
    [call] = change.calls
    assert call.operation == "editEnterprise"
    assert call.body == {
        "userLimit": 50,
        "enterpriseId": 78,
        "enterpriseName": "Acme",
        "resellerId": 54,
        "services": ["CALLAPP", "PBX", "SMS"],
    }


def test_ignored_fields_are_the_live_sides_and_a_change_keeps_their_live_value() -> None:
    live_side = enterprise(
        users=[user("a@x.com", N[0], userTag="set-in-portal")],
        mappings=[mapping(N[1], "19:live", "Named live")],
    )
    rules = ("smsUser.userTag", "mapping.name", "contextsms.contact")
    desired = enterprise(
        users=[user("a@x.com", N[0], N[2], userTag="from-git"), user("b@x.com", userTag="new")],
        mappings=[mapping(N[1], "19:git", "Named in git")],
        ignore=rules,
    )
    desired = desired.model_copy(
        update={"contextsms": desired.contextsms.model_copy(update={"contact": "Bob"})}  # type: ignore[union-attr]
    )
    result = plan([desired], [found(live_side)])
    assert summary(result) == [
        "create smsUser b@x.com",
        "update smsUser a@x.com",
        "update mapping +12025550102",
        "sync sync Unified App",
    ]
    new, numbers, channel = result.changes[:3]
    assert [f.field for f in numbers.fields] == ["numbers"]  # not userTag
    assert [f.field for f in channel.fields] == ["messagingAppId"]  # not name
    assert all(c.body.get("userTag") != "from-git" for c in numbers.calls)
    assert new.after is not None and new.after["userTag"] == "new"  # nothing live to keep
    assert channel.after is not None and channel.after["name"] == "Named live"
    unchanged = enterprise(
        users=[user("a@x.com", N[0], userTag="other")],
        mappings=[mapping(N[1], "19:live", "Other")],
        ignore=rules,
    )
    assert plan([unchanged], [found(live_side)]).changes == ()  # no drift either


def test_each_enterprise_says_its_impact_in_counts_and_words() -> None:
    before = enterprise(
        users=[user("a@x.com", N[0]), user("b@x.com", N[1]), user("gone@x.com", N[2])],
        groups=[group("G", "a@x.com", (N[3],), ("a@x.com",))],
        mappings=[mapping(N[3], "19:old", "G")],
    )
    after = enterprise(
        users=[user("a@x.com", N[0], N[4]), user("b@x.com"), user("new@x.com", N[5])],
        groups=[group("G", "a@x.com", (N[3],), ("b@x.com", "new@x.com"))],
        mappings=[mapping(N[3], "19:new", "G")],
        prune=True,
    )
    [part] = plan([after], [found(before)], force=True, allow_release=True).enterprises
    assert part.impact == Impact(
        usersGetSms=1,
        usersGainNumbers=1,
        usersLoseNumbers=1,
        usersLoseSms=1,
        groupsGainMembers=1,
        membersAdded=2,
        groupsLoseMembers=1,
        membersRemoved=1,
        numbersMoveChannel=1,
        numbersReleased=2,
        managed=5,
        changedManaged=5,
        maxChangePercent=30,
    )
    assert changes.impact_line(part) == (
        "impact: 1 user gets SMS, 1 user starts texting from new numbers, 1 user stops texting "
        "from a number, 1 user loses SMS, 1 group gains 2 members, 1 group loses 1 member, "
        "1 number moves to another Teams channel, 2 numbers released (no holder after); 5 of 5 "
        "managed objects updated or deleted (100%, limit 30%)"
    )
