"""Write constraints.txt: the exact versions of the runtime dependency closure (the
dependencies of pyproject.toml and theirs, as installed here), which the container image
installs with `pip install -c constraints.txt`. Run `make lock` after changing a
dependency; tests/unit/test_constraints.py checks the file names that closure exactly."""

from __future__ import annotations

import pathlib
import re
import sys
import tomllib
from importlib import metadata

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parent.parent
HEADER = "# The runtime dependencies' exact versions for the container image (make lock).\n"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(dependencies: list[str]) -> dict[str, str]:
    """Each runtime dependency, direct or not, for this platform: its installed version."""
    env = {**default_environment(), "extra": ""}
    found: dict[str, str] = {}
    todo = [Requirement(d) for d in dependencies]
    while todo:
        requirement = todo.pop()
        if requirement.marker and not requirement.marker.evaluate(env):
            continue
        name = canonical(requirement.name)
        if name in found:
            continue
        dist = metadata.distribution(requirement.name)
        found[name] = dist.version
        todo += [Requirement(r) for r in dist.requires or []]
    return dict(sorted(found.items()))


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = closure(project["dependencies"])
    text = HEADER + "".join(f"{name}=={version}\n" for name, version in pins.items())
    (ROOT / "constraints.txt").write_text(text)
    print(f"wrote constraints.txt: {len(pins)} packages", file=sys.stderr)


if __name__ == "__main__":
    main()
