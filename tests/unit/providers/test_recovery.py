"""The provider boundary over httpx.MockTransport: planned calls whose outcome is unknown: a lost create looked up by name (over a window when
no answer came), a DELETE answered 404, a create answered 409, twins."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reconciler import errors
from reconciler.providers.contextsms.client import ContextSmsClient
from tests.unit.providers.clients import (
    Handler,
    Recorder,
    c2t_client,
    csms_client,
    planned,
    run,
    token_answer,
)


def test_a_lost_create_is_looked_up_by_name_before_it_is_sent_again() -> None:
    posts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        if request.url.path == "/sms/createSMSGroup":
            posts.append(request.content.decode())
            return httpx.Response(503)  # the server made the group; the answer was lost
        assert request.url.path == "/sms/getSMSGroups/78"
        return httpx.Response(200, json=[{"groupId": 9, "groupName": "Front Desk"}])

    recorder = Recorder()
    client = c2t_client(handler, recorder)
    body = {"groupId": -1, "groupName": "Front Desk", "enterpriseId": 78}
    answer = run(client.send(planned(client, "group", {}, body)))
    assert answer == {"groupId": 9, "groupName": "Front Desk"}
    assert len(posts) == 1 and len(recorder.sleeps) == 1


def test_a_delete_answered_404_was_done_already() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/login":
            return httpx.Response(200, json={"accessToken": "a", "refreshToken": "r"})
        return httpx.Response(404, json={"error": "Mapping not found", "code": "NOT_FOUND"})

    client = csms_client(handler)
    assert run(client.send(planned(client, "deleteMapping", {"mappingId": "NTMAP1"}))) is None
    with pytest.raises(errors.NotFound):
        run(
            client.send(
                planned(client, "editMapping", {"mappingId": "NTMAP1"}, {"messagingAppId": "x"})
            )
        )


def test_a_create_answer_without_the_id_later_calls_need_is_malformed() -> None:
    posts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        if request.url.path == "/sms/createSMSGroup":
            posts.append(request.content.decode())
            if len(posts) == 1:
                return httpx.Response(200, json={"groupName": "Front Desk"})
            raise AssertionError("sent twice")
        return httpx.Response(200, json=[{"groupId": 9, "groupName": "Front Desk"}])

    body = {"groupId": -1, "groupName": "Front Desk", "enterpriseId": 78}
    client = c2t_client(handler, Recorder())
    answer = run(client.send(planned(client, "group", {}, body, ("groupId",))))
    # The first answer lacked groupId: unknown outcome, so it was looked up, not re-sent.
    assert answer == {"groupId": 9, "groupName": "Front Desk"}
    assert len(posts) == 1


def late_commit_handler(posts: list[str], lands_after_lookups: int, failure: Any) -> Handler:
    """A create whose answer never comes (`failure`), and whose row appears in the listing
    only after `lands_after_lookups` look-ups (a vendor that commits late)."""
    lookups: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        if request.url.path == "/sms/createSMSGroup":
            posts.append(request.content.decode())
            if len(posts) == 1:
                if isinstance(failure, httpx.Response):
                    return failure
                raise failure
            return httpx.Response(200, json={"groupId": 10, "groupName": "Front Desk"})
        lookups.append(1)
        if len(lookups) > lands_after_lookups:
            return httpx.Response(200, json=[{"groupId": 9, "groupName": "Front Desk"}])
        return httpx.Response(200, json=[])

    return handler


BODY = {"groupId": -1, "groupName": "Front Desk", "enterpriseId": 78}


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("late"), httpx.RemoteProtocolError("reset"), httpx.Response(504)],
    ids=["timeout", "connection dropped", "gateway timeout"],
)
def test_an_unanswered_create_is_looked_for_over_the_window_before_it_is_sent_again(
    failure: Any,
) -> None:
    posts: list[str] = []
    recorder = Recorder()
    client = c2t_client(
        late_commit_handler(posts, 3, failure), recorder, initial=0.5, lookup_window=30
    )
    answer = run(client.send(planned(client, "group", {}, BODY, ("groupId",))))
    assert answer == {"groupId": 9, "groupName": "Front Desk"}
    assert len(posts) == 1
    # the retry's backoff, then three look-ups that found nothing, 0.5 s, 1 s, 2 s apart
    assert recorder.sleeps[1:] == [0.5, 1.0, 2.0]


def test_after_the_window_the_create_is_sent_again() -> None:
    posts: list[str] = []
    recorder = Recorder()
    client = c2t_client(
        late_commit_handler(posts, 99, httpx.ReadTimeout("late")),
        recorder,
        initial=0.5,
        lookup_window=3,
    )
    answer = run(client.send(planned(client, "group", {}, BODY, ("groupId",))))
    assert answer == {"groupId": 10, "groupName": "Front Desk"}
    assert len(posts) == 2
    assert recorder.sleeps[1:] == [0.5, 1.0, 1.5]  # the window is 3 s in all


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(503), httpx.ConnectError("refused")],
    ids=["answered 503", "never connected"],
)
def test_a_create_the_vendor_answered_or_never_saw_is_looked_up_once(failure: Any) -> None:
    posts: list[str] = []
    recorder = Recorder()
    client = c2t_client(late_commit_handler(posts, 99, failure), recorder, lookup_window=30)
    answer = run(client.send(planned(client, "group", {}, BODY, ("groupId",))))
    assert answer == {"groupId": 10, "groupName": "Front Desk"}
    assert len(posts) == 2 and len(recorder.sleeps) == 1  # only the retry's own backoff


def csms_twins_handler(listing: list[dict[str, Any]], seen: list[str]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.url.path == "/auth/login":
            return httpx.Response(200, json={"accessToken": "a", "refreshToken": "r"})
        if request.method == "POST":
            return httpx.Response(201, json={"enterpriseId": "E0000092", "name": "Acme"})
        if request.method == "DELETE":
            return httpx.Response(200, text="Deleted enterprise E0000092")
        return httpx.Response(200, json=listing)

    return handler


def create_acme(client: ContextSmsClient) -> Any:
    body = {"name": "Acme", "contact": "A", "number": "+12025550143", "email": "a@acme.com"}
    return run(client.send(planned(client, "newEnterprise", {"cspId": "CSP0000003"}, body)))


def test_a_twin_made_by_a_concurrent_run_the_higher_id_deletes_its_own() -> None:
    listing = [
        {"enterpriseId": "E0000091", "name": "Acme", "deleted": False},
        {"enterpriseId": "E0000092", "name": "Acme", "deleted": False},
    ]
    seen: list[str] = []
    answer = create_acme(csms_client(csms_twins_handler(listing, seen)))
    assert answer == listing[0]  # it goes on with the winner
    assert seen == [
        "POST /auth/login",
        "POST /enterprise/CSP0000003",
        "GET /csp/enterprises/CSP0000003",
        "DELETE /enterprise/deleteenterprise/E0000092",
    ]


def test_the_lower_twin_keeps_its_own() -> None:
    listing = [
        {"enterpriseId": "E0000092", "name": "Acme", "deleted": False},
        {"enterpriseId": "E0000093", "name": "Acme", "deleted": False},
    ]
    seen: list[str] = []
    answer = create_acme(csms_client(csms_twins_handler(listing, seen)))
    assert answer == {"enterpriseId": "E0000092", "name": "Acme"}
    assert [s for s in seen if s.startswith("DELETE")] == []


def test_a_create_answered_409_whose_object_exists_was_made_concurrently() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        if request.url.path == "/sms/createSMSGroup":
            return httpx.Response(
                409, json={"error": "group exists", "code": "DUPLICATE_GROUP_NAME"}
            )
        return httpx.Response(200, json=[{"groupId": 9, "groupName": "Front Desk"}])

    client = c2t_client(handler, Recorder())
    answer = run(client.send(planned(client, "group", {}, BODY, ("groupId",))))
    assert answer == {"groupId": 9, "groupName": "Front Desk"}


def test_a_redirect_is_never_followed_and_a_login_page_is_no_answer() -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        if request.url.path == "/auth/login":
            return httpx.Response(200, json={"accessToken": "a", "refreshToken": "r"})
        if request.url.path.startswith("/mapping/"):
            return httpx.Response(302, headers={"location": "https://evil.example/steal?x=1"})
        return httpx.Response(200, text="<html><form>Sign in</form></html>")

    client = csms_client(handler)
    edit = planned(client, "editMapping", {"mappingId": "NTMAP1"}, {"messagingAppId": "x"})
    with pytest.raises(errors.Permanent) as moved:
        run(client.send(edit))
    assert str(moved.value).endswith(
        "redirected to https://evil.example: reconciler follows no redirect (credentials "
        "would go with it); if the vendor moved, put its new URL in reconciler.yaml"
    )
    assert "evil.example" not in hosts
    delete = planned(client, "deleteEnterprise", {"enterpriseId": "E1"})
    with pytest.raises(errors.Malformed, match=r"markup, not the API's answer"):
        run(client.send(delete))
