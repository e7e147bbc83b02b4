"""Hostile input is refused early, located, with exit 1: alias bombs, recursive aliases,
deep nesting in manifests and saved plans, and paths the OS refuses. Each case runs the
CLI in a fresh process; its peak memory is read from the OS afterwards."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

from tests.functional.conftest import CLI

HEADER = "apiVersion: reconciler/v1\nkind: Enterprise\nmetadata: {name: x}\n"


def bomb() -> str:
    lines = [HEADER + 'spec:\n  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


CASES = {
    "bomb.yaml": (
        bomb(),
        "bomb.yaml:10:12: aliases expand to more than 100,000 values (an alias bomb?); "
        "write the values out or use fewer aliases",
    ),
    "recursive.yaml": (
        HEADER + "spec: &a\n  smsUsers: [*a]\n",
        "recursive.yaml:5:14: recursive alias *a: it refers to itself",
    ),
    "undefined.yaml": (
        HEADER + "spec:\n  smsUsers: [*nowhere]\n",
        "undefined.yaml:5:14: undefined alias *nowhere",
    ),
    "deep.yaml": (
        HEADER + "spec: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "deep.yaml:4:70: nested deeper than 64 levels; flatten the document",
    ),
    "deeper.yaml": (
        HEADER + "spec: " + "{a: " * 1_000_000 + "1" + "}" * 1_000_000 + "\n",
        "deeper.yaml:4:256: nested deeper than 64 levels; flatten the document",
    ),
}


def run(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


# The CLI, writing its own peak memory (VmHWM: this process image's, unlike rusage's
# maxrss, which keeps the forking test worker's size across exec) to a file at exit.
MEASURED = """\
import atexit, pathlib, sys
from reconciler.cli.main import main
out = pathlib.Path(sys.argv.pop(1))
status = pathlib.Path("/proc/self/status")
atexit.register(lambda: out.write_text(
    next(line for line in status.read_text().splitlines() if line.startswith("VmHWM"))
))
main()
"""


def run_measured(*args: str, cwd: pathlib.Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the CLI and return its result and its own peak memory in MB."""
    peak = cwd / "peak.txt"
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, str(peak), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    return result, int(peak.read_text().split()[1]) / 1024


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_yaml_is_refused_with_its_place(tmp_path: pathlib.Path, name: str) -> None:
    text, message = CASES[name]
    (tmp_path / name).write_text(text)
    result, peak_mb = run_measured("validate", name, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"{name}:\n  {message}\nvalidation failed: 1 problem\n"
    assert peak_mb < 200


def test_aliases_within_reason_still_work(tmp_path: pathlib.Path) -> None:
    (tmp_path / "e.yaml").write_text(
        HEADER.replace("{name: x}", "{name: acme}")
        + "spec:\n  contextsms: {cspId: CSP0000003, name: &n Acme, contact: *n, "
        "number: '+12025550143', email: a@acme.com}\n"
    )
    result = run("validate", "e.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "acme: 0 SMS users, 0 SMS groups, 0 numbers, 0 mappings\nok: 1 enterprise in 1 file\n"
    )


def test_a_saved_plan_nested_too_deep_is_refused(tmp_path: pathlib.Path) -> None:
    (tmp_path / "plan.json").write_text(
        '{"formatVersion": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    result = run("apply", "plan.json", "--yes", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "error: plan.json: not a saved plan (nested too deep); "
        "make it again with `reconciler plan -o`\n"
    )


def test_paths_the_os_refuses_are_located_errors(tmp_path: pathlib.Path) -> None:
    long = "x" * 300 + ".yaml"
    result = run("validate", long, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"{long}: cannot read it (File name too long)\nvalidation failed: 1 problem\n"
    )
    (tmp_path / "dir.json").mkdir()
    result = run("apply", "dir.json", "--yes", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "error: dir.json: cannot read the saved plan (Is a directory)\n"
