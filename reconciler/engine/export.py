"""Export: read a reseller's (and a CSP's) whole live estate in one session and write one
manifest per enterprise, ids as pins, plus a reconciler.yaml that runs as written.

With ContextSMS configured, the CSP is found from its user's email (`--csp` chooses
another); what only git holds of an enterprise (its labels, its policy) is kept from a
manifest already in the directory, so that an export over a repository round-trips."""

from __future__ import annotations

import dataclasses
import pathlib
from typing import Any

import yaml

from reconciler import errors, schemas
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
    notes: list[str] = dataclasses.field(default_factory=list)  # e.g. ContextSMS left out


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
    notes: list[str] = []
    with Run(config, options) as run:
        run.session.prepare(vendors.CONNECTTOTEAMS)
        reseller, found, failed = run.perform(
            lambda: estate.connecttoteams_estate(run.session, keep)
        )
        if csp is None and config.settings.providers.contextsms is not None:
            csp, note = _own_csp(run)
            notes += [note] if note else []
        elif csp is not None:
            run.session.prepare(vendors.CONTEXTSMS)
        csms = run.perform(lambda: estate.contextsms_estate(run.session, csp)) if csp else []
    pairs = export.pair([(f.section, f.facts, f.users, f.groups) for f in found], csms)
    if names or ids:
        pairs = [p for p in pairs if p.c2t is not None]
    alone = [p.title for p in pairs if p.c2t is None]
    if failed and alone:  # they may belong to an enterprise that could not be read
        pairs = [p for p in pairs if p.c2t is not None]
        notes.append(
            f"not written, as they may belong to an enterprise that could not be read: the "
            f"ContextSMS {'enterprise' if len(alone) == 1 else 'enterprises'} "
            f"{', '.join(alone)}; export again once it can be read"
        )
    if not pairs and not failed:
        raise ReconcilerError("nothing to export: no enterprise matches")
    directory.mkdir(parents=True, exist_ok=True)
    done = []
    for name, document in export.documents(pairs):
        path = directory / f"{name}.yaml"
        path.write_text(manifests.manifest(_kept(path, document)), encoding="utf-8")
        done.append(f"wrote {path}")
    done += _schemas(directory)
    return Exported([*done, _config(config, directory, reseller)], failed, notes)


def _own_csp(run: Run) -> tuple[str | None, str | None]:
    """The CSP of the configured ContextSMS user, or why ContextSMS is left out."""
    try:
        run.session.prepare(vendors.CONTEXTSMS)
        return run.perform(lambda: estate.own_csp(run.session)), None
    except (errors.ApiError, errors.ConfigError) as exc:
        return None, (
            f"ContextSMS enterprises and mappings left out: cannot find the CSP of its user "
            f"({exc}); pass --csp CSP_ID"
        )


def _kept(path: pathlib.Path, document: dict[str, Any]) -> dict[str, Any]:
    """`document` with the labels and policy of the manifest already at `path` (what only
    git holds); as it is when there is none, or it is not a manifest."""
    try:
        old = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return document
    if not (isinstance(old, dict) and old.get("kind") == "Enterprise"):
        return document
    metadata: dict[str, Any] = old["metadata"] if isinstance(old.get("metadata"), dict) else {}
    spec: dict[str, Any] = old["spec"] if isinstance(old.get("spec"), dict) else {}
    merged = {**document, "metadata": dict(document["metadata"]), "spec": dict(document["spec"])}
    if isinstance(metadata.get("labels"), dict) and metadata["labels"]:
        merged["metadata"]["labels"] = metadata["labels"]
    if isinstance(spec.get("policy"), dict):
        merged["spec"]["policy"] = spec["policy"]
    return merged


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


def _config(config: Config, directory: pathlib.Path, reseller: int | None) -> str:
    """reconciler.yaml for the export (kept when one exists): each provider's URL, its
    credentials as ${VAR} references (for the embedded sandbox its demo credentials as
    they are), and, when the embedded sandbox is used, the same database and seed, so
    that a plan in the export directory sees the very state exported."""
    path = directory / "reconciler.yaml"
    if path.exists():
        return f"kept the existing {path}"
    configured = config.settings.providers
    providers: dict[str, dict[str, Any]] = {}
    for key, template in manifests.TEMPLATES.items():
        section = getattr(configured, key)
        url = section.url if section is not None else "sandbox"
        if section is not None and url == "sandbox":
            fields = section.model_dump(exclude_none=True, exclude_defaults=True)
            providers[key] = {"url": url, **{k: v for k, v in fields.items() if k != "url"}}
        else:
            providers[key] = {"url": url, **template}
        if key == "connecttoteams":
            providers[key]["resellerId"] = reseller
    sandbox = None
    if any(p["url"] == "sandbox" for p in providers.values()):
        sandbox = {"db": str(config.db_path.resolve())}
        if config.seed_path is not None:
            sandbox["seed"] = str(config.seed_path.resolve())
    path.write_text(manifests.config(providers, sandbox), encoding="utf-8")
    return f"wrote {path}"
