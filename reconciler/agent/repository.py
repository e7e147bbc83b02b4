"""The agent's own clone of the manifests' repository, kept with the `git` command: fetch
the branch, check out a revision; and a temporary work tree of an earlier revision (for
`apply --revision`). Every git call is bounded in time and its failure is a GitError naming
what failed (never the URL's credentials)."""

from __future__ import annotations

import contextlib
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator, Sequence

from reconciler.errors import ReconcilerError

GIT_TIMEOUT = 120.0  # seconds for one git call (a clone of a large repository)
CREDENTIALS = re.compile(r"(://)[^/\s@]+@")  # a URL's user, password or token, in git's words


class GitError(ReconcilerError):
    """A git command failed: what was asked, and git's own words."""


def public(source: str) -> str:
    """`source` without the user, password or token it may carry (https://TOKEN@host/...,
    https://user:TOKEN@host/...): a URL as it may be shown and logged."""
    parts = urllib.parse.urlsplit(source)
    if parts.scheme and "@" in parts.netloc:
        host = parts.netloc.rpartition("@")[2]
        return urllib.parse.urlunsplit(parts._replace(netloc=host))
    return source


def run_git(where: pathlib.Path | None, *args: str, what: str) -> str:
    git = shutil.which("git")
    if git is None:
        raise GitError(f"{what}: git is not installed (the agent needs the git command)")
    try:
        done = subprocess.run(
            [git, *args],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},  # never wait for a password
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"{what}: git did not answer within {GIT_TIMEOUT:.0f} s") from None
    if done.returncode != 0:
        said = CREDENTIALS.sub(r"\1", " ".join(done.stderr.split()))[:300]
        said = said or f"exit {done.returncode}"
        raise GitError(f"{what}: {said}")
    return done.stdout


class Repository:
    """A clone of `source` (a URL or a local path) in `directory`, following `branch`."""

    def __init__(self, source: str, directory: pathlib.Path, branch: str = "main") -> None:
        self.source = source
        self.directory = directory
        self.branch = branch

    def __repr__(self) -> str:
        return f"Repository({public(self.source)!r}, branch={self.branch!r})"

    def ensure(self) -> None:
        """Clone the repository unless the directory holds the clone already."""
        if (self.directory / ".git").is_dir():
            return
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        run_git(
            None,
            "clone",
            "--quiet",
            "--no-checkout",
            "--branch",
            self.branch,
            self.source,
            str(self.directory),
            what=f"cannot clone {public(self.source)} (branch {self.branch})",
        )

    def fetch(self) -> str:
        """Fetch the branch; the revision it points at."""
        self.ensure()
        ref = f"refs/remotes/origin/{self.branch}"
        run_git(
            self.directory,
            "fetch",
            "--quiet",
            "--prune",
            "origin",
            f"+refs/heads/{self.branch}:{ref}",
            what=f"cannot fetch {self.branch} from {public(self.source)}",
        )
        return self.resolve(ref)

    def resolve(self, revision: str) -> str:
        """The full commit id of `revision` (a SHA, a prefix of one, a ref)."""
        out = run_git(
            self.directory,
            "rev-parse",
            "--verify",
            "--quiet",
            f"{revision}^{{commit}}",
            what=f"no commit {revision!r} in {public(self.source)}",
        )
        return out.strip()

    def checkout(self, revision: str) -> pathlib.Path:
        """The work tree at `revision` (tracked files as they are there; untracked files,
        such as the agent's own state, are left alone)."""
        run_git(
            self.directory,
            "checkout",
            "--quiet",
            "--force",
            "--detach",
            revision,
            what=f"cannot check out {revision[:12]}",
        )
        return self.directory

    def checked_out(self) -> bool:
        """Whether the agent checked a revision out already (it always detaches HEAD; a
        new clone, made with --no-checkout, has HEAD on the branch and no files)."""
        try:
            run_git(self.directory, "symbolic-ref", "--quiet", "HEAD", what="symbolic-ref")
        except GitError:
            return True
        return False

    def subject(self, revision: str) -> str:
        """The first line of the commit's message."""
        out = run_git(
            self.directory, "log", "-1", "--format=%s", revision, what="cannot read the commit"
        )
        return out.strip()


def top_level(where: pathlib.Path) -> pathlib.Path:
    """The root of the git work tree holding `where`."""
    start = where if where.is_dir() else where.parent
    out = run_git(
        start.absolute(),
        "rev-parse",
        "--show-toplevel",
        what=f"{where} is not in a git work tree",
    )
    return pathlib.Path(out.strip()).resolve()


@contextlib.contextmanager
def worktree(
    paths: Sequence[pathlib.Path], revision: str
) -> Iterator[tuple[tuple[pathlib.Path, ...], str]]:
    """`paths` as they are at `revision` of the git repository holding them: a work tree
    of that commit checked out in a temporary directory (`git worktree`, so that reports
    name the commit) and removed afterwards; the paths in it, and the full commit id."""
    given = tuple(paths) or (pathlib.Path(),)
    top = top_level(given[0])
    inside = []
    for path in given:
        absolute = path.resolve()
        if not absolute.is_relative_to(top):
            raise GitError(f"{path} is not in the repository at {top}")
        inside.append(absolute.relative_to(top))
    commit = run_git(
        top,
        "rev-parse",
        "--verify",
        "--quiet",
        f"{revision}^{{commit}}",
        what=f"no commit {revision!r} in the repository at {top}",
    ).strip()
    with tempfile.TemporaryDirectory(prefix="reconciler-revision-") as temporary:
        tree = pathlib.Path(temporary) / commit[:12]
        run_git(
            top,
            "worktree",
            "add",
            "--quiet",
            "--detach",
            str(tree),
            commit,
            what=f"cannot check out {commit[:12]}",
        )
        try:
            yield tuple(tree / part for part in inside), commit
        finally:
            run_git(top, "worktree", "remove", "--force", str(tree), what="git worktree remove")
