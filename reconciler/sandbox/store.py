"""SQLite persistence for the sandbox: schema, transactions, counters, seeding.

One connection guarded by a lock; every request that writes runs inside `transaction()`
(BEGIN IMMEDIATE ... COMMIT), so a crash never leaves half a change behind.
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import phonenumbers

from reconciler.sandbox import seed as seedmod

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, api TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
  issued REAL NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS request_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, api TEXT, method TEXT, path TEXT, status INTEGER,
  body TEXT);
CREATE TABLE IF NOT EXISTS c2t_enterprise (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, reseller_id INTEGER NOT NULL,
  services TEXT NOT NULL, settings TEXT NOT NULL, app_synced INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS c2t_teams_user (
  enterprise_id INTEGER NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (enterprise_id, user_id));
CREATE TABLE IF NOT EXISTS c2t_number (
  id INTEGER PRIMARY KEY, enterprise_id INTEGER NOT NULL, e164 TEXT NOT NULL UNIQUE,
  country_code TEXT NOT NULL, national TEXT NOT NULL, did TEXT NOT NULL,
  voice INTEGER NOT NULL, sms INTEGER NOT NULL, fax INTEGER NOT NULL, route TEXT,
  carrier TEXT, assignee_type TEXT, assignee_id TEXT, services TEXT NOT NULL DEFAULT '[]');
CREATE INDEX IF NOT EXISTS c2t_number_enterprise ON c2t_number (enterprise_id);
CREATE TABLE IF NOT EXISTS c2t_sms_user (
  enterprise_id INTEGER NOT NULL, user_id TEXT NOT NULL, email TEXT, enable INTEGER NOT NULL,
  use_calling INTEGER NOT NULL, calling_number TEXT, user_type TEXT, user_tag TEXT,
  PRIMARY KEY (enterprise_id, user_id));
CREATE TABLE IF NOT EXISTS c2t_group (
  id INTEGER PRIMARY KEY, enterprise_id INTEGER NOT NULL, name TEXT NOT NULL,
  owner TEXT NOT NULL, enable INTEGER NOT NULL, group_ref TEXT);
CREATE INDEX IF NOT EXISTS c2t_group_enterprise ON c2t_group (enterprise_id);
CREATE TABLE IF NOT EXISTS c2t_group_member (
  group_id INTEGER NOT NULL, member TEXT NOT NULL, PRIMARY KEY (group_id, member));
CREATE TABLE IF NOT EXISTS csms_csp (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS csms_user (username TEXT PRIMARY KEY, password TEXT NOT NULL,
  csp_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS csms_enterprise (
  id TEXT PRIMARY KEY, csp_id TEXT NOT NULL, name TEXT NOT NULL, contact TEXT, number TEXT,
  email TEXT, deleted INTEGER NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS csms_mapping (
  id TEXT PRIMARY KEY, enterprise_id TEXT NOT NULL, phone TEXT NOT NULL UNIQUE,
  app_type TEXT NOT NULL, app_id TEXT NOT NULL, name TEXT);
CREATE TABLE IF NOT EXISTS csms_payment (email TEXT PRIMARY KEY, paid INTEGER NOT NULL,
  status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS csms_webhook_event (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS cnt_token (token TEXT PRIMARY KEY, callback_url TEXT);
CREATE TABLE IF NOT EXISTS cnt_message (
  request_id TEXT PRIMARY KEY, bulk_id TEXT, key TEXT, token TEXT NOT NULL, sender TEXT,
  recipient TEXT NOT NULL, message TEXT NOT NULL, encoding TEXT NOT NULL,
  segments INTEGER NOT NULL, created REAL NOT NULL, due REAL NOT NULL, status_int INTEGER,
  status_str TEXT, final INTEGER NOT NULL, done_at REAL);
CREATE INDEX IF NOT EXISTS cnt_message_bulk ON cnt_message (bulk_id);
CREATE TABLE IF NOT EXISTS inbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL, request_id TEXT NOT NULL,
  sender TEXT, message TEXT NOT NULL, delivered_to TEXT NOT NULL, at REAL NOT NULL);
"""

TABLES = [line.split()[5] for line in SCHEMA.splitlines() if line.startswith("CREATE TABLE")]


