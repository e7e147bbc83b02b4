"""A real git repository for the agent's tests: a bare remote and a work clone to commit
and push from, as a team would."""

from __future__ import annotations

import os
import pathlib
import subprocess

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Admin",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Admin",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}


def git(where: pathlib.Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **IDENTITY},
        check=True,
    )
    return done.stdout.strip()


class Remote:
    """`remote.git` (bare, branch main) and `work/`, a clone of it."""

    def __init__(self, root: pathlib.Path) -> None:
        self.bare = root / "remote.git"
        self.work = root / "work"
        root.mkdir(parents=True, exist_ok=True)
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(self.bare))
        git(root, "init", "--quiet", "--initial-branch=main", str(self.work))
        git(self.work, "remote", "add", "origin", str(self.bare))

    def write(self, path: str, text: str) -> None:
        target = self.work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def edit(self, path: str, old: str, new: str) -> None:
        """Replace `old` (which must be there) with `new` in a file of the work tree."""
        text = (self.work / path).read_text()
        assert old in text, f"{old!r} not in {path}"
        self.write(path, text.replace(old, new, 1))

    def commit(self, message: str, branch: str = "main") -> str:
        """Commit everything in the work tree and push it; the new commit's id."""
        git(self.work, "add", "--all")
        git(self.work, "commit", "--quiet", "--allow-empty", "-m", message)
        git(self.work, "push", "--quiet", "origin", f"HEAD:{branch}")
        return git(self.work, "rev-parse", "HEAD")
