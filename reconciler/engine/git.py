"""What git says of the manifests' work tree: the HEAD commit and whether the manifests
differ from it (asked of the `git` command; nothing when git or a work tree is missing,
and never a long wait)."""

from __future__ import annotations

import pathlib
import shutil
import subprocess

GIT_TIMEOUT = 5.0  # seconds: a report never waits long for git


def _git(where: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    """`git ARGS` run in `where`; None when git is missing, cannot run or is too slow."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run(
            [git, *args],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def head(where: pathlib.Path) -> str | None:
    """The HEAD commit of the work tree holding `where`, None outside one."""
    found = _git(where, "rev-parse", "--verify", "-q", "HEAD")
    return (found.stdout.strip() or None) if found and found.returncode == 0 else None


def commit_of(where: pathlib.Path, paths: tuple[pathlib.Path, ...]) -> tuple[str | None, bool]:
    """The HEAD commit of the work tree holding `where`, and whether `paths` differ from it."""
    commit = head(where)
    if commit is None:
        return None, False
    scope = [str(p.resolve()) for p in paths] or ["."]
    status = _git(where, "status", "--porcelain", "--", *scope)
    if status is None:
        return None, False
    return commit, bool(status.stdout.strip())


def toplevel(where: pathlib.Path) -> pathlib.Path | None:
    """The top of the git work tree holding `where`, None outside one (or without git)."""
    found = _git(where, "rev-parse", "--show-toplevel")
    top = found.stdout.strip() if found else ""
    return pathlib.Path(top).resolve() if found and found.returncode == 0 and top else None
