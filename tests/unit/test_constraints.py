"""constraints.txt, the container image's exact versions, keeps up with pyproject.toml:
every runtime dependency is pinned there, at a version its lower bound allows."""

from __future__ import annotations

import pathlib
import re
import tomllib

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_runtime_dependency_is_pinned_within_its_bounds() -> None:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    pins = dict(line.split("==") for line in lines if line and not line.startswith("#"))
    assert all(canonical(name) == name for name in pins)
    assert list(pins) == sorted(pins)
    env = {**default_environment(), "extra": ""}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for text in project["dependencies"]:
        wanted = Requirement(text)
        if wanted.marker and not wanted.marker.evaluate(env):
            continue
        name = canonical(wanted.name)
        assert name in pins, f"{name} is not in constraints.txt: run make lock"
        assert wanted.specifier.contains(Version(pins[name])), (name, pins[name])


def test_the_image_installs_with_them() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY constraints.txt" in dockerfile
    assert "pip install --no-cache-dir -c /tmp/dist/constraints.txt" in dockerfile
