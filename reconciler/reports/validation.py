"""What `validate` found: the manifests read and the desired State they describe, or
every problem at once with its place. Pure."""

from __future__ import annotations

import dataclasses

from reconciler.model import state
from reconciler.yamlsource.problems import Problem


@dataclasses.dataclass(frozen=True)
class Validation:
    """What `validate` found. Valid: `desired` holds every enterprise and `problems` is
    empty. Invalid: `problems` holds every error (file, position, path, message) and
    `report` renders them one header per document, one line per problem."""

    files: tuple[str, ...] = ()  # the manifest files read
    desired: state.State | None = None  # None when invalid
    skipped: tuple[str, ...] = ()  # YAML files that are not manifests (no apiVersion, kind)
    ignored: tuple[tuple[str, str], ...] = ()  # (a path discovery left out, why)
    warnings: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()
    report: str = ""  # the problems as people read them (empty when valid)
    errors: int = 0  # how many problems are errors

    @property
    def ok(self) -> bool:
        return self.desired is not None

    @property
    def enterprises(self) -> dict[str, state.Enterprise]:
        return dict(self.desired.enterprises) if self.desired else {}
