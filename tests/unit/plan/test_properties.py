"""Properties of planning, over generated tenants (hypothesis):

- doing what the identity diff says turns the live objects into the desired ones (with
  prune on; with it off, what no manifest names stays as it is);
- a tenant planned against itself plans nothing;
- a saved plan comes back equal, as the same bytes;
- a create never shows a field at its default.
"""

from __future__ import annotations

import pathlib
import tempfile
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.model import kinds
from reconciler.plan.diff import diff
from reconciler.plan.model import Plan
from reconciler.render import changes
from tests.unit.plan.builders import N, enterprise, found, group, plan, user

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
USERS = kinds.KINDS[kinds.SMS_USER]
IDS = [f"u{i}@x.com" for i in range(6)]

a_user = st.builds(
    lambda user_id, numbers, tag, email: kinds.SmsUser(
        userId=user_id, numbers=tuple(numbers), userTag=tag, email=email
    ),
    st.sampled_from(IDS),
    st.lists(st.sampled_from(N[:8]), max_size=3, unique=True),
    st.none() | st.sampled_from(["front", "back"]),
    st.none() | st.sampled_from(["alias@x.com"]),
)
some_users = st.lists(a_user, max_size=6, unique_by=lambda u: u.userId).map(
    lambda users: {u.userId: u for u in users}
)


@SETTINGS
@given(desired=some_users, live=some_users, prune=st.booleans())
def test_doing_what_the_diff_says_makes_live_what_is_desired(
    desired: dict[str, kinds.SmsUser], live: dict[str, kinds.SmsUser], prune: bool
) -> None:
    after: dict[str, Any] = {k: kinds.user_essence(u) for k, u in live.items()}
    for d in diff(USERS, desired, live, prune=prune):
        if d.verdict in ("create", "update"):
            after[d.key] = d.after
        elif d.verdict == "delete":
            del after[d.key]
        else:
            assert d.verdict == "unmanaged" and not prune and d.key not in desired
    wanted = {k: kinds.user_essence(u) for k, u in desired.items()}
    if prune:
        assert after == wanted
    else:
        assert after == {**{k: kinds.user_essence(u) for k, u in live.items()}, **wanted}


@SETTINGS
@given(
    users=some_users,
    owner=st.sampled_from(IDS),
    members=st.lists(st.sampled_from(IDS), unique=True),
)
def test_a_tenant_planned_against_itself_plans_nothing(
    users: dict[str, kinds.SmsUser], owner: str, members: list[str]
) -> None:
    held = {n for u in users.values() for n in u.numbers}
    free = [n for n in N[8:12] if n not in held]
    tenant = enterprise(
        users=[
            user(u.userId, *u.numbers, userTag=u.userTag, email=u.email) for u in users.values()
        ],
        groups=[group("G", owner, tuple(free[:1]), tuple(members))],
    )
    result = plan([tenant], [found(tenant)])
    assert (result.changes, result.failed) == ((), ())


@SETTINGS
@given(before=some_users, after=some_users, prune=st.booleans())
def test_a_saved_plan_comes_back_equal_as_the_same_bytes(
    before: dict[str, kinds.SmsUser], after: dict[str, kinds.SmsUser], prune: bool
) -> None:
    made = plan(
        [
            enterprise(
                users=[user(u.userId, *u.numbers, userTag=u.userTag) for u in after.values()],
                prune=prune,
            )
        ],
        [found(enterprise(users=[user(u.userId, *u.numbers) for u in before.values()]))],
        manifest_digest="d",
        paths=("enterprises",),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "plan.json"
        made.save(path)
        again = Plan.load(path)
    assert again == made and again.to_json() == made.to_json()


@SETTINGS
@given(users=some_users)
def test_a_create_never_shows_a_field_at_its_default(users: dict[str, kinds.SmsUser]) -> None:
    result = plan([enterprise(users=list(users.values()))], [found(enterprise())])
    for change in result.changes:
        if change.action != "create" or change.kind != kinds.SMS_USER:
            continue
        shown = dict(changes.attributes(change))
        defaults = USERS.defaults(change.after or {})
        for name, value in (change.after or {}).items():
            if name in defaults and defaults[name] == value:
                assert name not in shown, (name, value)
        assert ("email" in shown) == ((change.after or {})["email"] != change.key)
