"""Running a real `reconciler agent` process for the functional tests: a local git
repository to follow, a local HTTP receiver for its notices, the agent started on port 0,
its status polled, SIGTERM to stop it; no agent outlives its test."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import http.server
import json
import pathlib
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.functional.conftest import CLI, CONFIG, EXAMPLES, Served, cli_env
from tests.unit.agent.gitrepo import Remote

TOKEN = "agent-t0ken-5678"
SECRET = "h00k-s3cret"
AGENT = """\
agent:
  webhookSecret: ${AGENT_HOOK_SECRET}
  token: ${AGENT_TOKEN}
notifications:
  - {kind: teams, url: "${TEAMS_WEBHOOK_URL}", events: [drift, healed, revision-refused]}
  - {kind: webhook, url: "{receiver}/webhook", events: [applied, failed]}
"""
ROGUE = "19:rogue@thread.tacv2"
HEALS = "requirePayment: false\n    selfHeal: true"
DIFFERENCE = (
    "mapping +12025550120 Teams channel: git 19:appointments@thread.tacv2, live {live}: "
    "apply would update it"
)


class Receiver:
    """A local HTTP endpoint that keeps every JSON body posted to it."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        received = self.posts

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(202)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [body for where, body in list(self.posts) if where == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def repository(
    root: pathlib.Path, sandbox: Served, receiver: Receiver | None, apply: str = ""
) -> Remote:
    remote = Remote(root)
    for path in sorted((EXAMPLES / "enterprises").glob("*.yaml")):
        remote.write(f"enterprises/{path.name}", path.read_text())
    config = CONFIG.format(url=sandbox.url) + apply  # CONFIG ends inside `apply:`
    if receiver is not None:
        config += AGENT.replace("{receiver}", receiver.url)
    remote.write("reconciler.yaml", config)
    return remote


@dataclasses.dataclass
class RunningAgent:
    process: subprocess.Popen[str]
    url: str
    log: pathlib.Path
    http: httpx.Client

    def status(self) -> dict[str, Any]:
        answer = self.http.get("/api/status")
        assert answer.status_code == 200, answer.text
        document: dict[str, Any] = answer.json()
        return document

    def wait(self, what: str, ready: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The status once `ready` holds of it (within 60 s: a few cycles of 2 s)."""
        deadline = time.monotonic() + 60
        status = self.status()
        while not ready(status):
            assert self.process.poll() is None, f"the agent exited: {self.log.read_text()}"
            assert time.monotonic() < deadline, f"never {what}: {json.dumps(status, indent=1)}"
            time.sleep(0.2)
            status = self.status()
        return status

    def stop(self) -> int:
        """SIGTERM; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=90)
        self.http.close()
        return code


STARTED: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def no_agent_left() -> Iterator[None]:
    """An agent a failed test left running is killed (only those this module started)."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def env() -> dict[str, str]:
    return {
        **cli_env(),
        "PYTHONUNBUFFERED": "1",
        "AGENT_TOKEN": TOKEN,
        "AGENT_HOOK_SECRET": SECRET,
    }


def start(remote: Remote, state: pathlib.Path, receiver: Receiver | None) -> RunningAgent:
    log = state.parent / f"agent-{time.monotonic_ns()}.log"
    extra = {"TEAMS_WEBHOOK_URL": f"{receiver.url}/teams"} if receiver else {}
    with log.open("w") as sink:
        process = subprocess.Popen(
            [
                *CLI,
                "agent",
                "--repo",
                str(remote.bare),
                "--interval",
                "2s",
                "--listen",
                "127.0.0.1:0",
                "--state",
                str(state),
            ],
            stdout=subprocess.DEVNULL,
            stderr=sink,
            text=True,
            env={**env(), **extra},
        )
    STARTED.append(process)
    deadline = time.monotonic() + 60
    while not (found := re.search(r"agent listening on (http://\S+)", log.read_text())):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the agent did not start: {log.read_text()}")
        time.sleep(0.1)
    url = found.group(1)
    client = httpx.Client(base_url=url, timeout=10, headers={"Authorization": f"Bearer {TOKEN}"})
    return RunningAgent(process, url, log, client)


def enterprise(status: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [e for e in status["enterprises"] if e["name"] == name]
    return found


def card(event: str, enterprise: str | None, summary: str, details: list[str], url: str) -> Any:
    """The Teams Workflows message the agent posts, but for its time (checked apart)."""
    titles = {"drift": "drifted from git", "healed": "healed back to git's state"}
    titles["revision-refused"] = "revision refused"
    colours = {"drift": "Warning", "healed": "Good", "revision-refused": "Attention"}
    facts = [{"title": "Event", "value": event}]
    facts += [{"title": "Enterprise", "value": enterprise}] if enterprise else []
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "size": "Medium",
            "weight": "Bolder",
            "color": colours[event],
            "text": f"{enterprise or 'reconciler'}: {titles[event]}",
            "wrap": True,
        },
        {"type": "TextBlock", "text": summary, "wrap": True},
        {"type": "FactSet", "facts": facts},
    ]
    if details:
        body.append(
            {
                "type": "TextBlock",
                "text": "\n".join(f"- {line}" for line in details),
                "wrap": True,
                "fontType": "Monospace",
                "size": "Small",
            }
        )
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                    "actions": [{"type": "Action.OpenUrl", "title": "Status page", "url": url}],
                },
            }
        ],
    }


def timeless(message: dict[str, Any], revision: str) -> dict[str, Any]:
    """`message` with its revision and time facts checked and taken out."""
    facts = message["attachments"][0]["content"]["body"][2]["facts"]
    assert facts[-2] == {"title": "Revision", "value": revision[:12]}
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", facts[-1]["value"])
    del facts[-2:]
    return message


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}
