"""Export: read a reseller's (and a CSP's) whole live estate in one session and write one
manifest per enterprise, ids as pins, plus a config skeleton."""

from __future__ import annotations

import dataclasses
import pathlib

from reconciler import schemas
from reconciler.config.loader import Config
from reconciler.engine.run import DEFAULTS, Run
from reconciler.errors import ReconcilerError
from reconciler.model.problem import Problem
from reconciler.providers import estate, vendors
from reconciler.providers.session import SessionOptions
from reconciler.render import manifests
from reconciler.reports import export


@dataclasses.dataclass(frozen=True)
class Exported:
    """What `export` wrote (or kept), one line per file, and the enterprises it could not read."""

    done: list[str]  # what was written (or kept), one line per file
    failed: list[Problem]  # enterprises that could not be read: not written


def export_estate(
    config: Config,
    directory: pathlib.Path,
    *,
    names: tuple[str, ...] = (),
    ids: tuple[int, ...] = (),
    csp: str | None = None,
    options: SessionOptions = DEFAULTS,
) -> Exported:
    """Write the manifests (and reconciler.yaml unless one exists) of every enterprise read;
    those that could not be read are named, and the others written all the same."""
    keep = export.keeper(set(names), set(ids))
    with Run(config, options) as run:
        run.session.prepare(vendors.CONNECTTOTEAMS, *([vendors.CONTEXTSMS] if csp else []))
        reseller, found, failed = run.perform(
            lambda: estate.connecttoteams_estate(run.session, keep)
        )
        csms = run.perform(lambda: estate.contextsms_estate(run.session, csp)) if csp else []
    pairs = export.pair([(f.section, f.facts, f.users, f.groups) for f in found], csms)
    if names or ids:
        pairs = [p for p in pairs if p.c2t is not None]
    if not pairs and not failed:
        raise ReconcilerError("nothing to export: no enterprise matches")
    directory.mkdir(parents=True, exist_ok=True)
    done = []
    for name, document in export.documents(pairs):
        path = directory / f"{name}.yaml"
        path.write_text(manifests.manifest(document), encoding="utf-8")
        done.append(f"wrote {path}")
    done += _schemas(directory)
    return Exported([*done, _config_skeleton(config, directory, reseller)], failed)


def _schemas(directory: pathlib.Path) -> list[str]:
    """The JSON Schemas the manifests' `$schema` line names (kept when they exist)."""
    said = []
    for name, text in schemas.generate().items():
        path = directory / "schemas" / name
        if path.exists():
            said.append(f"kept the existing {path}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        said.append(f"wrote {path}")
    return said


def _config_skeleton(config: Config, directory: pathlib.Path, reseller: int | None) -> str:
    path = directory / "reconciler.yaml"
    if path.exists():
        return f"kept the existing {path}"
    p = config.settings.providers
    text = manifests.config(
        p.connecttoteams.url if p.connecttoteams else "sandbox",
        p.contextsms.url if p.contextsms else "sandbox",
        p.connectel.url if p.connectel else "sandbox",
        reseller,
    )
    path.write_text(text, encoding="utf-8")
    return f"wrote {path}"
