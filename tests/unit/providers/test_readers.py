"""The readers keep one enterprise's trouble its own: a listing that fails is the failure
of every enterprise it lists, one enterprise's failed read only that one's, an answer
that is not what the contract says a read problem naming it, a missing pin a conflict;
a CSP's failed reads its enterprises' only; a failed payment check only its enterprise's."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from reconciler.model import kinds, live, state
from reconciler.providers.connecttoteams import reader as c2t_reader
from reconciler.providers.contextsms import reader as csms_reader
from tests.unit.providers.clients import Recorder, c2t_client, csms_client, token_answer

Answers = Callable[[httpx.Request], httpx.Response]


def c2t(answers: Answers) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token_answer("t")
        return answers(request)

    return c2t_client(handler, Recorder(), attempts=1)


def csms(answers: Answers) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/login":
            return httpx.Response(200, json={"accessToken": "a"})
        return answers(request)

    return csms_client(handler, attempts=1)


def wanting(name: str, *, pin: int | None = None, csp: str | None = None) -> state.Enterprise:
    section = kinds.ConnecttoTeamsEnterprise(enterpriseName=name.title(), enterpriseId=pin)
    contextsms = (
        kinds.ContextSmsEnterprise(
            cspId=csp, name=name.title(), contact="c", number="+12025550143", email="c@x.com"
        )
        if csp
        else None
    )
    return state.Enterprise(name=name, connecttoteams=section, contextsms=contextsms)


LISTING = {
    "data": [
        {"enterpriseId": 1, "enterpriseName": "Acme"},
        {"enterpriseId": 2, "enterpriseName": "Beta"},
    ]
}


def test_a_failed_listing_fails_every_enterprise_it_would_list() -> None:
    def answers(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"error": "not your reseller", "code": "FORBIDDEN"})

    found = asyncio.run(c2t_reader.read(c2t(answers), [wanting("acme"), wanting("beta")]))
    assert found.found == {} and sorted(found.failed) == ["acme", "beta"]
    assert found.failed["acme"].message == (
        "cannot read it: ConnecttoTeams listEnterprises: 403 FORBIDDEN: not your reseller"
    )
    assert (found.failed["acme"].api, found.failed["acme"].operation) == (
        "ConnecttoTeams",
        "listEnterprises",
    )
    assert found.facts == {"resellerId": 54}


def test_one_enterprises_trouble_is_its_own() -> None:
    def answers(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if "getEnterprisesForReseller" in path:
            return httpx.Response(200, json=LISTING)
        if path == "/sms/getSMSUsers/2":  # beta's users: not what the contract says
            return httpx.Response(200, json=[{"no": "userId"}])
        if "getEnterpriseSMSConfig" in path:
            return httpx.Response(200, json={"appSynced": True})
        return httpx.Response(200, json=[])

    wanted = [wanting("acme"), wanting("beta"), wanting("gamma", pin=9), wanting("new")]
    found = asyncio.run(c2t_reader.read(c2t(answers), wanted))
    assert sorted(found.found) == ["acme"]  # "new" is not there yet: no part, no failure
    assert found.found["acme"].facts["connecttoteams"].enterpriseId == 1
    assert found.failed["beta"].kind == "read"
    assert found.failed["beta"].message == (
        "cannot read it: an answer is not what the API contract describes (KeyError: 'userId')"
    )
    assert (found.failed["gamma"].kind, found.failed["gamma"].message) == (
        "conflict",
        "spec.connecttoteams.enterpriseId 9 does not exist for this reseller: fix or remove the pin",
    )


def test_reads_that_disagree_are_sent_again_a_bounded_number_of_times() -> None:
    # acme's inventory names group 7, which its group listing never shows (a dangling
    # reference, say): read three times in all, then planned as read, the holder by its id.
    asked: Counter[str] = Counter()

    def answers(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        asked[path] += 1
        if "getEnterprisesForReseller" in path:
            return httpx.Response(200, json={"data": [LISTING["data"][0]]})
        if "getPhoneNumbers" in path:
            held = {"type": "SMS_GROUP", "id": 7}
            row = {"id": 3, "countryCode": "1", "phoneNumber": "2025550110", "sms": True}
            return httpx.Response(200, json=[{**row, "assignedTo": held}])
        if "getEnterpriseSMSConfig" in path:
            return httpx.Response(200, json={"appSynced": True})
        return httpx.Response(200, json=[])

    found = asyncio.run(c2t_reader.read(c2t(answers), [wanting("acme")]))
    inventory = found.found["acme"].facts["connecttoteams"].inventory
    assert inventory["+12025550110"].holder == live.Holder(type="SMS_GROUP", id="7", name="7")
    assert asked == {
        "/reseller/v3/getEnterprisesForReseller": 1,
        "/enterprise/getPhoneNumbers/1": 3,
        "/sms/getEnterpriseSMSConfig/1": 3,
        "/sms/getSMSUsers/1": 3,
        "/sms/getSMSGroups/1": 3,
    }


def test_a_csps_failed_reads_are_its_enterprises_only() -> None:
    def answers(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("CSP0000001"):
            return httpx.Response(500, json={"error": "CSP store down"})
        if path == "/csp/enterprises/CSP0000002":
            return httpx.Response(200, json=[{"enterpriseId": "E0000005", "name": "Beta"}])
        return httpx.Response(200, json=[])

    wanted = [
        wanting("acme", csp="CSP0000001"),
        wanting("beta", csp="CSP0000002"),
        wanting("other"),
    ]
    found = asyncio.run(csms_reader.read(csms(answers), wanted))
    assert sorted(found.found) == ["beta"] and sorted(found.failed) == ["acme"]
    assert found.failed["acme"].message.startswith("cannot read it: ContextSMS ")
    part = found.found["beta"]
    assert part.facts["contextsms"].enterpriseId == "E0000005"
    assert part.essence["mappings"] == {}


def test_a_failed_payment_check_is_its_enterprises_problem() -> None:
    def answers(request: httpx.Request) -> httpx.Response:
        if b"broke@x.com" in request.content:
            return httpx.Response(400, json={"error": "unknown customer"})
        return httpx.Response(200, json={"paid": True, "subscriptionStatus": "active"})

    paid = asyncio.run(csms_reader.payments(csms(answers), {"a": "ok@x.com", "b": "broke@x.com"}))
    assert paid["a"] == live.Payment(email="ok@x.com", paid=True, subscriptionStatus="active")
    problem = paid["b"]
    assert not isinstance(problem, live.Payment)
    assert (problem.enterprise, problem.message) == (
        "b",
        "cannot read it: ContextSMS checkPayment: 400: unknown customer",
    )
