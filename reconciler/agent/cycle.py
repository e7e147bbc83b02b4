"""The agent: its clone, its history, its targets, and one cycle at a time.

A cycle fetches the branch. A new revision is checked out, validated and applied through
`reconciler.api` (every safety rule of a plan holds: an enterprise a rule stops is held
back, not applied); a revision whose manifests or config are invalid is refused, named,
and the last good revision stays checked out. Between revisions a cycle observes drift:
an enterprise that drifted is applied back when its manifest says `policy.selfHeal:
true`, else reported OutOfSync. One enterprise's trouble is its own. Every cycle is kept
in the history; the last good revision there survives a restart.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import logging
import pathlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from reconciler import api
from reconciler.agent import history as historymod
from reconciler.agent.metrics import AgentMetrics
from reconciler.agent.notify import Notifier
from reconciler.agent.repository import GitError, Repository, public
from reconciler.config.loader import AgentConfig
from reconciler.model.state import Enterprise
from reconciler.render import drift as render_drift
from reconciler.reports import status as statusmod
from reconciler.reports.status import EnterpriseStatus, Notice, SyncStatus

log = logging.getLogger("reconciler.agent")
KEPT_CYCLES = 20  # shown on the status page
GRACE_MARGIN = 10.0  # seconds, after the request timeout, to write the journal and history
SPREAD = 0.5  # an observation's reads spread over this share of the interval
MIN_PACE = 1.0  # requests a second to each API, however long the interval
CONFIG_NAME = "reconciler.yaml"


@dataclasses.dataclass(frozen=True)
class Setup:
    """How the agent was started."""

    repository: Repository
    state: pathlib.Path  # the agent's own directory: its clone, its history by default
    path: str = "."  # the manifests' directory inside the repository
    config: pathlib.Path | None = None  # reconciler.yaml, when not found in the repository
    interval: float = 180.0
    shard: tuple[int, int] | None = None  # (i, N): shard i of `shards --by count=N`
    status_url: str | None = None  # where people read the status page (links in notices)
    env: Mapping[str, str] | None = None
    spread: bool = True  # pace observations over the interval (not for a single cycle)


class Agent:
    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.repo = setup.repository
        self.stop = threading.Event()  # set on SIGTERM: no new work starts
        self._lock = threading.Lock()  # guards what the HTTP surface reads
        self.good: str | None = None  # the last good revision: what live is reconciled to
        self.seen: str | None = None  # the last revision tried
        self.head: str | None = None
        self.refused: tuple[str, str] | None = None
        self.fetch_error: str | None = None
        self.busy = False
        self.started = time.time()
        self.statuses: dict[str, EnterpriseStatus] = {}
        self.heal: dict[str, bool] | None = None  # selfHeal per enterprise of `good`
        self.cycles: collections.deque[statusmod.CycleSummary] = collections.deque(
            maxlen=KEPT_CYCLES
        )
        self.metrics = AgentMetrics()
        self.settings: AgentConfig | None = None
        self.history: historymod.History | None = None
        self.notifier: Notifier | None = None
        # enterprises whose apply of `good` did not finish (failed, stopped): applied again
        # each cycle until they converge; and those a safety rule holds at `good`
        self.pending: set[str] = set()
        self.held: set[str] = set()
        self._reads: int | None = None  # the most calls to one API an observation made
        self.grace = 60.0  # seconds a stop may take: the request timeout and a margin
        self.status_url = setup.status_url  # links in notices: --public-url, else --listen

    # --- start and stop --------------------------------------------------------------

    def open(self) -> None:
        """Clone (or reuse the clone), read the agent's settings from the repository's
        reconciler.yaml, open the history and go back to the last good revision."""
        self.repo.ensure()
        try:
            self.head = self.repo.fetch()
        except GitError as exc:  # a restart while the remote is away: go on with the clone
            self.fetch_error = str(exc)
        if not self.repo.checked_out():
            if self.head is None:
                raise GitError(self.fetch_error or "nothing to check out")
            self.repo.checkout(self.head)
        config = self.reconciler().config()
        self.settings = config.agent(self.setup.env)
        self.grace = config.settings.apply.timeout + GRACE_MARGIN
        self.history = historymod.History(self.database(self.settings))
        self.good = self.history.get("good")
        self.seen = self.history.get("seen")
        refused = (self.history.get("refused") or "").split("\n", 1)
        if len(refused) == 2 and refused[0] == self.seen:  # still the branch's last word
            self.refused = (refused[0], refused[1])
        self.pending = set(json.loads(self.history.get("pending") or "[]"))
        if self.good is not None:
            self.repo.checkout(self.good)
        self.notifier = Notifier(self.settings.notifications, self.status_url)
        for entry in self.history.cycles(limit=KEPT_CYCLES)[::-1]:
            self.cycles.append(_summary(entry))

    def close(self) -> None:
        if self.notifier is not None:
            self.notifier.close()
        if self.history is not None:
            self.history.close()

    def database(self, settings: AgentConfig) -> pathlib.Path:
        """The history's file: agent.database, under --state when relative."""
        return self.setup.state / settings.database

    def reconciler(self) -> api.Reconciler:
        """The workspace of the revision checked out now, with the reconciler.yaml of
        --config, else the one found in the repository as the CLI finds it (never one
        outside the clone)."""
        manifests = self.repo.directory / self.setup.path
        return api.Reconciler(
            self.setup.config or self._config(manifests),
            [manifests],
            env=self.setup.env,
        )

    def pace(self) -> float:
        """Requests a second to each API for an observation, so that its reads spread
        over half the interval instead of coming in one burst (the configured rateLimit
        stays the ceiling; applies go at that rate). The reads are those of the last
        observation, else four an enterprise and the logins."""
        reads = self._reads or 4 * len(self.heal or {}) + 4
        return max(MIN_PACE, reads / (self.setup.interval * SPREAD))

    def _config(self, manifests: pathlib.Path) -> pathlib.Path:
        top = self.repo.directory.absolute()
        start = manifests.absolute()
        for directory in (start, *start.parents):
            if (directory / CONFIG_NAME).is_file():
                return directory / CONFIG_NAME
            if directory == top:
                break
        raise api.ConfigError(
            f"no {CONFIG_NAME} in the repository (looked in {self.setup.path} and above it, "
            "up to the repository's top): commit one, or start the agent with --config"
        )

    # --- one cycle -------------------------------------------------------------------

    def cycle(self, trigger: str, only: str | None = None) -> historymod.CycleEntry:
        """One cycle (for one enterprise only, when named); kept in the history."""
        started = time.time()
        with self._lock:
            self.busy = True
        try:
            entry = self._cycle(trigger, only, started)
        finally:
            with self._lock:
                self.busy = False
        assert self.history is not None, "open() the agent first"
        number = self.history.record(entry)
        entry = dataclasses.replace(entry, id=number)
        with self._lock:
            self.cycles.append(_summary(entry))
        self.metrics.cycle(entry, self.statuses)
        return entry

    def _cycle(self, trigger: str, only: str | None, started: float) -> historymod.CycleEntry:
        try:
            head = self.repo.fetch()
            with self._lock:
                self.head, self.fetch_error = head, None
        except GitError as exc:
            with self._lock:
                self.fetch_error = str(exc)
            head = None
        try:
            if head is not None and head != self.seen and only is None:
                return self._new_revision(head, trigger, started)
            if self.good is None:
                note = self.fetch_error or f"revision {(self.seen or '?')[:12]} was refused"
                return historymod.CycleEntry(None, trigger, started, time.time(), "failed", note)
            return self._observe(trigger, only, started)
        except api.ReconcilerError as exc:  # the revision's config, a lock held, git
            note = str(exc).splitlines()[0]
            return historymod.CycleEntry(self.good, trigger, started, time.time(), "failed", note)

    def _new_revision(self, head: str, trigger: str, started: float) -> historymod.CycleEntry:
        self.repo.checkout(head)
        self.seen = head
        assert self.history is not None
        self.history.put("seen", head)
        try:
            rec = self.reconciler()
            checked = rec.validate()
            reason = None if checked.ok else _first(checked.problems, checked.report)
            settings = rec.config().agent(self.setup.env)
        except api.ReconcilerError as exc:
            checked, reason = None, str(exc)
        if checked is None or reason is not None:
            return self._refuse(head, reason or "invalid", trigger, started)
        self._take(settings)
        with self._lock:
            self.refused = None
        self.heal = self._mine(rec, checked.enterprises)
        self.good = head  # valid: what live is reconciled to from now on
        self.history.put("good", head)
        self.held.clear()
        note = self.repo.subject(head)
        if not self.heal:
            return self._idle(head, trigger, started)
        result = rec.apply(api.Scope(enterprises=sorted(self.heal)), stop=self.stop)
        entries = self._after_apply(result, head, lambda name: "applied")
        outcome = "stopped" if result.report.stopped else ("applied" if result.ok else "failed")
        return historymod.CycleEntry(head, trigger, started, time.time(), outcome, note, entries)

    def _idle(self, revision: str, trigger: str, started: float) -> historymod.CycleEntry:
        """A cycle with no enterprise to reconcile (an empty shard, empty manifests)."""
        note = "no enterprise to reconcile"
        if self.setup.shard is not None:
            note = f"shard {self.setup.shard[0]}/{self.setup.shard[1]} holds no enterprise"
        return historymod.CycleEntry(revision, trigger, started, time.time(), "idle", note)

    def _take(self, settings: AgentConfig) -> None:
        """A new revision's agent settings: its token, hook secret and notification
        targets from now on (the history stays where it is until a restart)."""
        old = self.settings
        if old is not None and self.database(settings) != self.database(old):
            log.warning(
                "agent.database changed to %s: the history moves there at the next start",
                self.database(settings),
            )
        with self._lock:
            self.settings = dataclasses.replace(
                settings, database=old.database if old else settings.database
            )
        if old is None or old.notifications != settings.notifications:
            previous, self.notifier = (
                self.notifier,
                Notifier(settings.notifications, self.status_url),
            )
            if previous is not None:
                previous.close()

    def _refuse(
        self, head: str, reason: str, trigger: str, started: float
    ) -> historymod.CycleEntry:
        clone = f"{self.repo.directory.absolute()}/"  # files named as in the repository
        lines = statusmod.capped(reason.replace(clone, "").splitlines())
        with self._lock:
            self.refused = (head, lines[0] if lines else reason)
        assert self.history is not None
        self.history.put("refused", "\n".join(self.refused))
        self._notify(
            Notice(
                "revision-refused",
                None,
                head,
                f"revision {head[:12]} is not applied: {lines[0] if lines else reason}",
                lines[1:],
                time.time(),
            )
        )
        if self.good is not None:
            self.repo.checkout(self.good)  # the last good revision stays
        note = f"refused: {lines[0] if lines else reason}"
        return historymod.CycleEntry(head, trigger, started, time.time(), "refused", note)

    def _observe(self, trigger: str, only: str | None, started: float) -> historymod.CycleEntry:
        rec = self.reconciler()
        if self.heal is None:  # a restart: the revision checked out was validated before
            self.heal = self._mine(rec, rec.validate().enterprises)
        if not self.heal:
            return self._idle(self.good or "", trigger, started)
        scope = api.Scope(enterprises=[only] if only else sorted(self.heal))
        rec.pace = self.pace() if self.setup.spread and not only else None
        report = rec.drift(scope)
        rec.pace = None  # a heal applies at the configured rate
        self.metrics.run(report.cost)
        if report.cost is not None and not only:
            by_api = collections.Counter(c.api for c in report.cost.tally.calls)
            self._reads = max(by_api.values(), default=0) or None
        entries: list[historymod.EnterpriseEntry] = []
        heal: list[str] = []
        for enterprise in report.enterprises:
            lines = tuple(render_drift.line(d) for d in enterprise.differences)
            if enterprise.error is not None or enterprise.failed:
                why = enterprise.error or next(
                    (str(d.live) for d in enterprise.differences if d.action == "error"), ""
                )
                self._set(enterprise.name, "Failed", why, lines, event="failed")
                entries.append(
                    historymod.EnterpriseEntry(
                        enterprise.name, "Failed", "observed", lines, None, why
                    )
                )
            elif not enterprise.differences:
                at = (self.good or "")[:12]
                before = self.statuses.get(enterprise.name)
                self.pending.discard(enterprise.name)
                self.held.discard(enterprise.name)
                self._set(enterprise.name, "Synced", f"in sync with {at}", ())
                if before is not None and before.status != "Synced":  # kept: a change
                    entries.append(
                        historymod.EnterpriseEntry(enterprise.name, "Synced", "observed")
                    )
            elif enterprise.name in self.pending:
                heal.append(enterprise.name)  # its status stays until the apply says
            elif (self.heal or {}).get(enterprise.name):
                heal.append(enterprise.name)
                self._set(enterprise.name, "Healing", "drifted: applying git's state back", lines)
            elif enterprise.name in self.held:
                before = self.statuses.get(enterprise.name)
                why = before.detail if before else "held back by a safety rule"
                self._set(enterprise.name, "HeldBack", why, lines)
            else:
                detail = f"drifted: {len(lines)} difference{'s' if len(lines) != 1 else ''}"
                self._set(enterprise.name, "OutOfSync", detail, lines, event="drift")
                entries.append(
                    historymod.EnterpriseEntry(enterprise.name, "OutOfSync", "observed", lines)
                )
        outcome = "drift" if any(e.status == "OutOfSync" for e in entries) else "in sync"
        assert self.history is not None
        self.history.put("pending", json.dumps(sorted(self.pending)))
        if heal:
            finishing = set(self.pending)
            result = rec.apply(api.Scope(enterprises=heal), stop=self.stop)
            entries += self._after_apply(
                result, self.good, lambda name: "applied" if name in finishing else "healed"
            )
            healed = "healed" if set(heal) - finishing else "applied"
            outcome = healed if result.ok else "failed"
            if result.report.stopped:
                outcome = "stopped"
        if any(e.status == "Failed" for e in entries):
            outcome = "failed"
        return historymod.CycleEntry(
            self.good, trigger, started, time.time(), outcome, "", tuple(entries)
        )

    def _after_apply(
        self,
        result: api.ApplyResult,
        revision: str | None,
        action_of: Callable[[str], Literal["applied", "healed"]],
    ) -> tuple[historymod.EnterpriseEntry, ...]:
        """Each enterprise of an apply: its status, its notice, its history entry; those
        it did not finish stay pending (applied again next cycle), those a rule holds are
        held (until a new revision)."""
        self.metrics.run(result.run)
        convergence = result.convergence
        remaining = set(convergence.unconverged) if convergence else set()
        halted = result.report.halted  # a wave whose health gate failed
        entries = []
        for planned in result.plan.enterprises:
            name = planned.name
            action = action_of(name)
            mine = [o for o in result.outcomes if o.enterprise == name]
            failed = [o for o in mine if o.status == "failed"]
            journal = _journal_of(result.journal, name) if mine else None
            status: SyncStatus
            event: statusmod.NoticeEvent | None
            if planned.failed:
                status = statusmod.held_or_failed(planned.problems)
                why = "; ".join(p.message for p in planned.problems)
                event = "failed" if status == "Failed" else None
            elif planned.heldBack:  # a change window: it waits, no failure
                status, why, event = "HeldBack", planned.heldBack, None
            elif failed:
                status, why, event = "Failed", failed[0].reason, "failed"
            elif halted is not None and halted.gate and name in halted.enterprises:
                why = f"health gate ({halted.gate.kind}) failed: {halted.gate.reason}"
                status, event = "Failed", "failed"
            elif skipped := [o for o in mine if o.status == "skipped"]:
                status, why, event = "Unknown", skipped[0].reason, None
            elif name in remaining:
                status, why, event = "Failed", "not converged after the apply", "failed"
            else:
                status, at, count = "Synced", (revision or "")[:12], len(mine)
                plural = "s" if count != 1 else ""
                why = f"{action} {count} change{plural} at {at}" if count else f"in sync with {at}"
                event = action if count else None
            # what did not finish, and what a change window holds, is tried every cycle
            unfinished = status in ("Failed", "Unknown") or bool(planned.heldBack)
            (self.pending.add if unfinished else self.pending.discard)(name)
            ruled = status == "HeldBack" and not planned.heldBack  # until a new revision
            (self.held.add if ruled else self.held.discard)(name)
            lines = tuple(f"{o.status}: {o.change_id}" for o in mine)
            self._set(
                name,
                status,
                why,
                () if status == "Synced" else lines,
                event=event,
                revision=revision,
                details=lines,
            )
            entries.append(
                historymod.EnterpriseEntry(
                    name,
                    status,
                    action if mine else "observed",
                    lines,
                    journal,
                    None if status == "Synced" else why,
                )
            )
        assert self.history is not None
        self.history.put("pending", json.dumps(sorted(self.pending)))
        return tuple(entries)

    def _mine(self, rec: api.Reconciler, enterprises: Mapping[str, Enterprise]) -> dict[str, bool]:
        """The enterprises this agent reconciles (all, or its shard's, as `reconciler
        shards --by count=N` makes them) and whether each heals itself."""
        names = sorted(enterprises)
        if self.setup.shard is not None:
            index, count = self.setup.shard
            shards = rec.shards(f"count={count}")
            names = list(shards[index - 1]["enterprises"]) if index <= len(shards) else []
        return {n: enterprises[n].policy.selfHeal for n in names}

    # --- what the HTTP surface reads ------------------------------------------------

    def _set(
        self,
        name: str,
        status: SyncStatus,
        detail: str,
        differences: tuple[str, ...],
        *,
        event: statusmod.NoticeEvent | None = None,
        revision: str | None = None,
        details: tuple[str, ...] = (),
    ) -> None:
        """Set an enterprise's status; tell the targets when it changed (a drift once per
        distinct set of differences, a failure once per distinct reason)."""
        now = time.time()
        with self._lock:
            before = self.statuses.get(name)
            changed = before is None or (before.status, before.differences, before.detail) != (
                status,
                statusmod.capped(differences),
                detail,
            )
            since = before.since if before is not None and before.status == status else now
            synced = now if status == "Synced" else (before.last_synced if before else None)
            self.statuses[name] = EnterpriseStatus(
                name,
                status,
                since,
                detail,
                revision or (before.revision if before else self.good),
                bool((self.heal or {}).get(name)),
                statusmod.capped(differences),
                synced,
            )
        if event is not None and (changed or event in ("applied", "healed")):
            self._notify(
                Notice(
                    event,
                    name,
                    revision or self.good,
                    detail,
                    statusmod.capped(details or differences),
                    now,
                )
            )

    def _notify(self, notice: Notice) -> None:
        if self.notifier is not None:
            self.notifier.notify(notice)

    def snapshot(self) -> statusmod.AgentStatus:
        with self._lock:
            return statusmod.AgentStatus(
                repository=public(self.repo.source),
                branch=self.repo.branch,
                revision=self.good,
                head=self.head,
                refused=self.refused,
                interval=self.setup.interval,
                started=self.started,
                enterprises=tuple(self.statuses[n] for n in sorted(self.statuses)),
                cycles=tuple(reversed(self.cycles)),
                notifications=self.notifier.status() if self.notifier else (),
                fetch_error=self.fetch_error,
                busy=self.busy,
            )

    def knows(self, enterprise: str) -> bool:
        with self._lock:
            return enterprise in self.statuses or enterprise in (self.heal or {})


def _first(problems: Sequence[api.ManifestProblem], report: str) -> str:
    """Why a revision is refused: its first problem on the first line (file:line:column,
    path, message), then the whole report."""
    return "\n".join([problems[0].render(), *report.splitlines()]) if problems else report


def _summary(entry: historymod.CycleEntry) -> statusmod.CycleSummary:
    return statusmod.CycleSummary(
        entry.id,
        entry.revision,
        entry.trigger,
        entry.started,
        entry.ended,
        entry.outcome,
        entry.note,
    )


def _journal_of(journal: dict[str, Any], enterprise: str) -> dict[str, Any]:
    """The journal of an apply, narrowed to one enterprise's changes."""
    mine = [c for c in journal.get("changes", []) if c.get("enterprise") == enterprise]
    return {
        **{k: v for k, v in journal.items() if k not in ("changes", "otherCalls")},
        "changes": mine,
    }
