"""Our own exception family: every error a user can act on derives from ReconcilerError.

The CLI's single error funnel maps ReconcilerError to exit 1 and prints its message;
anything else is a bug (exit 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class ReconcilerError(Exception):
    """An error the user can act on; its message says what, where and what to do."""


class UsageError(ReconcilerError):
    """A command line that cannot mean anything (exit 64), e.g. a --selector without '='."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(f"Invalid value for {option}: {message}")
        self.option = option


class ManifestError(ReconcilerError):
    """Manifests failed validation: the message is the full rendered list of problems;
    `count` errors, and `problems` each with its file, position, path and message
    (`reconciler.yamlsource.problems.Problem`, warnings included)."""

    def __init__(self, report: str, count: int, problems: Sequence[Any] = ()) -> None:
        super().__init__(report)
        self.count = count
        self.problems = tuple(problems)


class Cancelled(ReconcilerError):
    """Whoever reviewed the plan said no: nothing was changed."""


class ConfigError(ReconcilerError):
    """reconciler.yaml is missing, malformed, or refers to something unavailable."""


class PlanError(ReconcilerError):
    """The plan cannot be made: conflicts, failed preconditions, safety thresholds."""


class ApiError(ReconcilerError):
    """A vendor API answered with an error, or could not be reached.

    Raised only by `reconciler.providers`, which translate every vendor error and transport
    failure into this family once, at the boundary. The message never holds a secret.
    """

    def __init__(
        self,
        api: str,
        operation: str,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        where = f"{api} {operation}"
        detail = " ".join(str(p) for p in (status, code) if p is not None)
        super().__init__(f"{where}: {detail + ': ' if detail else ''}{message}")
        self.api = api
        self.operation = operation
        self.status = status
        self.code = code
        self.detail = message


class Transient(ApiError):
    """Worth retrying: 5xx, timeouts, connection failures."""


class Unreachable(Transient):
    """The connection could not be made: the vendor never saw the request."""


class Down(Unreachable):
    """The API could not be reached earlier in this run (its calls were retried and none
    connected): later calls to it fail at once with the same message, never retried."""


class Malformed(Transient):
    """A 2xx whose body is not the answer the operation expects (an HTML page from a
    proxy, JSON cut short, a wrong type): the vendor's state is unknown, so it is retried."""


class RateLimited(Transient):
    """429; `retry_after` seconds when the server said so."""

    def __init__(self, *args: str, retry_after: float | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class Permanent(ApiError):
    """A 4xx other than 429: retrying will not help."""


class Unauthorized(Permanent):
    """401 even after re-authenticating, or bad credentials."""


class NotFound(Permanent):
    """404."""


class Conflict(Permanent):
    """409: the request contradicts the live state (e.g. DID_ALREADY_ASSIGNED)."""
