"""The executor over a real session whose transport is httpx.MockTransport: refs,
partial failure, skipped dependents, the Sync that still runs, and the events."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

import httpx

from reconciler.apply import executor
from reconciler.apply.outcome import Event, Outcome
from reconciler.config.loader import Config
from reconciler.config.model import ProjectConfig
from reconciler.plan.model import Call, Change, EnterprisePlan, Plan, ref
from reconciler.providers.session import Session, SessionOptions

CONFIG = Config(
    None,
    ProjectConfig.model_validate(
        {
            "providers": {
                "connecttoteams": {
                    "url": "http://127.0.0.1:9/c2t",
                    "clientId": "i",
                    "clientSecret": "s",
                    "username": "u",
                    "password": "p",
                    "resellerId": 54,
                }
            },
            "apply": {
                "rateLimit": {"connecttoteams": None},
                "retry": {"attempts": 2, "initialBackoff": 0, "maxBackoff": 0},
            },
        }
    ),
)


def untimed(outcomes: tuple[Outcome, ...]) -> tuple[Outcome, ...]:
    """The outcomes without their times, checked to be there for each change that ran."""
    for outcome in outcomes:
        if outcome.status == "applied":
            assert outcome.started is not None and outcome.seconds >= 0, outcome
    return tuple(dataclasses.replace(o, started=None, seconds=0.0) for o in outcomes)


def call(operation: str, path: str, phase: int, body: Any = None, **extra: Any) -> Call:
    return Call(
        api="connecttoteams",
        operation=operation,
        method="POST",
        path=path,
        body=body,
        phase=phase,
        **extra,
    )


def change(key: str, *calls: Call, depends: tuple[str, ...] = ()) -> Change:
    kind = "sync" if key == "sync" else "smsUser"
    return Change(
        id=f"acme/{kind}/{key}",
        enterprise="acme",
        kind=kind,
        key=key,
        action="sync" if key == "sync" else "create",
        calls=calls,
        dependsOn=depends,
        runsAfterFailures=key == "sync",  # as the planner sets it from the kind's entry
    )


def run(plan: Plan, handler: Any) -> tuple[list[Event], Any, list[tuple[str, Any]]]:
    events: list[Event] = []
    seen: list[tuple[str, Any]] = []

    def record(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content.startswith(b"{") else None
        if request.url.path != "/c2t/oauth/token":
            seen.append((request.url.path, body))
        return handler(request)

    async def go() -> Any:
        async with Session(
            CONFIG, SessionOptions(transport=httpx.MockTransport(record))
        ) as session:
            return await executor.execute(plan, session, parallelism=2, on_event=events.append)

    return events, asyncio.run(go()), seen


def token_or(request: httpx.Request, answer: httpx.Response) -> httpx.Response:
    if request.url.path == "/c2t/oauth/token":
        return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
    return answer


def test_refs_flow_from_the_call_that_produces_them() -> None:
    new = call(
        "newEnterprise", "/reseller/newEnterprise", 2, {"enterpriseName": "Acme", "resellerId": 54}
    )
    new = new.model_copy(update={"produces": {"acme/id": "enterpriseId"}})
    enable = call("enableUser", "/sms/enableSMSServiceForUser", 6, {"enterpriseId": ref("acme/id")})
    sync = call("sync", "/enterprise/syncUnifiedApp/{enterpriseId}", 14)
    sync = sync.model_copy(update={"pathParams": {"enterpriseId": ref("acme/id")}})
    plan = Plan(
        enterprises=(
            EnterprisePlan(
                name="acme",
                ids={},
                changes=(
                    change("Acme", new),
                    change("a@x.com", enable, depends=("acme/smsUser/Acme",)),
                    # as the planner makes it: Sync waits for every other change
                    change("sync", sync, depends=("acme/smsUser/Acme", "acme/smsUser/a@x.com")),
                ),
            ),
        )
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return token_or(request, httpx.Response(200, json={"enterpriseId": 91}))

    events, report, seen = run(plan, handler)
    assert seen == [
        ("/c2t/reseller/newEnterprise", {"enterpriseName": "Acme", "resellerId": 54}),
        ("/c2t/reseller/v3/getEnterprisesForReseller", None),  # a twin? (none)
        ("/c2t/sms/enableSMSServiceForUser", {"enterpriseId": 91}),
        ("/c2t/enterprise/syncUnifiedApp/91", None),
    ]
    assert untimed(report.outcomes) == (
        Outcome("acme/smsUser/Acme", "acme", "applied"),
        Outcome("acme/smsUser/a@x.com", "acme", "applied"),
        Outcome("acme/sync/sync", "acme", "applied"),
    )
    assert report.calls == 5  # the token, three writes and the look for a twin
    assert [(e.kind, e.change_id, e.done) for e in events] == [
        ("start", "acme/smsUser/Acme", 0),
        ("finish", "acme/smsUser/Acme", 1),
        ("start", "acme/smsUser/a@x.com", 1),
        ("finish", "acme/smsUser/a@x.com", 2),
        ("start", "acme/sync/sync", 2),
        ("finish", "acme/sync/sync", 3),
    ]


OTHERS = ("bad", "good", "bad-dids")


def test_a_failure_skips_its_dependents_and_the_sync_still_runs() -> None:
    bad = call("enableUser", "/sms/enableSMSServiceForUser", 6, {"userId": "bad"})
    good = call("enableUser", "/sms/enableSMSServiceForUser", 6, {"userId": "good"})
    dids = call("userDids", "/sms/addSMSDidsForUser", 7, {"userId": "bad"})
    sync = call("sync", "/enterprise/syncUnifiedApp/78", 14)
    plan = Plan(
        enterprises=(
            EnterprisePlan(
                name="acme",
                ids={"connecttoteams": 78},
                changes=(
                    change("bad", bad),
                    change("good", good),
                    change("bad-dids", dids, depends=("acme/smsUser/bad",)),
                    change("sync", sync, depends=tuple(f"acme/smsUser/{k}" for k in OTHERS)),
                ),
            ),
        )
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if b'"bad"' in request.content:
            answer = httpx.Response(404, json={"error": "no such user", "code": "USER_NOT_FOUND"})
        else:
            answer = httpx.Response(200, json={})
        return token_or(request, answer)

    _, report, seen = run(plan, handler)
    assert [path for path, _ in seen] == [
        "/c2t/sms/enableSMSServiceForUser",
        "/c2t/sms/enableSMSServiceForUser",
        "/c2t/enterprise/syncUnifiedApp/78",
    ]
    assert untimed(report.outcomes) == (
        Outcome(
            "acme/smsUser/bad",
            "acme",
            "failed",
            "ConnecttoTeams enableUser: 404 USER_NOT_FOUND: no such user",
        ),
        Outcome("acme/smsUser/good", "acme", "applied"),
        Outcome(
            "acme/smsUser/bad-dids", "acme", "skipped", "depends on acme/smsUser/bad, which failed"
        ),
        Outcome("acme/sync/sync", "acme", "applied"),
    )
    assert not report.ok and (report.count("failed"), report.count("skipped")) == (1, 1)


def test_a_change_that_depends_on_a_held_back_one_is_skipped() -> None:
    mapping = call("addMapping", "/mapping/add/E1", 13, {"phoneNumber": "+12025550101"})
    waiting = change("+12025550101", mapping, depends=("other/mapping/+12025550101",))
    plan = Plan(enterprises=(EnterprisePlan(name="acme", ids={}, changes=(waiting,)),))

    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"nothing is sent: {request.url}")

    _, report, seen = run(plan, handler)
    assert seen == []
    assert untimed(report.outcomes) == (
        Outcome(
            "acme/smsUser/+12025550101",
            "acme",
            "skipped",
            "depends on other/mapping/+12025550101, which is held back",
        ),
    )


def test_a_swap_releases_both_numbers_before_either_is_taken() -> None:
    def swap(user: str, other: str) -> Change:
        release = call("userDids", "/sms/addSMSDidsForUser", 4, {"userId": user, "assigned": False})
        take = call("userDids", "/sms/addSMSDidsForUser", 7, {"userId": user, "assigned": True})
        return change(user, release, take, depends=(f"acme/smsUser/{other}",))

    plan = Plan(
        enterprises=(
            EnterprisePlan(
                name="acme",
                ids={},
                changes=(swap("a@x.com", "b@x.com"), swap("b@x.com", "a@x.com")),
            ),
        )
    )
    _, report, seen = run(plan, lambda request: token_or(request, httpx.Response(200, json={})))
    assert [body["assigned"] for _, body in seen] == [False, False, True, True]
    assert report.ok


def test_the_sync_waits_for_the_others_and_runs_even_when_one_failed() -> None:
    bad = call("enableUser", "/sms/enableSMSServiceForUser", 6, {"userId": "bad"})
    slow = call("enableUser", "/sms/enableSMSServiceForUser", 6, {"userId": "slow"})
    sync = call("sync", "/enterprise/syncUnifiedApp/78", 14)
    changes = (
        change("bad", bad),
        change("slow", slow),
        change("sync", sync, depends=("acme/smsUser/bad", "acme/smsUser/slow")),
    )
    plan = Plan(enterprises=(EnterprisePlan(name="acme", ids={}, changes=changes),))

    def handler(request: httpx.Request) -> httpx.Response:
        if b'"bad"' in request.content:
            return token_or(request, httpx.Response(400, json={"error": "no", "code": "BAD"}))
        return token_or(request, httpx.Response(200, json={}))

    _, report, seen = run(plan, handler)
    assert seen[-1] == ("/c2t/enterprise/syncUnifiedApp/78", None)
    assert [o.status for o in report.outcomes] == ["failed", "applied", "applied"]


def test_whether_a_change_runs_after_a_failure_is_its_own_property_not_its_kind() -> None:
    """The executor reads `runsAfterFailures` (the planner sets it from the kind's entry);
    a change not marked is skipped after the failure it waits for, whatever its kind."""
    bad = call("userDids", "/sms/addSMSDidsForUser", 7, {"userId": "bad"})
    after = call("enableUser", "/sms/enableSMSServiceForUser", 8, {"userId": "after"})
    sync = call("sync", "/enterprise/syncUnifiedApp/78", 14)
    marked = change("after", after, depends=("acme/smsUser/bad",))
    marked = marked.model_copy(update={"runsAfterFailures": True})
    unmarked = change("sync", sync, depends=("acme/smsUser/bad",))
    unmarked = unmarked.model_copy(update={"runsAfterFailures": False})
    plan = Plan(
        enterprises=(
            EnterprisePlan(name="acme", ids={}, changes=(change("bad", bad), marked, unmarked)),
        )
    )

    def handler(request: httpx.Request) -> httpx.Response:
        failing = httpx.Response(400, json={"error": "no such DID", "code": "BAD_REQUEST"})
        ok = httpx.Response(200, json={})
        return token_or(request, failing if b'"bad"' in request.content else ok)

    _, report, seen = run(plan, handler)
    assert [path for path, _ in seen] == [
        "/c2t/sms/addSMSDidsForUser",
        "/c2t/sms/enableSMSServiceForUser",
    ]
    assert [(o.change_id, o.status) for o in report.outcomes] == [
        ("acme/smsUser/bad", "failed"),
        ("acme/smsUser/after", "applied"),
        ("acme/sync/sync", "skipped"),
    ]
    assert report.outcomes[2].reason == "depends on acme/smsUser/bad, which failed"
