"""Where a report comes from, so it stands alone as a CI artifact or in an audit: when it
was made, by which version, from which commit of the manifests, against which targets
(URLs only: never a credential)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any


@dataclasses.dataclass(frozen=True)
class Provenance:
    """Where a report comes from: when, which version, which commit, which targets."""

    at: float  # epoch seconds
    version: str
    commit: str | None = None  # of the manifests' git work tree, when there is one
    uncommitted: bool = False  # the manifests differ from that commit
    targets: tuple[tuple[str, str], ...] = ()  # (API, URL without credentials)
    paths: tuple[str, ...] = ()

    @property
    def timestamp(self) -> str:
        return iso(self.at)

    @property
    def where(self) -> str:
        """The commit as people say it: short, marked when the work tree differs."""
        if self.commit is None:
            return "not in a git work tree"
        return f"commit {self.commit[:12]}" + (
            " with uncommitted changes" if self.uncommitted else ""
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "generatedAt": self.timestamp,
            "toolVersion": self.version,
            "commit": self.commit,
            "uncommittedChanges": self.uncommitted,
            "targets": dict(self.targets),
            "paths": list(self.paths),
        }

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the header of a report."""
        return [
            ("Generated", self.timestamp),
            ("Tool", f"reconciler {self.version}"),
            ("Manifests", f"{', '.join(self.paths) or '.'} ({self.where})"),
            ("Targets", "; ".join(f"{api} {url}" for api, url in self.targets) or "none"),
        ]


def from_dict(data: dict[str, Any]) -> Provenance:
    """A Provenance read back from `as_dict` (a drift report's JSON)."""
    stamp = str(data["generatedAt"]).replace("Z", "+00:00")
    return Provenance(
        at=datetime.datetime.fromisoformat(stamp).timestamp(),
        version=str(data["toolVersion"]),
        commit=data.get("commit"),
        uncommitted=bool(data.get("uncommittedChanges")),
        targets=tuple((str(k), str(v)) for k, v in (data.get("targets") or {}).items()),
        paths=tuple(str(p) for p in data.get("paths") or ()),
    )


def iso(epoch: float) -> str:
    """UTC, to the millisecond: 2026-11-23T10:04:05.123Z."""
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
