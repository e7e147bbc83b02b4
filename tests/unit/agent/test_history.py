"""The agent's history in SQLite: cycles kept and read back, by enterprise, across a
restart; the state a restart picks up."""

from __future__ import annotations

import json
import pathlib

import pytest

from reconciler.agent.history import CycleEntry, EnterpriseEntry, History, open_existing
from reconciler.cli import main
from reconciler.errors import ReconcilerError

JOURNAL = {"version": 2, "changes": [{"id": "a/mapping/+1", "status": "applied"}]}


def cycles() -> list[CycleEntry]:
    return [
        CycleEntry(
            "a" * 40,
            "start",
            100.0,
            101.5,
            "applied",
            "First manifests",
            (
                EnterpriseEntry("acme", "Synced", "applied", ("applied: a/mapping/+1",), JOURNAL),
                EnterpriseEntry("zeta", "Synced", "observed"),
            ),
        ),
        CycleEntry("a" * 40, "interval", 200.0, 200.5, "in sync"),
        CycleEntry(
            "a" * 40,
            "interval",
            300.0,
            301.0,
            "drift",
            "",
            (EnterpriseEntry("zeta", "OutOfSync", "observed", ("mapping +2: git x, live y",)),),
        ),
    ]


def test_cycles_are_kept_and_read_newest_first(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "state" / "history.db"
    with History(path) as history:
        ids = [history.record(c) for c in cycles()]
        assert ids == [1, 2, 3]
        found = history.cycles()
    assert [c.id for c in found] == [3, 2, 1]
    assert found[2] == CycleEntry(**{**cycles()[0].__dict__, "id": 1})
    with open_existing(path) as again:  # a restart, or `reconciler history`
        assert again.cycles(limit=1) == [CycleEntry(**{**cycles()[2].__dict__, "id": 3})]
        zeta = again.cycles(enterprise="zeta")
        acme = again.cycles(enterprise="acme")
        assert again.cycles(enterprise="nobody") == []
    assert [(c.id, [e.name for e in c.enterprises]) for c in zeta] == [(3, ["zeta"]), (1, ["zeta"])]
    assert [(c.id, c.enterprises[0].journal) for c in acme] == [(1, JOURNAL)]


def test_the_state_a_restart_reads(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "history.db"
    with History(path) as history:
        assert history.get("good") is None
        history.put("good", "a" * 40)
        history.put("good", "b" * 40)
    with History(path) as history:
        assert history.get("good") == "b" * 40


def test_as_dict_has_every_field_and_journals_when_asked() -> None:
    first = CycleEntry(**{**cycles()[0].__dict__, "id": 1})
    assert first.as_dict() == {
        "id": 1,
        "revision": "a" * 40,
        "trigger": "start",
        "started": 100.0,
        "ended": 101.5,
        "outcome": "applied",
        "note": "First manifests",
        "enterprises": [
            {
                "name": "acme",
                "status": "Synced",
                "action": "applied",
                "differences": ["applied: a/mapping/+1"],
                "error": None,
            },
            {
                "name": "zeta",
                "status": "Synced",
                "action": "observed",
                "differences": [],
                "error": None,
            },
        ],
    }
    assert first.as_dict(journals=True)["enterprises"][0]["journal"] == JOURNAL


def test_a_missing_or_foreign_file_is_a_clear_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ReconcilerError) as missing:
        open_existing(tmp_path / "nothing.db")
    assert str(missing.value) == (
        f"{tmp_path / 'nothing.db'}: no agent history here; the agent writes it under its "
        "--state directory (agent.database of reconciler.yaml): pass --state DIR or "
        "--database PATH"
    )
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database, just notes\n" * 100)
    with pytest.raises(ReconcilerError) as wrong:
        open_existing(foreign)
    assert str(wrong.value) == (
        f"{foreign}: cannot open the agent's history (file is not a database)"
    )


def test_reconciler_history_reads_the_file_of_the_state_directory(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no reconciler.yaml here: agent.database is history.db
    assert main.run(["history", "--state", "agent"]) == 1
    assert capsys.readouterr().err == (
        f"error: {pathlib.Path('agent/history.db')}: no agent history here; the agent writes "
        "it under its --state directory (agent.database of reconciler.yaml): pass --state "
        "DIR or --database PATH\n"
    )
    with History(tmp_path / "agent" / "history.db") as history:
        for cycle in cycles():
            history.record(cycle)
    assert main.run(["history", "--state", "agent", "--limit", "1"]) == 0
    assert capsys.readouterr().out == (
        "#3  1970-01-01T00:05:00.000Z  interval aaaaaaaaaaaa  drift    1.0 s\n"
        "    zeta  OutOfSync (observed)\n"
        "        mapping +2: git x, live y\n"
    )
    assert (
        main.run(["history", "--state", "agent", "--enterprise", "acme", "--format", "json"]) == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert [
        (c["id"], c["startedAt"], c["enterprises"][0]["journal"]) for c in document["cycles"]
    ] == [(1, "1970-01-01T00:01:40.000Z", JOURNAL)]
