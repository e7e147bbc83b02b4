"""One run: its loop and session, the time of each stage, what it cost, the apply lock,
and the in-process sandbox behind `url: sandbox`."""

from __future__ import annotations

import asyncio
import pathlib
import shutil

import pytest

from reconciler.engine import workspace
from reconciler.engine.run import Run
from reconciler.errors import ReconcilerError

ROOT = pathlib.Path(__file__).parents[3]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def sandboxed(tmp_path: pathlib.Path) -> pathlib.Path:
    """The examples, every provider the in-process sandbox (state under tmp_path)."""
    shutil.copytree(EXAMPLES / "enterprises", tmp_path / "enterprises")
    shutil.copy(EXAMPLES / "sandbox-seed.yaml", tmp_path / "sandbox-seed.yaml")
    text = (EXAMPLES / "reconciler.yaml").read_text().replace('exclude: ["ci/**"]', "exclude: []")
    (tmp_path / "reconciler.yaml").write_text(text)
    return tmp_path


def test_a_run_times_its_stages_and_counts_its_calls(sandboxed: pathlib.Path) -> None:
    ws = workspace.load((sandboxed / "enterprises",), None)
    with Run(ws.config) as run:
        planned = run.plan(ws)
        waited = run.perform(lambda: asyncio.sleep(0.01, result="done"), "send")
        summary = run.summary("plan")
    assert waited == "done"
    assert list(summary.stages) == ["read", "plan", "send"]
    assert summary.stages["send"] >= 0.01
    assert summary.calls == run.session.calls == len(summary.tally.calls) > 0
    assert {c.stage for c in summary.tally.calls} == {"read"}
    assert planned.plan.summary.total == 26 and planned.live.resellerId == 54
    assert summary.ended >= summary.started and summary.command == "plan"


def test_a_run_is_a_context_manager(sandboxed: pathlib.Path) -> None:
    run = Run(workspace.config(None, (sandboxed,)))
    with pytest.raises(AssertionError, match="use Run as a context manager"):
        run.session  # noqa: B018
    with pytest.raises(AssertionError, match="use Run as a context manager"):
        run.perform(lambda: asyncio.sleep(0))


def test_one_apply_at_a_time_per_config(sandboxed: pathlib.Path) -> None:
    config = workspace.config(None, (sandboxed,))
    with Run(config, exclusive=True), pytest.raises(ReconcilerError) as refused:
        Run(config, exclusive=True).__enter__()
    assert str(refused.value).startswith("another reconciler apply is running on this config (pid ")
    with Run(config, exclusive=True):  # released when the first ended
        pass


def test_an_error_in_the_run_is_not_hidden_by_closing(sandboxed: pathlib.Path) -> None:
    config = workspace.config(None, (sandboxed,))
    with pytest.raises(ZeroDivisionError), Run(config) as run:
        run.perform(lambda: asyncio.sleep(0))
        raise ZeroDivisionError
