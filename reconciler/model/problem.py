"""A problem that stops one enterprise: its live state could not be read, or it cannot be
planned (a conflict, a failed precondition, a safety threshold). Data, carried on the
live state and on the plan, and rendered by every report; never everyone's error."""

from __future__ import annotations

from typing import Literal

from reconciler.model.kinds import Frozen

ProblemKind = Literal["read", "conflict", "precondition", "safety", "payment"]


class Problem(Frozen):
    """`object` names what it is about ("smsUser alice@..."), empty for the enterprise;
    `api` and `operation` name the failing call of a read problem."""

    kind: ProblemKind
    enterprise: str
    message: str
    object: str = ""
    api: str | None = None
    operation: str | None = None

    def describe(self) -> str:
        return f"enterprise '{self.enterprise}': {self.message}"
