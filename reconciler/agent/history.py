"""The agent's history in SQLite (the standard library's sqlite3, WAL so that `reconciler
history` reads while the agent writes): every cycle with its revision, trigger, times and
outcome; per enterprise its status, what was done, the differences found and the journal
of any apply; and the state a restart picks up (the last good revision).
"""

from __future__ import annotations

import json
import pathlib
import sqlite3
import threading
from typing import Any

from reconciler.errors import ReconcilerError
from reconciler.reports.history import CycleEntry, EnterpriseEntry

__all__ = ["CycleEntry", "EnterpriseEntry", "History", "open_existing"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS cycles (
    id INTEGER PRIMARY KEY,
    revision TEXT,
    trigger TEXT NOT NULL,
    started REAL NOT NULL,
    ended REAL NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS enterprises (
    cycle INTEGER NOT NULL REFERENCES cycles(id),
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    action TEXT NOT NULL,
    differences TEXT NOT NULL DEFAULT '[]',
    journal TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS enterprises_by_name ON enterprises(name, cycle);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class History:
    """The history at `path` (created on first use), safe to use from several threads."""

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ReconcilerError(f"{path}: cannot open the agent's history ({exc})") from None
        self._db.row_factory = sqlite3.Row

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, cycle: CycleEntry) -> int:
        """Keep `cycle`; its id."""
        with self._lock:
            self._db.execute("BEGIN")
            cursor = self._db.execute(
                "INSERT INTO cycles (revision, trigger, started, ended, outcome, note)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    cycle.revision,
                    cycle.trigger,
                    cycle.started,
                    cycle.ended,
                    cycle.outcome,
                    cycle.note,
                ),
            )
            number = int(cursor.lastrowid or 0)
            self._db.executemany(
                "INSERT INTO enterprises (cycle, name, status, action, differences, journal, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        number,
                        e.name,
                        e.status,
                        e.action,
                        json.dumps(list(e.differences)),
                        json.dumps(e.journal) if e.journal is not None else None,
                        e.error,
                    )
                    for e in cycle.enterprises
                ],
            )
            self._db.execute("COMMIT")
        return number

    def cycles(self, *, enterprise: str | None = None, limit: int = 20) -> list[CycleEntry]:
        """The latest cycles first (those that concern `enterprise`, when named)."""
        with self._lock:
            if enterprise is None:
                rows = self._db.execute(
                    "SELECT * FROM cycles ORDER BY id DESC LIMIT ?", (limit,)
                ).fetchall()
            else:
                rows = self._db.execute(
                    "SELECT DISTINCT c.* FROM cycles c JOIN enterprises e ON e.cycle = c.id"
                    " WHERE e.name = ? ORDER BY c.id DESC LIMIT ?",
                    (enterprise, limit),
                ).fetchall()
            found = []
            for row in rows:
                query = "SELECT * FROM enterprises WHERE cycle = ?"
                args: tuple[Any, ...] = (row["id"],)
                if enterprise is not None:
                    query, args = query + " AND name = ?", (row["id"], enterprise)
                entries = tuple(
                    EnterpriseEntry(
                        e["name"],
                        e["status"],
                        e["action"],
                        tuple(json.loads(e["differences"])),
                        json.loads(e["journal"]) if e["journal"] else None,
                        e["error"],
                    )
                    for e in self._db.execute(query + " ORDER BY name", args).fetchall()
                )
                found.append(
                    CycleEntry(
                        row["revision"],
                        row["trigger"],
                        row["started"],
                        row["ended"],
                        row["outcome"],
                        row["note"],
                        entries,
                        row["id"],
                    )
                )
        return found

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def put(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO state (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def open_existing(path: pathlib.Path) -> History:
    """The history at `path` for reading; an error naming it when there is none."""
    if not path.is_file():
        raise ReconcilerError(
            f"{path}: no agent history here; the agent writes it under its --state "
            "directory (agent.database of reconciler.yaml): pass --state DIR or --database PATH"
        )
    return History(path)
