"""Standard output whose reader may go away (`reconciler apply --json | head -1`): what apply
writes there is for whoever reads it, and a reader that quits must not stop the apply.

The first write that finds the pipe closed points stdout at os.devnull, so every later
write (click's, the final report, the interpreter's flush at exit) goes nowhere instead of
raising BrokenPipeError, as Python's signal documentation advises. Other commands keep
click's handling: they only print, and stop quietly when their reader does."""

from __future__ import annotations

import os
import sys

_gone = False


def write(text: str) -> bool:
    """Write `text` to stdout and flush it; False when the reader has gone, now or before."""
    global _gone
    if _gone:
        return False
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _gone = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return False
    return True


def gone() -> bool:
    """Whether stdout's reader has gone away during this command."""
    return _gone


def reset() -> None:
    """A reader for the next command run in this process (tests run several)."""
    global _gone
    _gone = False
