"""Waves of a rollout: the enterprises a plan changes, split by count or by a label's
values in order, the unlabeled last; and the numbers a wave's changes assign."""

from __future__ import annotations

import pytest

from reconciler.errors import UsageError
from reconciler.model import state
from reconciler.plan import waves
from tests.unit.plan.builders import N, enterprise, found, mapping, plan, user


def estate() -> tuple[list[state.Enterprise], list[state.Enterprise]]:
    names = {"a": "canary", "b": "main", "c": None, "d": "main", "e": "other"}
    before, after = [], []
    for name, ring in names.items():
        labels = {"ring": ring} if ring else {}
        before.append(enterprise(name, users=[user(f"u@{name}.com")]))
        wanted = enterprise(name, users=[user(f"u@{name}.com", N[ord(name) - 97])])
        after.append(wanted.model_copy(update={"labels": labels}))
    return before, after


def test_waves_by_count_and_by_label() -> None:
    before, after = estate()
    made = plan(after, [found(b) for b in before])
    desired = state.State(enterprises={e.name: e for e in after})
    by_count = waves.split(made, desired, "count=2")
    assert [(w.number, w.name, w.enterprises) for w in by_count] == [
        (1, "1-of-2", ("a", "b", "c")),
        (2, "2-of-2", ("d", "e")),
    ]
    by_label = waves.split(made, desired, "label=ring:canary,main")
    assert [(w.name, w.enterprises) for w in by_label] == [
        ("ring=canary", ("a",)),
        ("ring=main", ("b", "d")),
        ("ring (unlisted)", ("c", "e")),
    ]
    assert [w.enterprises for w in waves.split(made, desired, "count=9")] == [
        ("a",), ("b",), ("c",), ("d",), ("e",)
    ]  # fmt: skip
    assert [e.name for e in waves.subplan(made, by_label[1]).enterprises] == ["b", "d"]


def test_only_enterprises_with_changes_make_waves() -> None:
    before, after = estate()
    made = plan(after, [found(b) for b in before[:2]] + [found(a) for a in after[2:]])
    desired = state.State(enterprises={e.name: e for e in after})
    assert [w.enterprises for w in waves.split(made, desired, "label=ring:canary,main")] == [
        ("a",),
        ("b",),
    ]


@pytest.mark.parametrize(
    "by", ["count=0", "count=x", "label=ring", "label=:a", "labels=a:b", "label=ring:a,a"]
)
def test_a_bad_spec_says_what_is_expected(by: str) -> None:
    with pytest.raises(UsageError) as bad:
        waves.parse(by)
    assert str(bad.value) == (
        f"Invalid value for --waves: {by!r}: expected count=N (N >= 1) or "
        "label=KEY:VALUE,VALUE,... (values in order)"
    )


def test_the_numbers_a_wave_assigns() -> None:
    before = enterprise(users=[user("a@x.com", N[0])], mappings=[mapping(N[1], "19:a", "A")])
    after = enterprise(
        users=[user("a@x.com", N[0], N[2]), user("b@x.com", N[3])],
        mappings=[mapping(N[1], "19:b", "A"), mapping(N[4], "19:c", "C")],
    )
    made = plan([after], [found(before)])
    every = {c.id for c in made.changes}
    assert waves.assigned(made, every) == {"acme": sorted([N[1], N[2], N[3], N[4]])}
    assert waves.assigned(made, {"acme/smsUser/b@x.com"}) == {"acme": [N[3]]}
