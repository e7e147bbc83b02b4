"""What the API offers besides a workspace's workflows: a starter project, the JSON
Schemas, the sandbox's files, and the inventory filters a `numbers()` call takes."""

from __future__ import annotations

import os
import pathlib

from reconciler import schemas as generated
from reconciler.engine import scaffold, workspace
from reconciler.engine.scaffold import Scaffolded
from reconciler.reports import inventory

# The portal's advanced searches, as `Reconciler.numbers(filter=...)` takes them.
NUMBER_FILTERS = tuple(sorted(inventory.FILTERS))


def init(directory: str | os.PathLike[str], *, skip_existing: bool = False) -> Scaffolded:
    """Write a starter project into `directory` (reconciler.yaml aimed at the sandbox,
    one example enterprise, schemas, .gitignore, a GitHub workflow). An existing
    .gitignore gets the lines it lacks; any other existing file makes it refuse, writing
    nothing, unless `skip_existing` keeps it. Says what was written, merged and kept."""
    return scaffold.init(pathlib.Path(directory), skip_existing=skip_existing)


def schemas() -> dict[str, str]:
    """The JSON Schemas of the manifest and of reconciler.yaml, by file name."""
    return generated.generate()


def sandbox_files(
    config: str | os.PathLike[str] | None = None,
    db: str | os.PathLike[str] | None = None,
    seed: str | os.PathLike[str] | None = None,
) -> tuple[pathlib.Path, pathlib.Path | None]:
    """The sandbox's database and seed: those given, else reconciler.yaml's, else
    .reconciler/sandbox.db here and the demo seed shipped with reconciler."""
    return workspace.sandbox_files(
        pathlib.Path(config) if config else None,
        pathlib.Path(db) if db else None,
        pathlib.Path(seed) if seed else None,
    )
