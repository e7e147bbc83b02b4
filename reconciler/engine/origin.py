"""Where a saved plan was made, so that it travels: the manifests and the config it used,
relative to the root of their git work tree (or, outside git, to the directory they were
under), with the commit. `apply plan.json` finds them again from wherever it runs: the
work tree holding the plan file, the one holding the current directory, or where the
plan was made; from anywhere else it refuses, naming where the plan was made."""

from __future__ import annotations

import os
import pathlib

from reconciler.config.loader import Config
from reconciler.engine import git
from reconciler.errors import ReconcilerError
from reconciler.plan.model import Origin, Plan


def of(config: Config, paths: tuple[pathlib.Path, ...]) -> Origin:
    """The origin of a plan of the manifests at `paths` (the current directory when none)
    with `config`."""
    given = [p.resolve() for p in paths] or [pathlib.Path.cwd()]
    first = given[0] if given[0].is_dir() else given[0].parent
    top = git.toplevel(first)
    root = top or pathlib.Path.cwd().resolve()
    commit = git.head(first) if top else None
    used = config.path.resolve() if config.path is not None else None
    return Origin(
        root=str(root),
        git=top is not None,
        commit=commit,
        paths=tuple(_within(p, root) for p in given),
        config=_within(used, root) if used is not None else None,
    )


def locate(
    plan: Plan, plan_path: pathlib.Path, config: pathlib.Path | None
) -> tuple[pathlib.Path | None, tuple[pathlib.Path, ...]]:
    """The config (`config` when given) and the manifest paths of the saved `plan` at
    `plan_path`, as found from here; a ReconcilerError naming where it was made when
    they are nowhere to be found."""
    origin = plan.origin
    if origin is None:  # a plan saved before plans recorded their origin
        return config, tuple(pathlib.Path(p) for p in plan.paths)
    roots: list[pathlib.Path] = []
    if origin.git:
        for where in (plan_path.resolve().parent, pathlib.Path.cwd()):
            top = git.toplevel(where)
            if top is not None:
                roots.append(top)
    roots.append(pathlib.Path(origin.root))
    for root in dict.fromkeys(roots):
        paths = tuple(_here(root / p) for p in origin.paths)
        used = config
        if used is None and origin.config is not None:
            used = _here(root / origin.config)
        if all(p.exists() for p in paths) and (used is None or used.exists()):
            return used, paths
    made = ", ".join(str(pathlib.Path(origin.root) / p) for p in origin.paths)
    at = f" at commit {origin.commit[:12]}" if origin.commit else ""
    raise ReconcilerError(
        f"{plan_path}: this plan was made from the manifests in {made}{at}, which are not "
        "found from here (nor from the git work tree holding the plan); apply it from a "
        "checkout of that repository, or plan again here"
    )


def _within(path: pathlib.Path, root: pathlib.Path) -> str:
    """`path` relative to `root` (POSIX, `.` for the root itself), else absolute."""
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def _here(path: pathlib.Path) -> pathlib.Path:
    """`path` relative to the current directory when under it (messages stay short)."""
    cwd = pathlib.Path.cwd()
    try:
        return pathlib.Path(os.path.relpath(path, cwd)) if path.is_relative_to(cwd) else path
    except ValueError:
        return path
