"""The apply lock: one at a time, the refusal names the holder, the OS releases it when
the holder dies (no stale lock after a crash)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from reconciler.apply import lock
from reconciler.errors import ReconcilerError

HOLD = """
import sys, time
from reconciler.apply import lock
with lock.exclusive(__import__("pathlib").Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_apply_is_refused_naming_the_holder(tmp_path: pathlib.Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(ReconcilerError) as refused, lock.exclusive(tmp_path):
            pass
        assert str(refused.value) == (
            f"another reconciler apply is running on this config (pid {holder.pid}, lock "
            f"{tmp_path / '.reconciler' / 'apply.lock'}): wait for it to finish"
        )
    finally:
        holder.kill()  # dies holding it: the OS releases the lock
        holder.wait()
    with lock.exclusive(tmp_path):
        pid = (tmp_path / ".reconciler" / "apply.pid").read_text()
        assert pid == str(os.getpid())
    assert not (tmp_path / ".reconciler" / "apply.pid").exists()
