"""Bearer tokens for the sandbox's ConnecttoTeams and ContextSMS APIs: issue, check, refresh."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from reconciler.sandbox import errors
from reconciler.sandbox.clock import Clock
from reconciler.sandbox.store import Store


@dataclass(frozen=True)
class Token:
    value: str
    subject: str
    expires: float


def issue(store: Store, clock: Clock, api: str, kind: str, subject: str, ttl: float) -> Token:
    value = secrets.token_urlsafe(24)
    now = clock.now()
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?)",
            (value, api, kind, subject, now, now + ttl),
        )
        store.tokens[value] = (cursor.lastrowid or 0, api, kind, subject, now + ttl)
    return Token(value, subject, now + ttl)


def check(store: Store, clock: Clock, api: str, header: str | None, watermark: int = 0) -> str:
    """The subject of a valid `Bearer` access token in `header`, else 401.

    Tokens issued at or before `watermark` (the expireTokens fault) count as expired.
    """
    if not header or not header.startswith("Bearer "):
        raise errors.unauthorized("Missing bearer token")
    return lookup(store, clock, api, "access", header[7:], watermark)


def lookup(store: Store, clock: Clock, api: str, kind: str, value: str, watermark: int = 0) -> str:
    cached = store.tokens.get(value)
    if cached is None:  # issued before a restart
        with store.transaction() as db:
            row = db.execute(
                "SELECT rowid, api, kind, subject, expires FROM tokens WHERE token = ?", (value,)
            ).fetchone()
        if row is None:
            raise errors.unauthorized()
        cached = (row[0], row[1], row[2], row[3], row[4])
        store.tokens[value] = cached
    rowid, token_api, token_kind, subject, expires = cached
    if (token_api, token_kind) != (api, kind) or expires <= clock.now() or rowid <= watermark:
        raise errors.unauthorized()
    return subject


def watermark(store: Store) -> int:
    """The sequence number of the newest token issued so far."""
    with store.transaction() as db:
        return int(db.execute("SELECT COALESCE(MAX(rowid), 0) FROM tokens").fetchone()[0])


def revoke(store: Store, value: str) -> None:
    store.tokens.pop(value, None)
    with store.transaction() as db:
        db.execute("DELETE FROM tokens WHERE token = ?", (value,))
