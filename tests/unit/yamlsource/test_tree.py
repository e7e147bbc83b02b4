from __future__ import annotations

import pytest
import yaml

from reconciler.yamlsource import tree as yamltree
from reconciler.yamlsource.tree import Position


def test_positions_of_values_and_keys() -> None:
    [doc] = yamltree.parse("a:\n  b: [1, 2]\n  c: x\n")
    assert doc.value == {"a": {"b": [1, 2], "c": "x"}}
    assert doc.position(("a", "b", 1)) == Position(2, 10)
    assert doc.position(("a", "c"), key=True) == Position(3, 3)
    assert doc.position(("a", "missing", 3)) == Position(2, 3)


def test_duplicate_key_is_a_problem_and_first_value_kept() -> None:
    [doc] = yamltree.parse("a: 1\nb: 2\na: 3\n")
    assert doc.value == {"a": 1, "b": 2}
    [problem] = doc.problems
    assert problem.position == Position(3, 1)
    assert problem.path == ("a",)
    assert "duplicate key 'a' (first at line 1)" in problem.message


def test_multiple_documents_and_empty_ones() -> None:
    docs = list(yamltree.parse("a: 1\n---\n---\nb: 2\n"))
    assert [d.value for d in docs] == [{"a": 1}, {"b": 2}]
    assert [d.index for d in docs] == [0, 2]


def test_aliases_resolve() -> None:
    [doc] = yamltree.parse("x: &n [1]\ny: *n\n")
    assert doc.value == {"x": [1], "y": [1]}


def test_syntax_error_position() -> None:
    with pytest.raises(yaml.YAMLError) as info:
        list(yamltree.parse("a: [1, 2\nb: 3\n"))
    position, message = yamltree.syntax_error_position(info.value)
    assert position.line == 2
    assert message.startswith("YAML syntax error: ")
    assert "started at line 1, column 4" in message


def test_an_alias_of_a_scalar_is_a_key_like_any_other() -> None:
    [doc] = yamltree.parse("a: &k b\n*k : 1\n")
    assert (doc.value, doc.problems) == ({"a": "b", "b": 1}, [])


def test_collection_and_null_keys_are_refused() -> None:
    [doc] = yamltree.parse("? [x]\n: 1\n~: 2\nok: 3\n")
    assert doc.value == {"ok": 3}
    assert [p.message for p in doc.problems] == ["mapping keys must be plain strings"] * 2


def test_a_duplicate_anchor_is_refused_with_both_places() -> None:
    with pytest.raises(yaml.YAMLError) as info:
        list(yamltree.parse("a: &k b\nc: &k d\ne: *k\n"))
    position, message = yamltree.syntax_error_position(info.value)
    assert (position, message) == (
        Position(2, 4),
        "duplicate anchor &k (first at line 1, column 4): rename one of them",
    )


QUICK_AND_PLACED = [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: null, e: 1.5}\n",
    "on: yes\n1.0: 0123\nt: 1:20\nn: 1_000\nq: '+12025550143'\n",
    "- a\n- - b\n  - {c: d}\n---\nsecond: true\n---\n",
    "base: &b {x: 1}\nuse: *b\nmerged:\n  <<: *b\n  y: 2\n",  # anchors: read placed
    "a: 1\na: 2\n",  # a duplicate: read placed, with its problem
    "? [k]\n: v\n",  # a key that is no scalar
    "!!str 5: x\nd: !!int '7'\n",  # tags
]


@pytest.mark.parametrize("text", QUICK_AND_PLACED)
def test_the_quick_reading_gives_what_the_placed_one_does(text: str) -> None:
    quick = list(yamltree.parse(text))
    placed = list(yamltree._placed(text))
    assert [(d.index, d.value, d.problems) for d in quick] == [
        (d.index, d.value, d.problems) for d in placed
    ]
    for q, p in zip(quick, placed, strict=True):  # places, read when first asked
        assert q.values == p.values and q.keys == p.keys


def test_places_of_a_document_read_quickly_are_read_when_asked() -> None:
    doc = list(yamltree.parse("a: 1\n---\nb:\n  c: [x, y]\n"))[1]
    assert doc.tables is None
    assert doc.position(("b", "c", 1)) == Position(4, 10)
    assert doc.position(("b",), key=True) == Position(3, 1)
