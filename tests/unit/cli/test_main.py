from __future__ import annotations

import click
import pytest

from reconciler import errors
from reconciler.cli import main


@pytest.fixture
def boom() -> click.Command:
    @click.command("boom")
    @click.argument("kind")
    def command(kind: str) -> int:
        if kind == "ours":
            raise errors.ReconcilerError("something the user can fix")
        if kind == "interrupt":
            raise KeyboardInterrupt
        raise RuntimeError("a bug")

    main.cli.add_command(command)
    yield command
    main.cli.commands.pop("boom")


def test_usage_errors_exit_64(capsys: pytest.CaptureFixture[str]) -> None:
    assert main.run(["validate", "--nope"]) == 64
    assert main.run(["no-such-command"]) == 64
    assert "No such option '--nope'" in capsys.readouterr().err


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main.run(["--help"]) == 0
    assert main.run(["--version"]) == 0
    assert "reconciler, version" in capsys.readouterr().out


@pytest.mark.usefixtures("boom")
def test_error_funnel(capsys: pytest.CaptureFixture[str]) -> None:
    assert main.run(["boom", "ours"]) == 1
    assert capsys.readouterr().err == "error: something the user can fix\n"
    assert main.run(["boom", "interrupt"]) == 130
    assert main.run(["boom", "bug"]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: a bug (run with --debug" in err
    assert "Traceback" not in err
    assert main.run(["--debug", "boom", "bug"]) == 3
    assert "Traceback" in capsys.readouterr().err
