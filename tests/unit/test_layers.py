"""The layers contract names every package and module of reconciler (the sandbox is kept
apart by its own contract), so nothing new escapes it."""

from __future__ import annotations

import pathlib
import tomllib

ROOT = pathlib.Path(__file__).parents[2]


def test_every_package_is_in_a_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    [layers] = [c["layers"] for c in contracts if c["type"] == "layers"]
    named = {name.strip() for layer in layers for name in layer.split("|")}
    package = ROOT / "reconciler"
    found = {
        f"reconciler.{p.stem}"
        for p in package.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))  # entry points
    }
    assert found - named == {"reconciler.sandbox"}
    assert named <= found
