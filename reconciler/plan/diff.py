"""One identity diff for every kind of object (octoDNS's `Zone.changes`): desired and live
objects keyed by identity become creates, updates (the essences differ), deletes
(prunable, with policy.prune on) and unmanaged objects (left alone). Pure.

A desired object may name the live ones it was renamed from (`renames`): when exactly
one of them is live and the new name is not, that live object is updated into it
(`former` says which); when more than one would become it, that is a conflict.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from reconciler.model.kinds import Kind

Verdict = Literal["create", "update", "delete", "unmanaged", "conflict"]


@dataclasses.dataclass(frozen=True)
class Diffed:
    """One object's verdict. `want` is the desired object (None when only live), `have`
    the live one (None when only desired); `before` and `after` their essences. A
    conflict's `claimed` names the live objects that would all become `key`."""

    key: str
    verdict: Verdict
    want: Any = None
    have: Any = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    former: str = ""  # the live object's identity when it is renamed into `key`
    claimed: tuple[str, ...] = ()


def diff(
    kind: Kind,
    desired: Mapping[str, Any],
    live: Mapping[str, Any],
    *,
    prune: bool,
    renames: Mapping[str, tuple[str, ...]] | None = None,
) -> Iterator[Diffed]:
    """Every object of `kind` that differs, desired ones first, each in identity order."""
    assert kind.essence is not None, f"{kind.name} is not an object kind"
    essence = kind.essence
    taken: set[str] = set()  # live identities a desired object takes over (renames)
    for key, want in sorted(desired.items()):
        have = live.get(key)
        former = [old for old in (renames or {}).get(key, ()) if old in live]
        taken.update(former)
        after = essence(want)
        if former and (have is not None or len(former) > 1):
            claimed = (key,) * (have is not None) + tuple(former)
            yield Diffed(key, "conflict", want, have, after=after, claimed=claimed)
        elif have is None and former:
            old = live[former[0]]
            yield Diffed(key, "update", want, old, essence(old), after, former=former[0])
        elif have is None:
            yield Diffed(key, "create", want, after=after)
        elif (before := essence(have)) != after:
            yield Diffed(key, "update", want, have, before, after)
    for key, have in sorted(live.items()):
        if key in desired or key in taken:
            continue
        verdict: Verdict = "delete" if prune and kind.prunable else "unmanaged"
        yield Diffed(key, verdict, have=have, before=essence(have))
