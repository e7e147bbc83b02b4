"""Apply on the terminal, fed by hand-made events through the real command group: plain
lines in CI, JSON lines with --json, nothing with --quiet; the review's refusal off a
terminal; how an apply ends and its exit code."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator

import click
import pytest

from reconciler import api
from reconciler.apply.outcome import Convergence, Event, Outcome, Report
from reconciler.cli import main, pipe, progress
from reconciler.model.record import Retry, Tally
from reconciler.plan.model import Change, EnterprisePlan, Plan
from reconciler.reports.runsummary import RunSummary

ID = "acme/smsUser/a@x.com"
EVENTS = [
    Event("start", ID, 0, 2),
    Event(
        "retry", ID, 0, 2, retry=Retry("ConnecttoTeams", "userDids", 1, 0.5, "503 busy", "acme", ID)
    ),
    Event("finish", ID, 1, 2, Outcome(ID, "acme", "applied", "", 1.0, 0.42)),
    Event(
        "finish",
        "acme/sync/Unified App",
        2,
        2,
        Outcome("acme/sync/Unified App", "acme", "failed", "409 no"),
    ),
]
PLAN = Plan(
    enterprises=(
        EnterprisePlan(
            name="acme",
            ids={},
            changes=(
                Change(id=ID, enterprise="acme", kind="smsUser", key="a@x.com", action="create"),
            ),
        ),
    )
)


@pytest.fixture
def feed() -> Iterator[None]:
    @click.command("feed")
    @click.option("--json", "as_json", is_flag=True)
    def command(as_json: bool) -> int:
        with progress.Reporter(as_json=as_json, color=False) as reporter:
            for event in EVENTS:
                reporter(event)
        return 0

    main.cli.add_command(command)
    yield
    main.cli.commands.pop("feed")


def test_ci_gets_one_line_per_finished_change(
    feed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.run(["feed"]) == 0
    out, err = capsys.readouterr()
    assert out == ""  # a retry is the log's to say (a warning: shown by default)
    assert err.splitlines() == [
        f"[1/2] applied {ID} (0.4 s)",
        "[2/2] failed acme/sync/Unified App: 409 no",
    ]


def test_with_json_logs_progress_is_json_events_on_stderr(
    feed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.run(["--log-format", "json", "feed"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    events = [json.loads(line) for line in err.splitlines()]
    assert [
        {k: e[k] for k in ("level", "logger", "message", "event", "status")} for e in events
    ] == [
        {
            "level": "info",
            "logger": "reconciler.cli",
            "message": f"[1/2] applied {ID} (0.4 s)",
            "event": "finish",
            "status": "applied",
        },
        {
            "level": "error",
            "logger": "reconciler.cli",
            "message": "[2/2] failed acme/sync/Unified App: 409 no",
            "event": "finish",
            "status": "failed",
        },
    ]
    assert [(e["change"], e["done"], e["total"]) for e in events] == [
        (ID, 1, 2),
        ("acme/sync/Unified App", 2, 2),
    ]


def test_json_gets_one_event_per_line_on_stdout(
    feed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.run(["feed", "--json"]) == 0
    out, err = capsys.readouterr()
    events = [json.loads(line) for line in out.splitlines()]
    assert err == ""
    assert events == [
        {"event": "start", "change": ID, "done": 0, "total": 2},
        {
            "event": "retry",
            "change": ID,
            "api": "ConnecttoTeams",
            "operation": "userDids",
            "attempt": 1,
            "waitMs": 500.0,
            "reason": "503 busy",
        },
        {
            "event": "finish",
            "change": ID,
            "done": 1,
            "total": 2,
            "status": "applied",
            "reason": "",
            "seconds": 0.42,
        },
        {
            "event": "finish",
            "change": "acme/sync/Unified App",
            "done": 2,
            "total": 2,
            "status": "failed",
            "reason": "409 no",
            "seconds": 0.0,
        },
    ]


def test_quiet_says_nothing_of_progress(feed: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.run(["--quiet", "feed"]) == 0
    assert capsys.readouterr() == ("", "")


def test_the_review_asks_only_where_someone_can_answer(capsys: pytest.CaptureFixture[str]) -> None:
    ctx = click.Context(main.cli, obj={"color": False})
    quiet = progress.Review(ctx, ask=False, as_json=True)
    assert quiet(PLAN) is True and capsys.readouterr().out == ""
    asking = progress.Review(ctx, ask=True, as_json=False)
    with pytest.raises(api.ReconcilerError) as refused:
        asking(PLAN)  # stdin is not a terminal under pytest
    assert str(refused.value).startswith("refusing to apply without confirmation: not a terminal")
    assert capsys.readouterr().out.startswith("acme\n  + smsUser a@x.com\n")
    assert asking(Plan()) is True  # nothing to apply: nothing to ask


def test_how_an_apply_ends_and_its_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    run = RunSummary("apply", 0.0, 1.0, {}, Tally())
    done = Report((Outcome(ID, "acme", "applied"),), 2, {}, Convergence(("acme",), calls=4))
    assert progress.finish(api.ApplyResult(PLAN, done, run, {}), as_json=False) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "Converged: a re-read of the 1 changed enterprise plans no changes (4 API calls).",
        "Apply complete: 1 applied, 0 failed, 0 skipped (2 API calls).",
    ]
    assert err == ""
    failed = Report((Outcome(ID, "acme", "failed", "409 no"),), 1)
    assert progress.finish(api.ApplyResult(PLAN, failed, run, {}), as_json=False) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"  failed: {ID}: 409 no",
        "Run apply again once the cause is fixed: it picks up where this one stopped.",
    ]
    assert progress.finish(api.ApplyResult(PLAN, failed, run, {}), as_json=True) == 1
    summary = json.loads(capsys.readouterr().out)
    assert (summary["event"], summary["failed"], summary["convergence"]) == ("summary", 1, None)


@contextlib.contextmanager
def closed_stdout() -> Iterator[io.TextIOWrapper]:
    """Standard output as a real pipe whose reader has gone (`| head -1` after its line).
    Set inside the test: pytest's capture puts its own sys.stdout back after fixtures."""
    read, write = os.pipe()
    os.close(read)
    stream = io.TextIOWrapper(os.fdopen(write, "wb"), encoding="utf-8")
    before, sys.stdout = sys.stdout, stream
    pipe.reset()
    try:
        yield stream
    finally:
        sys.stdout = before
        pipe.reset()
        stream.close()


def test_a_closed_stdout_goes_nowhere_from_its_first_failed_write() -> None:
    with closed_stdout() as stdout:
        assert pipe.write("lost\n") is False and pipe.gone()
        stdout.write("after\n")  # click's own writes and the flush at exit do not fail
        stdout.flush()
        assert pipe.write("more\n") is False


def test_the_review_refuses_a_plan_that_could_not_be_shown_and_yes_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ctx = click.Context(main.cli, obj={"color": False})
    with closed_stdout(), pytest.raises(api.ReconcilerError) as refused:
        progress.Review(ctx, ask=True, as_json=False)(PLAN)
    assert str(refused.value) == (
        "refusing to apply: standard output was closed before the plan was shown whole; "
        "nothing was applied"
    )
    run = RunSummary("apply", 0.0, 1.0, {}, Tally())
    done = Report((Outcome(ID, "acme", "applied"),), 2, {})
    with closed_stdout():
        assert progress.Review(ctx, ask=False, as_json=False)(PLAN) is True
        assert progress.finish(api.ApplyResult(PLAN, done, run, {}), as_json=False) == 0
    assert capsys.readouterr() == (
        "",
        "standard output was closed by its reader: nothing more is written there; "
        "the apply goes on (--yes)\n",
    )
