"""Every command's --help ends with examples that are real command lines."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from reconciler.cli.main import COMMANDS, SUMMARIES, cli, run

SANDBOX = ("serve", "reset", "clone")


def help_of(*path: str) -> str:
    ctx = click.Context(cli, info_name="reconciler")
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(ctx, name)
        assert found is not None, name
        command = found
        ctx = click.Context(command, info_name=name, parent=ctx)
    return command.get_help(ctx)


@pytest.mark.parametrize(
    "path",
    [(name,) for name in sorted(COMMANDS) if name != "sandbox"]
    + [("sandbox", name) for name in SANDBOX]
    + [()],
)
def test_help_ends_with_examples(path: tuple[str, ...]) -> None:
    text = help_of(*path)
    tail = text[text.rindex("Examples:") :].splitlines()[1:]
    examples = [line.strip() for line in tail if line.strip().startswith("reconciler ")]
    assert 1 <= len(examples) <= 3, text
    for example in examples:
        words = example.split()
        assert words[1] in COMMANDS or words[1].startswith("-"), example


@pytest.mark.parametrize(
    "path",
    [(name,) for name in sorted(COMMANDS) if name != "sandbox"]
    + [("sandbox", name) for name in SANDBOX],
)
def test_examples_appear_once(path: tuple[str, ...]) -> None:
    assert help_of(*path).count("Examples:") == 1


def test_the_top_help_lists_every_command_without_importing_one() -> None:
    assert sorted(SUMMARIES) == sorted(COMMANDS)
    code = (
        "import sys; from reconciler.cli import main; main.run(['--help']); "
        "print(sorted(m for m in sys.modules if m.startswith('reconciler.cli.') "
        "and m.rsplit('.', 1)[1] in main.COMMANDS))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.splitlines()[-1] == "[]"
    for name, summary in SUMMARIES.items():
        assert f"  {name}" in found.stdout and summary in found.stdout


def test_a_mistyped_command_gets_the_nearest_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plna"]) == 64
    assert capsys.readouterr().err.splitlines()[-1] == (
        "Error: No such command 'plna'. Did you mean 'plan'? (reconciler --help lists them)"
    )
