"""What git says of the manifests' work tree: the HEAD commit and whether the manifests
differ from it (asked of the `git` command; nothing when git or a work tree is missing,
and never a long wait)."""

from __future__ import annotations

import pathlib
import shutil
import subprocess

GIT_TIMEOUT = 5.0  # seconds: a report never waits long for git


def commit_of(where: pathlib.Path, paths: tuple[pathlib.Path, ...]) -> tuple[str | None, bool]:
    """The HEAD commit of the work tree holding `where`, and whether `paths` differ from it."""
    git = shutil.which("git")
    if git is None:
        return None, False
    try:
        head = subprocess.run(
            [git, "rev-parse", "--verify", "-q", "HEAD"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
        if head.returncode != 0:
            return None, False
        scope = [str(p.resolve()) for p in paths] or ["."]
        status = subprocess.run(
            [git, "status", "--porcelain", "--", *scope],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None, False
    return head.stdout.strip() or None, bool(status.stdout.strip())


def toplevel(where: pathlib.Path) -> pathlib.Path | None:
    """The top of the git work tree holding `where`, None outside one (or without git)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        found = subprocess.run(
            [git, "rev-parse", "--show-toplevel"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = found.stdout.strip()
    return pathlib.Path(top).resolve() if found.returncode == 0 and top else None
