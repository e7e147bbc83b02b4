"""YAML with positions, put to work: pydantic's errors in words a manifest author can act
on, at the line and column of the node (the key for an unknown field, the parent for a
missing one); and the report of problems, one header per document, sorted by place."""

from __future__ import annotations

from typing import Annotated

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from reconciler.yamlsource import problems, translate, tree
from reconciler.yamlsource.problems import Problem
from reconciler.yamlsource.tree import Position


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")
    userId: str
    weight: Annotated[int, Field(ge=0, le=10)] = 1


class Team(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    members: list[Member] = []
    active: bool = True


def errors_of(text: str) -> list[tuple[int, int, str, str]]:
    [doc] = tree.parse(text)
    try:
        Team.model_validate(doc.value)
    except pydantic.ValidationError as exc:
        found = []
        for error in exc.errors(include_url=False):
            position, path, message = translate.translate(error, doc, Team)
            found.append((position.line, position.column, problems.format_path(path), message))
        return found
    return []


def test_an_unknown_field_is_named_at_its_key_with_the_nearest_known_one() -> None:
    assert errors_of("name: a\nmembers:\n  - userId: x\n    wieght: 2\n") == [
        (4, 5, "members[0].wieght", "unknown field 'wieght': did you mean 'weight'?")
    ]


def test_a_missing_field_is_named_where_its_mapping_is() -> None:
    assert errors_of("name: a\nmembers:\n  - weight: 2\n") == [
        (3, 5, "members[0]", "missing required field 'userId'")
    ]


def test_types_and_bounds_in_words() -> None:
    found = errors_of("name: [1]\nactive: maybe\nmembers:\n  - {userId: x, weight: 11}\n")
    assert sorted(found) == [
        (1, 7, "name", "expected a string, got a list"),
        (2, 9, "active", "expected true or false, got a string"),
        (4, 25, "members[0].weight", "must be at most 10, got 11"),
    ]


def test_paths_as_people_read_them() -> None:
    assert (
        problems.format_path(("spec", "smsUsers", 3, "numbers", 0)) == "spec.smsUsers[3].numbers[0]"
    )
    assert problems.format_path(()) == "(document)"


def test_the_report_groups_by_document_and_sorts_by_place() -> None:
    found = [
        Problem("b.yaml", 0, Position(9, 3), ("spec",), "second"),
        Problem("a.yaml", -1, Position(1, 1), (), "not UTF-8 text (byte 3)"),
        Problem("b.yaml", 0, Position(2, 1), ("kind",), "first"),
        Problem("b.yaml", 1, Position(14, 1), ("metadata",), "empty", severity="warning"),
    ]
    titles = {("b.yaml", 0): "Enterprise acme"}
    assert problems.render_report(found, titles).splitlines() == [
        "a.yaml:",
        "  a.yaml:1:1: not UTF-8 text (byte 3)",
        "b.yaml: document 1 (Enterprise acme):",
        "  b.yaml:2:1: kind: first",
        "  b.yaml:9:3: spec: second",
        "b.yaml: document 2:",
        "  b.yaml:14:1: metadata: warning: empty",
    ]
    assert found[0].location() == "b.yaml:9:3"
