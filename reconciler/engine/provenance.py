"""The facts a standalone report carries, gathered once per run: the clock, the tool's
version, the manifests' git commit (asked of git; nothing when git or a work tree is
missing) and the configured targets with any credential stripped from their URLs."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import time
import urllib.parse

from reconciler import __version__
from reconciler.config.loader import Config
from reconciler.providers.session import API_NAMES
from reconciler.reports.provenance import Provenance

GIT_TIMEOUT = 5.0  # seconds: a report never waits long for git


def gather(config: Config, paths: tuple[pathlib.Path, ...], at: float | None = None) -> Provenance:
    where = next((p if p.is_dir() else p.parent for p in paths), config.directory)
    commit, uncommitted = git_commit(where.resolve(), paths)
    return Provenance(
        at=time.time() if at is None else at,
        version=__version__,
        commit=commit,
        uncommitted=uncommitted,
        targets=targets(config),
        paths=tuple(str(p) for p in paths) or (".",),
    )


def targets(config: Config) -> tuple[tuple[str, str], ...]:
    providers = config.settings.providers
    found = []
    for key, name in API_NAMES.items():
        section = getattr(providers, key)
        if section is not None:
            found.append((name, public_url(section.url)))
    return tuple(found)


def public_url(url: str) -> str:
    """`url` without user, password, query or fragment (where credentials could hide)."""
    if url == "sandbox":
        return "sandbox (in-process)"
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def git_commit(where: pathlib.Path, paths: tuple[pathlib.Path, ...]) -> tuple[str | None, bool]:
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
