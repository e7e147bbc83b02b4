"""A real sandbox process on loopback for functional tests, and a way to run the CLI."""

from __future__ import annotations

import dataclasses
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
        [*CLI, "sandbox", "serve", "--port", "0", "--db", str(db), "--seed", str(SEED), *extra],
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


def run(*args: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the reconciler CLI as a user would, in a fresh process."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=300)
