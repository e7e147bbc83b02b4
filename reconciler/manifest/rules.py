"""Cross-object rules: what no single field can check on its own.

Runs after every document passed its schema. Each rule reports at the place of the
second occurrence and names the first, so an author can find both.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from reconciler.manifest.documents import EnterpriseDocument
from reconciler.model.kinds import KINDS, MAPPING, SMS_GROUP, SMS_USER
from reconciler.yamlsource.problems import Problem
from reconciler.yamlsource.tree import Document, Path


@dataclasses.dataclass(frozen=True)
class Parsed:
    """A document that passed its schema: where it came from and what it says."""

    file: str
    doc: Document
    model: EnterpriseDocument

    @property
    def name(self) -> str:
        return self.model.metadata.name

    def problem(self, path: Path, message: str, *, key: bool = False) -> Problem:
        return Problem(self.file, self.doc.index, self.doc.position(path, key=key), path, message)

    def where(self, path: Path) -> str:
        pos = self.doc.position(path)
        return f"{self.file}:{pos.line}:{pos.column}"


@dataclasses.dataclass(frozen=True)
class _Claim:
    parsed: Parsed
    path: Path
    holder: str  # "SMS user 'alice@x.com'" / "SMS group 'Front Desk'"

    def describe(self) -> str:
        return f"{self.holder} of enterprise '{self.parsed.name}' ({self.parsed.where(self.path)})"


def check(parsed: list[Parsed]) -> list[Problem]:
    """Every cross-object problem of the whole set of documents."""
    problems = list(_unique_names(parsed))
    for item in parsed:
        problems += _services(item)
        problems += _sections(item)
        problems += _duplicates(item)
    problems += _number_claims(parsed)
    problems += _mapping_claims(parsed)
    return problems


def _unique_names(parsed: list[Parsed]) -> Iterator[Problem]:
    seen: dict[str, Parsed] = {}
    for item in parsed:
        first = seen.setdefault(item.name, item)
        if first is not item:
            path: Path = ("metadata", "name")
            yield item.problem(
                path,
                f"enterprise name '{item.name}' is already used at {first.where(path)}: "
                "names must be unique across all manifests",
            )


def _services(item: Parsed) -> Iterator[Problem]:
    spec = item.model.spec
    c2t = spec.connecttoteams
    services = set(c2t.services) if c2t else set()
    path: Path = ("spec", "connecttoteams", "services")
    if c2t and "CALLAPP" in services and "PBX" not in services:
        yield item.problem(path, "service CALLAPP needs PBX: add PBX to services")
    for field, label in (("smsUsers", "SMS users"), ("smsGroups", "SMS groups")):
        if not getattr(spec, field):
            continue
        if c2t is None:
            yield item.problem(
                ("spec", field),
                f"{label} need a spec.connecttoteams section with SMS in its services",
            )
        elif "SMS" not in services:
            yield item.problem(
                path, f"{label} are configured but SMS is not in services: add SMS to services"
            )


def _sections(item: Parsed) -> Iterator[Problem]:
    spec = item.model.spec
    if spec.mappings and spec.contextsms is None:
        yield item.problem(
            ("spec", "mappings"),
            "mappings need a spec.contextsms section (the ContextSMS enterprise that holds them)",
        )


def _duplicates(item: Parsed) -> Iterator[Problem]:
    spec = item.model.spec
    users, groups, mappings = (KINDS[k].label for k in (SMS_USER, SMS_GROUP, MAPPING))
    yield from _dupes(item, "smsUsers", [u.userId for u in spec.smsUsers], "userId", users)
    yield from _dupes(item, "smsGroups", [g.name for g in spec.smsGroups], "name", groups)
    yield from _dupes(
        item, "mappings", [m.phoneNumber for m in spec.mappings], "phoneNumber", mappings
    )
    if spec.connecttoteams is not None:
        path: Path = ("spec", "connecttoteams", "services")
        yield from _list_dupes(item, path, spec.connecttoteams.services, "service")
    for i, user in enumerate(spec.smsUsers):
        yield from _list_dupes(item, ("spec", "smsUsers", i, "numbers"), user.numbers, "number")
    for i, group in enumerate(spec.smsGroups):
        yield from _list_dupes(item, ("spec", "smsGroups", i, "numbers"), group.numbers, "number")
        yield from _list_dupes(item, ("spec", "smsGroups", i, "members"), group.members, "member")
    yield from _renames(item)


def _renames(item: Parsed) -> Iterator[Problem]:
    """A former name must not be a group of this manifest (then both would be wanted),
    nor the former name of two groups (which one would get the live group?)."""
    groups = item.model.spec.smsGroups
    index = {g.name: i for i, g in enumerate(groups)}
    claimed: dict[str, int] = {}
    for i, group in enumerate(groups):
        single = isinstance(group.renamedFrom, str)
        for k, old in enumerate(group.former_names):
            path: Path = ("spec", "smsGroups", i, "renamedFrom", *(() if single else (k,)))
            if old in index:
                yield item.problem(
                    path,
                    f"SMS group '{group.name}' is renamed from '{old}', but '{old}' is also a"
                    f" group of this manifest (spec.smsGroups[{index[old]}],"
                    f" {item.where(('spec', 'smsGroups', index[old]))}): remove one of them",
                )
            elif claimed.setdefault(old, i) != i:
                yield item.problem(
                    path,
                    f"'{old}' is the former name of two SMS groups: '{groups[claimed[old]].name}'"
                    f" and '{group.name}': keep it on one",
                )


def _dupes(
    item: Parsed, field: str, keys: list[str], key_field: str, label: str
) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        j = first.setdefault(key, i)
        if j != i:
            yield item.problem(
                ("spec", field, i, key_field),
                f"duplicate {label} '{key}': already defined at spec.{field}[{j}] "
                f"({item.where(('spec', field, j))})",
            )


def _list_dupes(item: Parsed, path: Path, values: tuple[str, ...], label: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for i, value in enumerate(values):
        j = first.setdefault(value, i)
        if j != i:
            yield item.problem(
                (*path, i), f"{label} '{value}' is listed twice (also at index {j}): remove one"
            )


def _number_claims(parsed: list[Parsed]) -> Iterator[Problem]:
    claims: dict[str, _Claim] = {}
    for item in parsed:
        spec = item.model.spec
        holders = [
            (("spec", "smsUsers", i), f"SMS user '{u.userId}'", u.numbers)
            for i, u in enumerate(spec.smsUsers)
        ] + [
            (("spec", "smsGroups", i), f"SMS group '{g.name}'", g.numbers)
            for i, g in enumerate(spec.smsGroups)
        ]
        for base, holder, numbers in holders:
            for index, number in enumerate(numbers):
                claim = _Claim(item, (*base, "numbers", index), holder)
                first = claims.setdefault(number, claim)
                if first is not claim and not _same_holder(first, claim):
                    yield item.problem(
                        claim.path,
                        f"number {number} is claimed twice: by {first.describe()} and by "
                        f"{claim.describe()}; a number has one assignee",
                    )


def _same_holder(a: _Claim, b: _Claim) -> bool:
    return a.parsed is b.parsed and a.path[:3] == b.path[:3]


def _mapping_claims(parsed: list[Parsed]) -> Iterator[Problem]:
    seen: dict[str, tuple[Parsed, Path]] = {}
    for item in parsed:
        for index, mapping in enumerate(item.model.spec.mappings):
            number = mapping.phoneNumber
            path: Path = ("spec", "mappings", index, "phoneNumber")
            first = seen.setdefault(number, (item, path))
            if first[0] is not item:
                yield item.problem(
                    path,
                    f"number {number} is mapped in enterprise '{first[0].name}' too "
                    f"({first[0].where(first[1])}): a number maps to one Teams app",
                )
