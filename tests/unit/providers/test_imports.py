"""What importing the HTTP layer costs: not httpx's own command-line client."""

from __future__ import annotations

import subprocess
import sys


def test_httpx_is_imported_without_its_command_line_client() -> None:
    probe = (
        "import sys, reconciler.providers.session, httpx; "
        "print(sorted(m for m in ('httpx._main', 'pygments', 'rich.console') "
        "if sys.modules.get(m) is not None))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == "[]\n"
    assert callable(__import__("httpx").main)  # httpx's fallback, should anyone call it
