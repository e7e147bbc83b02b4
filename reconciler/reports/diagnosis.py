"""What `reconciler doctor` found, check by check: pure values the engine fills and the
renderers show."""

from __future__ import annotations

import dataclasses
from typing import Literal

Status = Literal["pass", "fail", "skip"]


@dataclasses.dataclass(frozen=True)
class Check:
    """One check of one API: `what` was checked (environment, reach, authentication, or
    an operation of the endpoint map), with `endpoint` (METHOD path) and whether the
    vendor documents it; `detail` says what was seen, `fix` what to do when it failed."""

    api: str
    what: str
    status: Status
    detail: str
    fix: str = ""
    endpoint: str = ""
    documented: bool | None = None


@dataclasses.dataclass(frozen=True)
class Diagnosis:
    """Every check of every configured provider, in order; `ok` when none failed."""

    checks: tuple[Check, ...]
    notes: tuple[str, ...] = ()  # what was not used and why (invalid manifests, say)

    @property
    def ok(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    def count(self, status: Status) -> int:
        return sum(1 for c in self.checks if c.status == status)
