"""One apply at a time per config: an OS file lock next to it (filelock: flock on POSIX,
msvcrt on Windows), released by the OS when the process dies. The holder's pid is written
beside it so that a refused apply can say who holds it."""

from __future__ import annotations

import contextlib
import os
import pathlib
from collections.abc import Iterator

import filelock

from reconciler.errors import ReconcilerError


@contextlib.contextmanager
def exclusive(directory: pathlib.Path) -> Iterator[None]:
    folder = directory / ".reconciler"
    folder.mkdir(parents=True, exist_ok=True)
    path, holder = folder / "apply.lock", folder / "apply.pid"
    lock = filelock.FileLock(path, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        try:
            pid = holder.read_text(encoding="utf-8").strip() or "?"
        except OSError:
            pid = "?"
        raise ReconcilerError(
            f"another reconciler apply is running on this config (pid {pid}, lock {path}): "
            "wait for it to finish"
        ) from None
    try:
        holder.write_text(str(os.getpid()), encoding="utf-8")
        yield
    finally:
        holder.unlink(missing_ok=True)
        lock.release()
