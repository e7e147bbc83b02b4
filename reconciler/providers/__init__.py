"""Providers: the only code that speaks HTTP to ConnecttoTeams, ContextSMS and Connectel."""

import sys

# httpx imports its own command-line client (click, rich, pygments: 45-100 ms) whenever
# those are installed, as they are here; reconciler never uses it. A None entry makes
# that one import fail at once, into httpx's own fallback (an ImportError it catches).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
