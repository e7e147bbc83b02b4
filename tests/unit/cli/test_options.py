"""The command line's shared parts: the workspace option block that becomes a Reconciler
and a Scope, global options after the command, and the inventory fitted to a terminal."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import click
import pytest

from reconciler import api
from reconciler.cli import main, options, tables

SEEN: dict[str, object] = {}


@pytest.fixture
def probe() -> Iterator[None]:
    @click.command("probe")
    @options.workspace()
    def scoped(rec: api.Reconciler, scope: api.Scope) -> int:
        SEEN.update(rec=rec, scope=scope)
        return 0

    @click.command("probe-all")
    @options.workspace(scoped=False)
    def unscoped(rec: api.Reconciler) -> int:
        SEEN.update(rec=rec, scope=None)
        return 0

    main.cli.add_command(scoped)
    main.cli.add_command(unscoped)
    yield
    main.cli.commands.pop("probe")
    main.cli.commands.pop("probe-all")
    SEEN.clear()


@pytest.mark.usefixtures("probe")
def test_the_workspace_options_become_a_reconciler_and_a_scope() -> None:
    argv = [
        "probe",
        "a/",
        "b.yaml",
        "--config",
        "c.yaml",
        "--enterprise",
        "x",
        "--selector",
        "tier=gold",
        "--exclude",
        "y",
        "--exclude-selector",
        "ring=canary",
    ]
    assert main.run(argv) == 0
    rec = SEEN["rec"]
    assert isinstance(rec, api.Reconciler)
    assert (rec.config_path, rec.paths) == (
        pathlib.Path("c.yaml"),
        (pathlib.Path("a/"), pathlib.Path("b.yaml")),
    )
    assert SEEN["scope"] == api.Scope(("x",), {"tier": "gold"}, ("y",), {"ring": "canary"})
    assert main.run(["probe-all"]) == 0
    assert (SEEN["rec"].paths, SEEN["scope"]) == ((), None)  # type: ignore[attr-defined]


@pytest.mark.usefixtures("probe")
def test_a_selector_without_a_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main.run(["probe", "--selector", "tier"]) == 64
    assert (
        capsys.readouterr().err == "Error: Invalid value for --selector: 'tier' is not key=value\n"
    )
    assert main.run(["probe", "--exclude-selector", "=x"]) == 64
    assert capsys.readouterr().err == (
        "Error: Invalid value for --exclude-selector: '=x' is not key=value\n"
    )


def test_global_options_after_the_command_move_before_it() -> None:
    assert main.hoist(["plan", ".", "--no-color", "--log-level", "info", "-q"]) == [
        "--no-color",
        "--log-level",
        "info",
        "-q",
        "plan",
        ".",
    ]
    assert main.hoist(["--debug", "apply", "--log-format=json", "--", "--no-color"]) == [
        "--debug",
        "--log-format=json",
        "apply",
        "--",
        "--no-color",
    ]
    assert main.hoist(["--version"]) == ["--version"]  # no command: nothing moves


def test_the_inventory_fits_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        api.Row(
            "acme",
            "+12025550101",
            True,
            True,
            False,
            "DIRECT_ROUTING",
            "Bandwidth (BW for Testing) - (Demo Company)",
            "alice@sunshinedental.com",
            "USER",
            ("SMS",),
            "SMS user alice@sunshinedental.com",
        ),
        api.Row(
            "acme",
            "+12025550102",
            False,
            True,
            False,
            None,
            None,
            "",
            "",
            (),
            "SMS group Front Desk",
        ),
    ]
    tables.inventory(rows, 80)
    out = capsys.readouterr().out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert out.splitlines()[0] == "acme"  # a heading per enterprise instead of a column
    assert "+12025550101" in out and "+12025550102" in out  # numbers are never broken
    assert "same" in out  # wanted where it is
    assert out.endswith("2 numbers\n")