def did_of(e164: str) -> tuple[str, str, str]:
    """(country code, national number, DID) of an E.164 number.

    The DID is the number as the carrier holds it: the national number for NANP (+1),
    the full international digits otherwise.
    """
    parsed = phonenumbers.parse(e164, None)
    country = str(parsed.country_code)
    national = phonenumbers.national_significant_number(parsed)
    return country, national, national if country == "1" else country + national


class Store:
    def __init__(self, path: pathlib.Path | str) -> None:
        if str(path) != ":memory:":
            pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.RLock()
        self._depth = 0
        self._db.executescript(SCHEMA)
        # Read-mostly data kept in memory in front of SQLite (which stays the truth):
        # every request reads its settings and checks its token.
        self._meta: dict[str, Any] = {}
        self._log: list[tuple[Any, ...]] = []
        self._closed = False
        self.tokens: dict[str, tuple[int, str, str, str, float]] = {}

    def close(self) -> None:
        self.flush_log()
        self._closed = True
        self._db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._db
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    LOG_BATCH = 1  # write-through: a crash loses no answered request from the log

    def log(self, entry: tuple[Any, ...]) -> None:
        """Append to the request log (committed at once: WAL with synchronous=NORMAL makes
        that cheap)."""
        self._log.append(entry)
        if len(self._log) >= self.LOG_BATCH:
            self.flush_log()

    def flush_log(self) -> None:
        with self._lock:
            entries, self._log = self._log, []
            if entries and not self._closed:
                with self.transaction() as db:
                    db.executemany(
                        "INSERT INTO request_log (api, method, path, status, body)"
                        " VALUES (?, ?, ?, ?, ?)",
                        entries,
                    )

    def is_empty(self) -> bool:
        with self.transaction() as db:
            return bool(db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 0)

    def next_id(self, name: str, start: int = 1) -> int:
        with self.transaction() as db:
            row = db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
            value = row[0] + 1 if row else start
            db.execute("INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", (name, value))
            return int(value)

    def get_meta(self, key: str, default: Any = None) -> Any:
        if key not in self._meta:
            with self.transaction() as db:
                row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is None:
                return default
            self._meta[key] = json.loads(row[0])
        return self._meta[key]

    def set_meta(self, key: str, value: Any) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value))
            )
        self._meta[key] = json.loads(json.dumps(value))

    def reset(self, seed: seedmod.Seed) -> None:
        """Drop everything and load `seed`."""
        self._meta.clear()
        self.tokens.clear()
        self._log.clear()
        with self.transaction() as db:
            for table in TABLES:
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM sqlite_sequence")
            _load_seed(self, db, seed)

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table (GET /_sandbox/state)."""
        with self.transaction() as db:
            return {
                table: [dict(row) for row in db.execute(f"SELECT * FROM {table}")]
                for table in TABLES
                if table not in ("request_log", "tokens")
            }


def _serial(server_id: str) -> int:
    """The number in a ContextSMS id (E0000090 -> 90), 0 when it has none."""
    digits = "".join(c for c in server_id if c.isdigit())
    return int(digits) if digits else 0


def _load_seed(store: Store, db: sqlite3.Connection, seed: seedmod.Seed) -> None:
    c2t, csms, cnt = seed.connecttoteams, seed.contextsms, seed.connectel
    store.set_meta("c2t.clients", {c.clientId: c.clientSecret for c in c2t.clients})
    store.set_meta("c2t.users", {u.username: [u.password, u.resellerId] for u in c2t.users})
    store.set_meta("c2t.tokenTtl", c2t.tokenTtlSeconds)
    store.set_meta("csms.tokenTtl", csms.tokenTtlSeconds)
    store.set_meta("csms.webhookSecret", csms.stripeWebhookSecret)
    store.set_meta(
        "cnt.settings",
        {
            "deliveryDelaySeconds": cnt.deliveryDelaySeconds,
            "rejectRecipients": cnt.rejectRecipients,
            "expireRecipients": cnt.expireRecipients,
        },
    )
    max_enterprise, max_group = 0, 190  # new groups start at 191
    for enterprise in c2t.enterprises:
        max_enterprise = max(max_enterprise, enterprise.enterpriseId)
        db.execute(
            "INSERT INTO c2t_enterprise VALUES (?, ?, ?, ?, ?, ?)",
            (
                enterprise.enterpriseId,
                enterprise.enterpriseName,
                enterprise.resellerId,
                json.dumps(enterprise.services),
                json.dumps({"allowExternalNumbers": False, "restrictAdminAccess": False}),
                int(enterprise.appSynced),
            ),
        )
        db.executemany(
            "INSERT OR IGNORE INTO c2t_teams_user VALUES (?, ?)",
            [(enterprise.enterpriseId, user) for user in enterprise.teamsUsers],
        )
        for number in enterprise.numbers:
            country, national, did = did_of(number.number)
            assigned = number.assignedTo or {}
            db.execute(
                "INSERT INTO c2t_number (id, enterprise_id, e164, country_code, national, did,"
                " voice, sms, fax, route, carrier, assignee_type, assignee_id, services)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    number.id,
                    enterprise.enterpriseId,
                    number.number,
                    country,
                    national,
                    did,
                    int(number.voice),
                    int(number.sms),
                    int(number.fax),
                    number.voiceRouteType,
                    number.smsCarrierProfile,
                    assigned.get("type"),
                    assigned.get("id"),
                    json.dumps(number.services),
                ),
            )
        for sms_user in enterprise.smsUsers:
            db.execute(
                "INSERT INTO c2t_sms_user VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    enterprise.enterpriseId,
                    sms_user.userId,
                    sms_user.email or sms_user.userId,
                    int(sms_user.enable),
                    int(sms_user.useCallingPhoneNumber),
                    None,
                    sms_user.userType,
                    sms_user.userTag,
                ),
            )
        for group in enterprise.smsGroups:
            max_group = max(max_group, group.groupId)
            db.execute(
                "INSERT INTO c2t_group VALUES (?, ?, ?, ?, ?, NULL)",
                (
                    group.groupId,
                    enterprise.enterpriseId,
                    group.groupName,
                    group.groupOwner,
                    int(group.enable),
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO c2t_group_member VALUES (?, ?)",
                [(group.groupId, member) for member in group.members],
            )
    db.execute("INSERT INTO counters VALUES ('c2t.enterprise', ?)", (max_enterprise or 99,))
    db.execute("INSERT INTO counters VALUES ('c2t.group', ?)", (max_group,))
    for user in csms.users:
        db.execute(
            "INSERT INTO csms_user VALUES (?, ?, ?)", (user.username, user.password, user.cspId)
        )
    max_csp = 0
    for csp in csms.csps:
        max_csp = max(max_csp, int(csp.cspUserId[3:]))
        db.execute("INSERT INTO csms_csp VALUES (?, ?)", (csp.cspUserId, csp.model_dump_json()))
    db.execute("INSERT INTO counters VALUES ('csms.csp', ?)", (max_csp,))
    max_csms, max_mapping = 89, 122  # new ones start at E0000090 and NTMAP0000123
    for item in csms.enterprises:
        max_csms = max(max_csms, _serial(item.enterpriseId))
        db.execute(
            "INSERT INTO csms_enterprise VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (
                item.enterpriseId,
                item.cspId,
                item.name,
                item.contact,
                item.number,
                item.email,
                item.createdDate,
                item.createdDate,
            ),
        )
        for mapping in item.mappings:
            max_mapping = max(max_mapping, _serial(mapping.numberToMessageAppMapId))
            db.execute(
                "INSERT INTO csms_mapping VALUES (?, ?, ?, ?, ?, ?)",
                (
                    mapping.numberToMessageAppMapId,
                    item.enterpriseId,
                    mapping.phoneNumber,
                    mapping.messagingAppType,
                    mapping.messagingAppId,
                    mapping.name,
                ),
            )
    db.execute("INSERT INTO counters VALUES ('csms.enterprise', ?)", (max_csms,))
    db.execute("INSERT INTO counters VALUES ('csms.mapping', ?)", (max_mapping,))
    for payment in csms.payments:
        db.execute(
            "INSERT INTO csms_payment VALUES (?, ?, ?)",
            (payment.email, int(payment.paid), payment.subscriptionStatus),
        )
    for token in cnt.tokens:
        db.execute("INSERT INTO cnt_token VALUES (?, ?)", (token.token, token.callbackUrl))
    store.set_meta("seeded", True)
