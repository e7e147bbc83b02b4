"""README's "Use it from Python": its script, run as a user would against a served
sandbox, prints exactly what the README says it prints."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.functional.conftest import ROOT, Project


def readme_blocks() -> tuple[str, str]:
    """The section's Python script and the console block that shows its output."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Use it from Python\n", 1)[1].split("\n## ", 1)[0]
    script = re.search(r"```python\n(.*?)```", section, re.S)
    output = re.search(r"```console\n(.*?)```", section, re.S)
    assert script and output
    return script.group(1), output.group(1)


def test_the_readme_script_plans_applies_with_a_journal_and_drifts(project: Project) -> None:
    script, expected = readme_blocks()
    (project.root / "example.py").write_text(script)
    done = subprocess.run(
        [sys.executable, "example.py"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == expected
    journal = json.loads((project.root / "journal.json").read_text())
    assert (journal["outcome"], journal["totals"]["applied"]) == ("complete", 14)
    assert {c["enterprise"] for c in journal["changes"]} == {"sunshine-dental"}
    # the applied plan was the saved one, and the platforms now hold it
    again = project.run("plan", "--enterprise", "sunshine-dental", ".")
    assert again.stdout.splitlines()[-1] == "Plan: 0 to create, 0 to update, 0 to delete, 0 syncs."
