"""Times as every output writes them (UTC, to the millisecond), without the rest of
render.values: the log formatter of every command imports this, and must stay light."""

from __future__ import annotations

from reconciler.reports.provenance import iso

__all__ = ["iso"]
