"""Shapes: what doctor checks of a read's answer."""

from __future__ import annotations

from reconciler.wire.endpoints import Shape


def test_a_shape_names_what_the_reader_would_miss() -> None:
    listing = Shape("object", rows="data", row_needs=("enterpriseId", "enterpriseName"))
    assert listing.problem({"data": [{"enterpriseId": 1, "enterpriseName": "A"}]}) is None
    assert (
        listing.problem({"data": [{"enterpriseId": 1}]}) == "item 0 of 'data' has no enterpriseName"
    )
    assert listing.problem({"rows": []}) == "no data in it"
    assert listing.problem({"data": "x"}) == "expected a list under 'data', got text"
    assert listing.problem([]) == "expected a JSON object, got a list"
    users = Shape("list", row_needs=("userId",))
    assert users.problem([{"userId": "a"}, "b"]) == "item 1 of the list has no userId"
    assert (users.count([{"userId": "a"}]), listing.count({"data": []})) == (1, 0)
    assert Shape("object", ("appSynced",)).problem({"enabled": True}) == "no appSynced in it"
