"""A real sandbox process on loopback for functional tests, and a way to run the CLI."""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

ROOT = pathlib.Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "sandbox-seed.yaml"
CLI = [sys.executable, "-m", "reconciler.cli"]
# Fault rates draw from one seed, so a test whose faults fall on a dozen requests meets the
# same number of them in every run (unseeded, a rate of 0.2 missed all 12 writes 7% of runs).
RANDOM_SEED = "1"


@dataclasses.dataclass
class Served:
    url: str
    process: subprocess.Popen[str]
    db: pathlib.Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


def start(db: pathlib.Path, *extra: str) -> Served:
    """Start `reconciler sandbox serve --port 0` and return once it announced its port."""
    process = subprocess.Popen(
        [
            *CLI,
            "sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(db),
            "--seed",
            str(SEED),
            "--random-seed",
            RANDOM_SEED,
            *extra,
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        process.kill()
        raise AssertionError(f"sandbox did not start: {line}{process.stderr.read()}")
    return Served(match.group(1), process, db)


def stop(served: Served) -> None:
    served.process.terminate()
    served.process.wait(timeout=20)


@pytest.fixture
def sandbox(tmp_path: pathlib.Path) -> Iterator[Served]:
    served = start(tmp_path / "sandbox.db")
    yield served
    stop(served)


def cli_env() -> dict[str, str]:
    """The environment a CLI process gets: no COLUMNS or LINES, as pytest's own terminal
    size must not reach it."""
    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


def run(*args: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the reconciler CLI as a user would, in a fresh process (output to a pipe)."""
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=300, env=cli_env()
    )


GOLDEN = pathlib.Path(__file__).parent / "golden"


def golden(name: str, actual: str) -> None:
    """Compare with tests/functional/golden/NAME; UPDATE_GOLDEN=1 rewrites it (then review)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
    assert path.exists(), f"missing golden file {path}: run with UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text()


CONFIG = """\
providers:
  connecttoteams:
    url: {url}/connecttoteams
    clientId: demo-client
    clientSecret: demo-secret
    username: api-admin
    password: demo-password
    resellerId: 54
  contextsms:
    url: {url}/contextsms/api/v2
    username: ops@csp.example
    password: demo-password
  connectel:
    url: {url}/connectel/api/v2
    token: demo-token
apply:
  parallelism: 8
  rateLimit: {{connecttoteams: null, contextsms: null, connectel: null}}
"""


@dataclasses.dataclass
class Project:
    """A copy of the example manifests with a reconciler.yaml aimed at a served sandbox."""

    root: pathlib.Path
    sandbox: Served

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run(*args, cwd=self.root)

    def start(self, *args: str) -> subprocess.Popen[str]:
        """The CLI started here with its output on pipes, for a test that acts while it runs."""
        return subprocess.Popen(
            [*CLI, *args],
            cwd=self.root,
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def manifest(self, name: str) -> pathlib.Path:
        return self.root / "enterprises" / f"{name}.yaml"

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.manifest(name)
        text = path.read_text()
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1))

    def apply(self) -> None:
        result = self.run("apply", "--yes", "--parallelism", "1", ".")
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def project(tmp_path: pathlib.Path, sandbox: Served) -> Project:
    root = tmp_path / "project"
    (root / "enterprises").mkdir(parents=True)
    for path in (EXAMPLES / "enterprises").glob("*.yaml"):
        (root / "enterprises" / path.name).write_text(path.read_text())
    (root / "reconciler.yaml").write_text(CONFIG.format(url=sandbox.url))
    return Project(root, sandbox)


class Vendor:
    """Out-of-band changes through the vendor endpoints themselves, as an admin would."""

    def __init__(self, served: Served) -> None:
        self.http = served.client()
        answer = self.http.post(
            "/connecttoteams/oauth/token",
            data={"grant_type": "password", "username": "api-admin", "password": "demo-password"},
            auth=("demo-client", "demo-secret"),
        )
        self.c2t = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        login = self.http.post(
            "/contextsms/api/v2/auth/login",
            json={"username": "ops@csp.example", "password": "demo-password"},
        )
        self.csms = {"Authorization": f"Bearer {login.json()['accessToken']}"}

    def c2t_post(self, path: str, body: object = None) -> httpx.Response:
        answer = self.http.post(f"/connecttoteams{path}", json=body, headers=self.c2t)
        assert answer.status_code == 200, answer.text
        return answer

    def did(self, enterprise_id: int, number: str) -> str:
        numbers = self.c2t_post(f"/enterprise/getPhoneNumbers/{enterprise_id}").json()
        [found] = [n["id"] for n in numbers if f"+{n['countryCode']}{n['phoneNumber']}" == number]
        return str(found)

    def user_number(self, enterprise_id: int, user_id: str, number: str, *, assigned: bool) -> str:
        """Give a number to an SMS user (or take it away) behind git's back; its DID id."""
        did = self.did(enterprise_id, number)
        body = {"enterpriseId": enterprise_id, "userId": user_id, "assigned": assigned}
        self.c2t_post("/sms/addSMSDidsForUser", {**body, "smsDID": [did]})
        return did

    def remap(self, number: str, app_id: str) -> None:
        """Point a ContextSMS mapping at another Teams app behind git's back."""
        mappings = self.http.get(
            "/contextsms/api/v2/mapping/csp/CSP0000003", headers=self.csms
        ).json()
        [found] = [
            m["numberToMessageAppMap"]
            for m in mappings
            if m["numberToMessageAppMap"]["phoneNumber"] == number
        ]
        answer = self.http.put(
            f"/contextsms/api/v2/mapping/{found['numberToMessageAppMapId']}",
            json={"messagingAppId": app_id},
            headers=self.csms,
        )
        assert answer.status_code == 200, answer.text


@pytest.fixture
def vendor(sandbox: Served) -> Iterator[Vendor]:
    v = Vendor(sandbox)
    yield v
    v.http.close()


RUN_LINE = re.compile(
    r"Run: \d+\.\d s, \d+ API calls? \(\d+ retr(?:y|ies)(?:, \d+ answers? 429)?\)"
    r"(?:; (?:read|plan|apply|re-read|send) \d+\.\d s(?:, (?:read|plan|apply|re-read|send) "
    r"\d+\.\d s)*)?\.\n"
)


RETRY_LINE = re.compile(
    r"\d{4}-\d\d-\d\dT[\d:.]+Z WARNING reconciler\.api: (\[[^]]+\] )?retrying "
    r"\S+ \S+ in [\d.]+ s: attempt \d+ failed: .+\n"
)


def without_retries(stderr: str) -> str:
    """`stderr` without the retry warnings (shown by default; their order and waits
    vary), checked to hold at least one."""
    rest = RETRY_LINE.sub("", stderr)
    assert rest != stderr, f"no retry was said: {stderr}"
    return rest


TWIN_LOOKS = re.compile(r"(Apply \w+: [^(]*)\((\d+) API calls\)")


def shared_looks(text: str, calls: int) -> str:
    """`text` with its apply's count of API calls, checked to be `calls` or one fewer, as
    `calls`.
    After creating two enterprises under one reseller, the twin rule looks at its listing
    once for each, or once for both when both were answered before the first look began
    (providers/shared.py): which one depends on timing."""
    found = TWIN_LOOKS.search(text)
    assert found and int(found[2]) in (calls - 1, calls), text
    return TWIN_LOOKS.sub(rf"\1({calls} API calls)", text, count=1)


def without_run(stderr: str) -> str:
    """`stderr` without its last line, checked to be the run summary (its times vary)."""
    *rest, last = stderr.splitlines(keepends=True)
    assert RUN_LINE.fullmatch(last), last
    return "".join(rest)


ABOUT_LINE = re.compile(
    r"Generated: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z · Tool: reconciler \S+ · "
    r"Manifests: .+ \((?:commit [0-9a-f]{12}(?: with uncommitted changes)?|not in a git work "
    r"tree)\) · Targets: .+"
)


def timeless(markdown: str) -> str:
    """`markdown` with its provenance line (checked) as a placeholder: it names the time."""
    lines = markdown.splitlines(keepends=True)
    [index] = [i for i, line in enumerate(lines) if line.startswith("Generated: ")]
    assert ABOUT_LINE.fullmatch(lines[index].rstrip("\n")), lines[index]
    lines[index] = "Generated: (when, by which version, from which commit, against what)\n"
    return "".join(lines)


TIMES = ("at", "startedAt", "endedAt", "generatedAt")
DURATIONS = ("seconds", "queuedMs", "latencyMs")


def steady(value: object, url: str) -> object:
    """A JSON report with what varies from run to run made constant, so it can be a
    golden file: times, durations, the served sandbox's address, each stage's seconds and CPU,
    and calls made at once (whose order is the scheduler's) sorted."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            if key in TIMES and item is not None:
                out[key] = "(time)"
            elif key in DURATIONS:
                out[key] = 0
            elif key in ("stages", "cpu"):
                out[key] = dict.fromkeys(item, 0)  # type: ignore[union-attr]
            else:
                out[key] = steady(item, url)
        if "otherCalls" in out:
            out["otherCalls"] = sorted(out["otherCalls"], key=json.dumps)  # type: ignore[arg-type]
        return out
    if isinstance(value, list):
        return [steady(item, url) for item in value]
    if isinstance(value, str):
        return value.replace(url, "http://SANDBOX")
    return value
