"""What a run works on: the config, the manifests, and the enterprises in scope.

A `Scope` says which enterprises of the manifests a workflow takes (by name, by label);
a `Workspace` is the config, the validated manifests and the scoped desired State.
"""

from __future__ import annotations

import dataclasses
import pathlib
import time
from collections.abc import Iterable, Mapping, Sequence

from reconciler import __version__
from reconciler.config import loader as config_loader
from reconciler.engine import git
from reconciler.errors import ReconcilerError, UsageError
from reconciler.manifest import loader
from reconciler.model import state
from reconciler.reports.provenance import Provenance


@dataclasses.dataclass(frozen=True)
class Scope:
    """Which enterprises of the manifests a workflow takes: those named in `enterprises`
    (any of them; all when empty) whose `metadata.labels` hold every pair of `selector`,
    less those named in `exclude` and those whose labels hold any pair of
    `exclude_selector` (Terraform's -exclude).

        Scope(enterprises=["sunshine-dental"])
        Scope(selector={"tier": "gold"}, exclude=["northwind-legal"])
        Scope(exclude_selector={"ring": "canary"})
    """

    enterprises: Sequence[str] = ()  # kept as a tuple
    selector: Mapping[str, str] = dataclasses.field(default_factory=dict)
    exclude: Sequence[str] = ()  # kept as a tuple
    exclude_selector: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        # accept any iterable of names and any mapping; keep immutable, ordered values
        object.__setattr__(self, "enterprises", tuple(self.enterprises))
        object.__setattr__(self, "selector", dict(self.selector))
        object.__setattr__(self, "exclude", tuple(self.exclude))
        object.__setattr__(self, "exclude_selector", dict(self.exclude_selector))

    @classmethod
    def parse(
        cls,
        enterprises: Iterable[str] = (),
        selectors: Iterable[str] = (),
        exclude: Iterable[str] = (),
        exclude_selectors: Iterable[str] = (),
    ) -> Scope:
        """From the command line's `--enterprise NAME`, `--selector KEY=VALUE`, `--exclude
        NAME` and `--exclude-selector KEY=VALUE` values."""
        return cls(
            tuple(enterprises),
            _pairs(selectors, "--selector"),
            tuple(exclude),
            _pairs(exclude_selectors, "--exclude-selector"),
        )

    def describe(self) -> str:
        """The selectors as the command line writes them."""
        words = [f"{k}={v}" for k, v in self.selector.items()]
        words += [f"--exclude {name}" for name in self.exclude]
        words += [f"--exclude-selector {k}={v}" for k, v in self.exclude_selector.items()]
        return " ".join(words)

    def excludes(self, name: str, labels: Mapping[str, str]) -> bool:
        """Whether an enterprise of this name and labels is left out."""
        return name in self.exclude or any(
            labels.get(k) == v for k, v in self.exclude_selector.items()
        )

    def apply(self, desired: state.State) -> state.State:
        """The enterprises of `desired` in this scope; an unknown name, or a scope that
        matches nothing, is an error."""
        known = desired.enterprises
        unknown = [e for e in (*self.enterprises, *self.exclude) if e not in known]
        if unknown:
            raise ReconcilerError(
                f"no enterprise named {', '.join(repr(u) for u in unknown)} in the manifests "
                f"(known: {', '.join(sorted(known))})"
            )
        chosen = {
            name: e
            for name, e in known.items()
            if (not self.enterprises or name in self.enterprises)
            and all(e.labels.get(k) == v for k, v in self.selector.items())
            and not self.excludes(name, e.labels)
        }
        if not chosen:
            raise ReconcilerError(f"no enterprise matches {self.describe()}")
        return state.State.model_construct(enterprises=chosen)


EVERYTHING = Scope()


def _pairs(texts: Iterable[str], option: str) -> dict[str, str]:
    pairs = {}
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep or not key:
            raise UsageError(f"{text!r} is not key=value", option)
        pairs[key] = value
    return pairs


@dataclasses.dataclass(frozen=True)
class Workspace:
    config: config_loader.Config
    manifests: loader.Manifests
    desired: state.State  # only the enterprises in scope
    paths: tuple[pathlib.Path, ...] = ()

    def provenance(self) -> Provenance:
        return provenance(self.config, self.paths)


def provenance(
    config: config_loader.Config, paths: tuple[pathlib.Path, ...], at: float | None = None
) -> Provenance:
    """Where a report comes from: now, this version, the manifests' commit and the
    configured targets (URLs without credentials)."""
    where = next((p if p.is_dir() else p.parent for p in paths), config.directory)
    commit, uncommitted = git.commit_of(where.resolve(), paths)
    return Provenance(
        at=time.time() if at is None else at,
        version=__version__,
        commit=commit,
        uncommitted=uncommitted,
        targets=config.targets(),
        paths=tuple(str(p) for p in paths) or (".",),
    )


def roots(paths: tuple[pathlib.Path, ...]) -> list[pathlib.Path]:
    """The manifest paths, the current directory when none is given."""
    return list(paths) or [pathlib.Path()]


def config(
    config_path: pathlib.Path | None, paths: tuple[pathlib.Path, ...] = ()
) -> config_loader.Config:
    """reconciler.yaml: --config, else in the first PATH, else in the current directory."""
    found = roots(paths)
    return config_loader.load(config_loader.find(config_path, found), config_loader.searched(found))


def load(
    paths: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    scope: Scope = EVERYTHING,
) -> Workspace:
    settings = config(config_path, paths)
    manifests = loader.load(roots(paths), settings.not_manifests)
    return Workspace(settings, manifests, scope.apply(manifests.state), paths)


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
