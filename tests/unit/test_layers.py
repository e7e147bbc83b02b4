"""The layers contract names every package and module of reconciler (the sandbox is kept
apart by its own contract), so nothing new escapes it."""

from __future__ import annotations

import ast
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


def test_the_cli_and_independence_contracts_are_declared() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    [cli] = [
        c
        for c in contracts
        if c["type"] == "forbidden" and c["source_modules"] == ["reconciler.cli"]
    ]
    assert set(cli["forbidden_modules"]) >= {
        f"reconciler.{p}"
        for p in ("providers", "wire", "plan", "apply", "reports", "manifest", "config", "engine")
    }
    independent = [set(c["modules"]) for c in contracts if c["type"] == "independence"]
    for layer in ("wire", "providers"):
        vendors = {f"reconciler.{layer}.{v}" for v in ("connecttoteams", "contextsms", "connectel")}
        assert vendors in independent
    renderers = {
        f"reconciler.render.{p.stem}"
        for p in (ROOT / "reconciler" / "render").glob("*.py")
        if p.stem not in ("__init__", "values", "changes", "stamps")  # what renderers share
    }
    assert renderers in independent


def parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    args = function.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return [n for n in names if n not in ("self", "cls")]


def test_no_function_of_the_providers_takes_more_than_five_parameters() -> None:
    crowded = []
    for path in sorted((ROOT / "reconciler" / "providers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if function and len(parameters(node)) > 5:  # type: ignore[arg-type]
                crowded.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert crowded == []


def test_kind_names_are_spelled_in_the_kind_registry_only() -> None:
    spelled = set()
    for path in sorted((ROOT / "reconciler").rglob("*.py")):
        if "sandbox" in path.relative_to(ROOT).parts:  # shares nothing with us, by contract
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in ("smsUser", "smsGroup", "mapping"):
                spelled.add(str(path.relative_to(ROOT)))
    assert spelled == {"reconciler/model/kinds.py"}
