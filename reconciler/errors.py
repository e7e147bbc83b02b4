"""Our own exception family: every error a user can act on derives from ReconcilerError.

The CLI's single error funnel maps ReconcilerError to exit 1 and prints its message;
anything else is a bug (exit 3).
"""

from __future__ import annotations


class ReconcilerError(Exception):
    """An error the user can act on; its message says what, where and what to do."""


class ManifestError(ReconcilerError):
    """Manifests failed validation; `report` is the full rendered list of problems."""

    def __init__(self, report: str, count: int) -> None:
        super().__init__(report)
        self.count = count


class ConfigError(ReconcilerError):
    """reconciler.yaml is missing, malformed, or refers to something unavailable."""
