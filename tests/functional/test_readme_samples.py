"""The README's console samples are real: each command runs verbatim in a copy of the
repository's examples (the embedded sandbox, fresh) and prints what the README shows,
times aside. A sample that no longer matches fails here, so it is regenerated from a real
run (UPDATE_README=1 rewrites the blocks; then review the diff)."""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import shutil
from collections.abc import Callable

import pytest

from tests.functional.conftest import EXAMPLES, ROOT, run

README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (?P<command>[^\n]*)\n(?P<output>.*?)```", re.S)
TIMES = re.compile(r"\b\d+\.\d s\b")


def blocks() -> dict[str, str]:
    """Each console block's command line (comments dropped) and its output."""
    found = {}
    for match in BLOCK.finditer(README.read_text()):
        command = match["command"].split("  #")[0].strip()
        found[command] = match["output"]
    return found


def timeless(text: str) -> str:
    return TIMES.sub("N.N s", text)


def run_verbatim(where: pathlib.Path, command: str) -> str:
    words = shlex.split(command)
    assert words[0] == "reconciler", command
    done = run(*words[1:], cwd=where)
    return done.stdout + done.stderr


def fresh_examples(tmp_path: object) -> object:
    root = tmp_path  # type: ignore[assignment]
    shutil.copytree(EXAMPLES, root / "examples", ignore=shutil.ignore_patterns(".reconciler"))  # type: ignore[operator]
    return root


def applied(root: object) -> None:
    run_verbatim(root, "reconciler apply --yes examples/")


def moved_a_number(root: object) -> None:
    """After apply, the manifest moves +12025550107 from erin to the Front Desk group."""
    applied(root)
    manifest = root / "examples" / "enterprises" / "sunshine-dental.yaml"  # type: ignore[operator]
    text = manifest.read_text()
    text = text.replace('numbers: ["+12025550107"]', "numbers: []", 1)
    text = text.replace('numbers: ["+12025550110"]', 'numbers: ["+12025550110", "+12025550107"]', 1)
    manifest.write_text(text)


SAMPLES: dict[str, Callable[[object], None] | None] = {
    "reconciler validate examples/": None,
    "reconciler plan --show-calls examples/": moved_a_number,
    "reconciler numbers examples/ --enterprise sunshine-dental --filter assigned-pbx": None,
    "reconciler doctor examples/": applied,
}


@pytest.mark.parametrize("command", sorted(SAMPLES))
def test_a_readme_sample_is_what_the_command_prints(command: str, tmp_path: object) -> None:
    shown = blocks()[command]
    root = fresh_examples(tmp_path)
    setup = SAMPLES[command]
    if setup is not None:
        setup(root)
    printed = run_verbatim(root, command)
    if os.environ.get("UPDATE_README"):
        text = README.read_text()
        README.write_text(text.replace(f"$ {command}\n{shown}", f"$ {command}\n{printed}", 1))
        return
    assert timeless(printed) == timeless(shown)
