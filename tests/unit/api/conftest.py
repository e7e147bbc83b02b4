"""The API's tests: a project (the example manifests and a reconciler.yaml) whose three
vendors are the sandbox app, in-process, behind an httpx.MockTransport that records
every request and lets a test answer some of them itself (a fault, an outage)."""

from __future__ import annotations

import asyncio
import dataclasses
import pathlib
import shutil
from collections.abc import Callable, Iterator

import httpx
import pytest

from reconciler.api import Reconciler
from reconciler.sandbox.app import create_app
from tests.functional import conftest as functional

ROOT, EXAMPLES = functional.ROOT, functional.EXAMPLES
ORIGIN = "http://127.0.0.1:9"  # loopback: never dialled, the transport answers
# The functional tests' reconciler.yaml, aimed at the transport, retrying at once.
CONFIG = functional.CONFIG.format(url=ORIGIN).replace("parallelism: 8", "parallelism: 4") + (
    "  retry: {initialBackoff: 0.01, maxBackoff: 0.02, lookupWindow: 0.05}\n"
)

Fault = Callable[[httpx.Request], httpx.Response | None]


class Vendors:
    """ConnecttoTeams, ContextSMS and Connectel as the sandbox emulates them, reached
    through `transport`: every request is kept in `requests`; each of `faults` may
    answer a request instead (return a Response) or let it through (return None)."""

    def __init__(self, db: pathlib.Path) -> None:
        seed = int(functional.RANDOM_SEED)  # as the served sandbox: its draws repeat
        app = create_app(db, EXAMPLES / "sandbox-seed.yaml", rng_seed=seed)
        self.sandbox = httpx.ASGITransport(app=app)
        self.requests: list[httpx.Request] = []
        self.faults: list[Fault] = []
        self.transport = httpx.MockTransport(self._handle)
        self.in_flight: dict[str, int] = {}  # by vendor (the path's first part)
        self.peaks: dict[str, int] = {}

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for fault in self.faults:
            answer = fault(request)
            if answer is not None:
                return answer
        vendor = request.url.path.split("/")[1]
        self.in_flight[vendor] = self.in_flight.get(vendor, 0) + 1
        self.peaks[vendor] = max(self.peaks.get(vendor, 0), self.in_flight[vendor])
        try:
            await asyncio.sleep(0)  # a vendor answers later: others may be sent meanwhile
            await request.aread()
            response = await self.sandbox.handle_async_request(request)
            body = await response.aread()
        finally:
            self.in_flight[vendor] -= 1
        return httpx.Response(response.status_code, headers=response.headers, content=body)

    def writes(self) -> list[str]:
        """The requests that may change something, as `METHOD path`, in order."""
        return [
            f"{r.method} {r.url.path}"
            for r in self.requests
            if r.method != "GET" and not _is_read(r.url.path)
        ]

    def fail(self, path_part: str, status: int = 500, *, times: int | None = None) -> None:
        """Answer `status` to requests whose path holds `path_part` (`times` of them,
        or all)."""
        left = [times]

        def fault(request: httpx.Request) -> httpx.Response | None:
            if path_part not in request.url.path or left[0] == 0:
                return None
            if left[0] is not None:
                left[0] -= 1
            return httpx.Response(status, json={"error": "injected", "code": "FAULT"})

        self.faults.append(fault)


READS = ("/oauth/token", "getAuthenticatedUser", "/get", "/auth/login", "/auth/refresh")


def _is_read(path: str) -> bool:
    return any(part in path for part in READS) or "check-payment" in path


@dataclasses.dataclass
class Project:
    root: pathlib.Path
    vendors: Vendors

    @property
    def config(self) -> pathlib.Path:
        return self.root / "reconciler.yaml"

    @property
    def enterprises(self) -> pathlib.Path:
        return self.root / "enterprises"

    def reconciler(self, **kwargs: object) -> Reconciler:
        return Reconciler(
            self.config, [self.enterprises], transport=self.vendors.transport, **kwargs
        )

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.enterprises / f"{name}.yaml"
        text = path.read_text()
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1))


@pytest.fixture
def project(tmp_path: pathlib.Path) -> Iterator[Project]:
    root = tmp_path / "project"
    shutil.copytree(EXAMPLES / "enterprises", root / "enterprises")
    (root / "reconciler.yaml").write_text(CONFIG)
    yield Project(root, Vendors(tmp_path / "sandbox.db"))
