"""The agent's HTTP surface on a real agent (its clone opened, no cycle run yet): the bearer
token, the push hook's signatures, what is queued for the loop."""

from __future__ import annotations

import hashlib
import hmac
import json
import pathlib
import queue
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from reconciler.agent.cycle import Agent, Setup
from reconciler.agent.repository import Repository
from reconciler.agent.server import Trigger, create_app, signed
from tests.unit.agent.gitrepo import Remote

CONFIG = """\
providers:
  connectel:
    url: http://127.0.0.1:9/connectel/api/v2
    token: ${CONNECTEL_TOKEN}
agent:
  webhookSecret: ${HOOK_SECRET}
  token: ${AGENT_TOKEN}
"""
ENV = {"CONNECTEL_TOKEN": "c", "HOOK_SECRET": "h00k-secret", "AGENT_TOKEN": "t0ken-1234"}
AUTH = {"Authorization": "Bearer t0ken-1234"}


def opened(tmp_path: pathlib.Path, config: str) -> Agent:
    remote = Remote(tmp_path / "origin")
    remote.write("reconciler.yaml", config)
    remote.commit("Config")
    repository = Repository(str(remote.bare), tmp_path / "state" / "repo")
    agent = Agent(Setup(repository, tmp_path / "state", env=ENV))
    agent.open()
    return agent


@pytest.fixture
def served(
    tmp_path: pathlib.Path,
) -> Iterator[tuple[TestClient, queue.Queue[Trigger | None], Agent]]:
    agent = opened(tmp_path, CONFIG)
    triggers: queue.Queue[Trigger | None] = queue.Queue()
    yield TestClient(create_app(agent, triggers)), triggers, agent
    agent.close()


def github(body: bytes, secret: str = "h00k-secret") -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "X-GitHub-Event": "push"}


def test_everything_but_healthz_and_the_hook_asks_for_the_token(
    served: tuple[TestClient, queue.Queue[Trigger | None], Agent],
) -> None:
    client, triggers, agent = served
    assert (client.get("/healthz").status_code, client.get("/healthz").text) == (200, "ok\n")
    for method, path in [
        ("GET", "/"),
        ("GET", "/api/status"),
        ("GET", "/metrics"),
        ("GET", "/readyz"),
        ("POST", "/api/sync"),
    ]:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "t0ken-1234"}):
            answer = client.request(method, path, headers=headers)
            assert (answer.status_code, answer.json()) == (
                401,
                {"error": "a bearer token is required"},
            ), (method, path, headers)
    assert triggers.empty()
    status = client.get("/api/status", headers=AUTH)
    assert status.status_code == 200
    document = status.json()
    assert (document["revision"], document["enterprises"], document["cycles"]) == (None, [], [])
    assert (document["repository"], document["branch"]) == (str(agent.repo.source), "main")
    assert client.get("/readyz", headers=AUTH).json() == {
        "ready": False,
        "problems": ["no revision applied yet"],
    }
    assert client.get("/", headers=AUTH).headers["content-type"] == "text/html; charset=utf-8"
    metrics = client.get("/metrics", headers=AUTH)
    assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE reconciler_cycle_duration_seconds histogram" in metrics.text


def test_the_hook_takes_only_what_is_signed_with_the_secret(
    served: tuple[TestClient, queue.Queue[Trigger | None], Agent],
) -> None:
    client, triggers, _ = served
    body = json.dumps({"ref": "refs/heads/main", "after": "a" * 40}).encode()
    refused = [
        {},
        github(body, "another-secret"),
        {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        {"X-Hub-Signature-256": "sha1=abc"},
        {"X-Gitlab-Token": "wrong"},
    ]
    for headers in refused:
        answer = client.post("/hooks/git", content=body, headers=headers)
        assert (answer.status_code, answer.json()) == (
            401,
            {"error": "unsigned or wrongly signed"},
        ), headers
    tampered = client.post("/hooks/git", content=body + b" ", headers=github(body))
    assert tampered.status_code == 401
    assert triggers.empty()  # nothing changes

    answer = client.post("/hooks/git", content=body, headers=github(body))
    assert (answer.status_code, answer.json()) == (202, {"triggered": True})
    assert triggers.get_nowait() == ("hook", None)
    gitlab = client.post("/hooks/git", content=body, headers={"X-Gitlab-Token": "h00k-secret"})
    assert (gitlab.status_code, gitlab.json()) == (202, {"triggered": True})
    assert triggers.get_nowait() == ("hook", None)
    other = json.dumps({"ref": "refs/heads/feature"}).encode()
    answer = client.post("/hooks/git", content=other, headers=github(other))
    assert (answer.status_code, answer.json()) == (
        202,
        {"triggered": False, "reason": "a push to refs/heads/feature"},
    )
    assert triggers.empty()


def test_a_sync_names_a_known_enterprise(
    served: tuple[TestClient, queue.Queue[Trigger | None], Agent],
) -> None:
    client, triggers, agent = served
    answer = client.post("/api/sync?enterprise=nobody", headers=AUTH)
    assert (answer.status_code, answer.json()) == (404, {"error": "no enterprise named 'nobody'"})
    assert triggers.empty()
    agent.heal = {"acme": False}  # what the first cycle learns from the manifests
    answer = client.post("/api/sync?enterprise=acme", headers=AUTH)
    assert (answer.status_code, answer.json()) == (202, {"triggered": True, "enterprise": "acme"})
    assert client.post("/api/sync", headers=AUTH).json() == {"triggered": True, "enterprise": None}
    assert [triggers.get_nowait(), triggers.get_nowait()] == [("sync", "acme"), ("sync", None)]


def test_without_a_secret_the_hook_is_off(tmp_path: pathlib.Path) -> None:
    agent = opened(tmp_path, CONFIG.replace("  webhookSecret: ${HOOK_SECRET}\n", ""))
    triggers: queue.Queue[Trigger | None] = queue.Queue()
    client = TestClient(create_app(agent, triggers))
    body = b'{"ref": "refs/heads/main"}'
    answer = client.post("/hooks/git", content=body, headers=github(body))
    assert (answer.status_code, answer.json()) == (
        404,
        {"error": "no webhook secret is configured (agent.webhookSecret)"},
    )
    assert triggers.empty()
    agent.close()


def test_signed_compares_githubs_hmac_and_gitlabs_token() -> None:
    body = b'{"ref": "refs/heads/main"}'
    assert signed("s", {k.lower(): v for k, v in github(body, "s").items()}, body)
    assert not signed("s", {k.lower(): v for k, v in github(body, "t").items()}, body)
    assert signed("s", {"x-gitlab-token": "s"}, body)
    assert not signed("s", {"x-gitlab-token": ""}, body)
    assert not signed("s", {}, body)
