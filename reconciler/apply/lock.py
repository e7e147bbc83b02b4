"""One apply at a time per config: an flock next to it, released by the kernel on crash."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pathlib
from collections.abc import Iterator

from reconciler.errors import ReconcilerError


@contextlib.contextmanager
def exclusive(directory: pathlib.Path) -> Iterator[None]:
    path = directory / ".reconciler" / "apply.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise ReconcilerError(
                f"another reconciler apply is running on this config (pid {holder}, lock "
                f"{path}): wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
