"""Shards of an estate for a CI matrix: which enterprises each parallel job takes, so
that an estate outgrowing one runner runs plan, apply and drift per shard. Pure.

By label (`label=KEY`): one shard per value of the label, selected by `--selector`;
enterprises without the label make one more shard, named by `--enterprise`. By count
(`count=N`): N shards balanced by object count (users, groups, mappings and numbers,
plus one for the enterprise itself), the heaviest enterprise first to the lightest
shard. Every enterprise is in exactly one shard.
"""

from __future__ import annotations

import shlex
from typing import Any

from reconciler.errors import UsageError
from reconciler.model import state


def weight(enterprise: state.Enterprise) -> int:
    e = enterprise
    return 1 + len(e.users) + len(e.groups) + len(e.mappings) + len(e.numbers)


def shards(desired: state.State, by: str) -> list[dict[str, Any]]:
    """The matrix entries: name, the options that select the shard, its enterprises and
    its object count."""
    kind, _, value = by.partition("=")
    enterprises = sorted(desired.enterprises.values(), key=lambda e: e.name)
    if kind == "label" and value:
        return _by_label(enterprises, value)
    if kind == "count" and value.isdigit() and int(value) >= 1:
        return _by_count(enterprises, int(value))
    raise UsageError(f"{by!r}: expected label=KEY or count=N (N >= 1)", "--by")


def _entry(name: str, members: list[state.Enterprise], args: list[str]) -> dict[str, Any]:
    return {
        "shard": name,
        "args": " ".join(shlex.quote(a) for a in args),
        "enterprises": [e.name for e in members],
        "objects": sum(weight(e) for e in members),
    }


def _names(members: list[state.Enterprise]) -> list[str]:
    return [a for e in members for a in ("--enterprise", e.name)]


def _by_label(enterprises: list[state.Enterprise], key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[state.Enterprise]] = {}
    unlabeled = []
    for enterprise in enterprises:
        if key in enterprise.labels:
            groups.setdefault(enterprise.labels[key], []).append(enterprise)
        else:
            unlabeled.append(enterprise)
    entries = [
        _entry(f"{key}-{value}", members, ["--selector", f"{key}={value}"])
        for value, members in sorted(groups.items())
    ]
    if unlabeled:
        entries.append(_entry(f"no-{key}", unlabeled, _names(unlabeled)))
    return entries


def _by_count(enterprises: list[state.Enterprise], count: int) -> list[dict[str, Any]]:
    bins: list[list[state.Enterprise]] = [[] for _ in range(min(count, len(enterprises)))]
    loads = [0] * len(bins)
    for enterprise in sorted(enterprises, key=lambda e: (-weight(e), e.name)):
        lightest = loads.index(min(loads))
        bins[lightest].append(enterprise)
        loads[lightest] += weight(enterprise)
    total = len(bins)
    return [
        _entry(
            f"{i + 1}-of-{total}",
            sorted(b, key=lambda e: e.name),
            _names(sorted(b, key=lambda e: e.name)),
        )
        for i, b in enumerate(bins)
    ]
