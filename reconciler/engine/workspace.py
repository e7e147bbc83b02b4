"""What a run works on: the config, the manifests, and the enterprises in scope."""

from __future__ import annotations

import dataclasses
import pathlib

from reconciler.config import loader as config_loader
from reconciler.errors import ReconcilerError, UsageError
from reconciler.manifest import loader
from reconciler.model import state


@dataclasses.dataclass(frozen=True)
class Workspace:
    config: config_loader.Config
    manifests: loader.Manifests
    desired: state.State  # only the enterprises in scope
    paths: tuple[pathlib.Path, ...] = ()


def config(
    config_path: pathlib.Path | None, paths: tuple[pathlib.Path, ...] = ()
) -> config_loader.Config:
    """reconciler.yaml: --config, else in the first PATH, else in the current directory."""
    roots = list(paths) or [pathlib.Path()]
    found = config_loader.find(config_path, roots)
    return config_loader.load(found, config_loader.searched(roots))


def load(
    paths: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...] = (),
    selectors: tuple[str, ...] = (),
) -> Workspace:
    roots = list(paths) or [pathlib.Path()]
    settings = config(config_path, tuple(roots))
    manifests = loader.load(roots, settings.not_manifests)
    return Workspace(settings, manifests, scope(manifests.state, enterprises, selectors), paths)


def scope(
    desired: state.State, enterprises: tuple[str, ...], selectors: tuple[str, ...]
) -> state.State:
    """The enterprises named by --enterprise (any) and matching every --selector."""
    known = desired.enterprises
    unknown = [e for e in enterprises if e not in known]
    if unknown:
        raise ReconcilerError(
            f"no enterprise named {', '.join(repr(u) for u in unknown)} in the manifests "
            f"(known: {', '.join(sorted(known))})"
        )
    pairs = [_selector(s) for s in selectors]
    chosen = {
        name: e
        for name, e in known.items()
        if (not enterprises or name in enterprises) and all(e.labels.get(k) == v for k, v in pairs)
    }
    if not chosen:
        raise ReconcilerError(f"no enterprise matches {' '.join(selectors)}")
    return state.State.model_construct(enterprises=chosen)


def _selector(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise UsageError(f"{text!r} is not key=value", "--selector")
    return key, value


def sandbox_files(
    config_path: pathlib.Path | None, db: pathlib.Path | None, seed: pathlib.Path | None
) -> tuple[pathlib.Path, pathlib.Path | None]:
    """The sandbox's database and seed: --db/--seed, else reconciler.yaml's, else the
    defaults (.reconciler/sandbox.db here, and the demo seed shipped with reconciler)."""
    settings = config_loader.load(config_loader.find(config_path, []))
    if settings.path is None:
        from reconciler.sandbox import demo

        return db or settings.db_path, seed or demo.seed()
    return db or settings.db_path, seed or settings.seed_path
