"""Every command's --help ends with examples that are real command lines."""

from __future__ import annotations

import click
import pytest

from reconciler.cli.main import COMMANDS, cli

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
