"""`validate`: read reconciler.yaml (if any) and every manifest, offline, and say what
they hold or every problem at once. No network, no credentials, and no import of the
HTTP stack: it runs in pre-commit hooks and editors' save actions."""

from __future__ import annotations

import pathlib

from reconciler.config import loader as config_loader
from reconciler.engine.workspace import roots
from reconciler.errors import ManifestError
from reconciler.manifest import loader
from reconciler.reports.validation import Validation
from reconciler.yamlsource.problems import Problem


def validate(paths: tuple[pathlib.Path, ...], config_path: pathlib.Path | None) -> Validation:
    """Validate the manifests under `paths` (the current directory when none); a broken
    reconciler.yaml is a ConfigError, a missing one is fine (offline)."""
    found = roots(paths)
    config = config_loader.load(config_loader.find(config_path, found))
    try:
        manifests = loader.load(found, config.not_manifests)
    except ManifestError as exc:
        every = tuple(p for p in exc.problems if isinstance(p, Problem))
        return Validation(
            problems=tuple(p for p in every if p.severity == "error"),
            warnings=tuple(p for p in every if p.severity == "warning"),
            report=str(exc),
            errors=exc.count,
        )
    return Validation(
        files=manifests.files,
        desired=manifests.state,
        skipped=manifests.skipped,
        ignored=manifests.ignored,
        warnings=manifests.warnings,
    )
