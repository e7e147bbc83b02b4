"""Which files are manifests: every *.yaml and *.yml under the PATHs given, except
reconciler.yaml and the files `manifests.exclude` names. Discovery knows where people
keep things that are not theirs: inside a git work tree only the files git tracks or
would track count (`.gitignore` respected, asked of `git ls-files`); anywhere, hidden
directories, virtual environments (a directory with `pyvenv.cfg`), `site-packages` and
`node_modules` are never read. What was left out, and why, is kept for `validate -v`."""

from __future__ import annotations

import dataclasses
import os
import pathlib
import shutil
import subprocess
from collections.abc import Iterable

CONFIG_NAME = "reconciler.yaml"
SUFFIXES = (".yaml", ".yml")
NEVER = {
    "site-packages": "installed Python packages",
    "node_modules": "installed JavaScript packages",
}
GIT_TIMEOUT = 10.0  # seconds: a listing of a large work tree


@dataclasses.dataclass(frozen=True)
class Found:
    files: tuple[str, ...]  # the manifest files, in order
    ignored: tuple[tuple[str, str], ...] = ()  # (a path left out, why)


def discover(paths: Iterable[pathlib.Path], exclude: Iterable[pathlib.Path] = ()) -> Found:
    """Every manifest file under `paths`: recursive, sorted within each PATH. A file
    named explicitly is kept whatever its name."""
    skip = {p.resolve() for p in exclude}
    found: list[str] = []
    ignored: list[tuple[str, str]] = []
    for root in paths:
        if root.is_file():
            found.append(str(root))
            continue
        files, left_out = _walk(root, _listed(root), skip)
        found += [str(f) for f in sorted(files)]
        ignored += sorted(left_out)
    return Found(tuple(dict.fromkeys(found)), tuple(ignored))


def _walk(
    root: pathlib.Path, listed: set[str] | None, skip: set[pathlib.Path]
) -> tuple[list[pathlib.Path], list[tuple[str, str]]]:
    files: list[pathlib.Path] = []
    ignored: list[tuple[str, str]] = []

    def fail(error: OSError) -> None:
        raise error  # an unreadable directory is the user's to know of

    for top, dirs, names in os.walk(root, onerror=fail):
        here = pathlib.Path(top)
        kept = []
        for name in sorted(dirs):
            why = _never(here / name)
            if why is not None:
                if not name.startswith("."):  # hidden ones go unmentioned: .git, .venv...
                    ignored.append((f"{here / name}{os.sep}", why))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in names:
            path = here / name
            if path.suffix not in SUFFIXES or name == CONFIG_NAME:
                continue
            if listed is not None and path.relative_to(root).as_posix() not in listed:
                ignored.append((str(path), "ignored by git (.gitignore)"))
            elif path.resolve() not in skip:
                files.append(path)
    return files, ignored


def _never(directory: pathlib.Path) -> str | None:
    """Why `directory` is never read for manifests, or None."""
    if directory.name.startswith("."):
        return "hidden"
    if directory.name in NEVER:
        return NEVER[directory.name]
    if (directory / "pyvenv.cfg").is_file():
        return "a virtual environment (pyvenv.cfg)"
    return None


def _listed(root: pathlib.Path) -> set[str] | None:
    """The YAML files under `root` that git tracks or would track (relative, POSIX), or
    None when `root` is not in a git work tree (or git is missing or fails)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        listing = subprocess.run(
            [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            cwd=root,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if listing.returncode != 0:
        return None
    names = listing.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {n for n in names if n.endswith(SUFFIXES)}
