"""Endpoints: the shapes doctor checks, the overrides of assumed paths, and a request's path
formatted once."""

from __future__ import annotations

import pytest

from reconciler import errors
from reconciler.wire import connecttoteams as c2t_wire
from reconciler.wire.endpoints import Request, Shape


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


def test_endpoint_overrides() -> None:
    table = c2t_wire.endpoints({"listUsers": "GET /sms/v2/users/{enterpriseId}"})
    assert (table["listUsers"].method, table["listUsers"].path) == (
        "GET",
        "/sms/v2/users/{enterpriseId}",
    )
    with pytest.raises(errors.ConfigError) as unknown:
        c2t_wire.endpoints({"listUser": "/x"}, "conf.yaml")
    assert str(unknown.value).startswith(
        "conf.yaml: providers.connecttoteams.endpoints.listUser: unknown operation; expected "
        "one of addMembers, authenticatedUser, editEnterprise,"
    )
    with pytest.raises(errors.ConfigError) as placeholders:
        c2t_wire.endpoints({"listUsers": "/sms/users"})
    assert str(placeholders.value) == (
        "reconciler.yaml: providers.connecttoteams.endpoints.listUsers: the path must use the "
        "placeholders {enterpriseId}"
    )


def test_a_request_fills_its_placeholders_and_queries_the_rest() -> None:
    request = Request.to(
        "delivery", "GET", "/report/{requestId}", {"requestId": "R1", "token": "t"}
    )
    assert (request.path, request.template, dict(request.params), request.query) == (
        "/report/R1",
        "/report/{requestId}",
        {"requestId": "R1"},
        {"token": "t"},
    )
    endpoint = c2t_wire.ENDPOINTS["listUsers"]
    users = endpoint.request("listUsers", {"enterpriseId": 78}, json=None)
    assert (users.method, users.path, users.query, users.authenticate) == (
        "POST",
        "/sms/getSMSUsers/78",
        None,
        True,
    )
    with pytest.raises(KeyError):
        Request.to("listUsers", "POST", "/sms/getSMSUsers/{enterpriseId}", {})
