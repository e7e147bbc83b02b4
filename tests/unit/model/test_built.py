"""Frozen.built: what model_construct makes, from values naming every field, cheaper."""

from __future__ import annotations

from reconciler.model import kinds, live


def test_built_equals_constructed_and_validated() -> None:
    values = {"type": "SMS_GROUP", "id": "7", "name": "Front Desk"}
    built = live.Holder.built(**values)
    assert built == live.Holder.model_construct(**values) == live.Holder(**values)
    assert hash(built) == hash(live.Holder(**values))
    assert built.model_dump() == values
    assert built.model_fields_set == {"type", "id", "name"}


def test_a_copy_with_changes_leaves_the_shared_fields_set_alone() -> None:
    one = live.Holder.built(type="USER", id="a@x.com", name="a@x.com")
    other = live.Holder.built(type="USER", id="b@x.com", name="b@x.com")
    changed = one.model_copy(update={"name": "renamed"})
    assert (changed.name, one.name, other.name) == ("renamed", "a@x.com", "b@x.com")
    assert one.model_fields_set == other.model_fields_set == {"type", "id", "name"}


def test_values_that_leave_a_field_out_get_its_default() -> None:
    user = kinds.SmsUser.built(userId="a@x.com", numbers=("+12025550101",))
    assert user == kinds.SmsUser(userId="a@x.com", numbers=("+12025550101",))
    assert (user.userType, user.email, user.useCallingPhoneNumber) == ("BU", None, False)
    assert user.model_fields_set == {"userId", "numbers"}
