"""Conventions of a well-behaved CLI: `python -m reconciler`, NO_COLOR and FORCE_COLOR,
global options before or after the command."""

from __future__ import annotations

import os
import subprocess
import sys

from reconciler import __version__
from tests.functional.conftest import Project, shared_looks

GREEN_PLUS = "\x1b[32m+\x1b[0m"


def cli(project: Project, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        capture_output=True,
        text=True,
        cwd=project.root,
        env={**clean, **env},
        timeout=120,
    )


def test_python_dash_m_reconciler(project: Project) -> None:
    result = cli(project, "--version")
    assert (result.returncode, result.stdout) == (0, f"reconciler, version {__version__}\n")


def test_colour_follows_no_color_force_color_and_the_flag_anywhere(project: Project) -> None:
    piped = cli(project, "plan", ".")
    assert piped.returncode == 0 and "\x1b[" not in piped.stdout  # a pipe: plain
    forced = cli(project, "plan", ".", FORCE_COLOR="1")
    assert GREEN_PLUS + " smsUser james@northwindlegal.com" in forced.stdout
    assert "\x1b[" not in cli(project, "plan", ".", FORCE_COLOR="1", NO_COLOR="1").stdout
    assert "\x1b[" not in cli(project, "plan", ".", "--no-color", FORCE_COLOR="1").stdout
    assert "\x1b[" not in cli(project, "--no-color", "plan", ".", FORCE_COLOR="1").stdout
    # the plain plan is the coloured one without its colours
    assert (
        forced.stdout.replace("\x1b[32m", "")
        .replace("\x1b[36m", "")
        .replace("\x1b[33m", "")
        .replace("\x1b[0m", "")
        == piped.stdout
    )


def test_quiet_leaves_errors_and_results_only(project: Project) -> None:
    saved = cli(project, "plan", ".", "-o", "plan.json", "--quiet")
    assert (saved.returncode, saved.stderr) == (0, "")
    applied = cli(project, "-q", "apply", "plan.json", "--report", "apply.json")
    assert (applied.returncode, applied.stderr) == (0, "")  # no progress, notes or run line
    assert shared_looks(applied.stdout, 46).endswith(
        "Apply complete: 26 applied, 0 failed, 0 skipped (46 API calls).\n"
    )
    assert (project.root / "apply.json").is_file()
    loud = cli(project, "apply", "--yes", ".")
    assert loud.stderr.startswith("Run: ")  # without --quiet: the run line
    broken = cli(project, "--quiet", "plan", "nowhere")
    assert (broken.returncode, broken.stderr) == (  # errors stay
        1,
        "error: nowhere: no such file or directory: check the path\n",
    )
