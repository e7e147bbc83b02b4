"""reconciler's public Python API: the one door below the command line.

    from reconciler.api import Reconciler, Scope

    rec = Reconciler(config="reconciler.yaml", paths=["enterprises/"])
    plan = rec.plan(Scope(selector={"tier": "gold"}))
    result = rec.apply(plan, on_event=print)      # refused if stale; journal included
    assert result.ok and result.converged
    report = rec.drift()                          # report.in_sync

A `Reconciler` owns a workspace (a reconciler.yaml and the manifests under some paths)
and runs every workflow on it: `validate`, `plan`, `apply`, `drift`, `numbers`,
`verify`, `doctor`, `export`, `clone`, `shards`. Each returns a value (frozen, typed)
and prints nothing; the CLI is one client of it, a long-running agent or a user's own
script another. Saved plans: `Plan.save(path)`, `Plan.load(path)`.

Errors are `reconciler.errors`, re-exported here: `ReconcilerError` is the base of
everything a user can act on; `ConfigError` (reconciler.yaml), `ManifestError`
(invalid manifests: `.problems`, `.count`), `UsageError` (an argument that cannot mean
anything: `.option`), `Cancelled` (a review said no), `ApiError` and its family (only
from `verify` and `doctor`'s own checks: elsewhere a vendor's failure is the
enterprise's problem, on the value returned). Anything else is a bug.

Names are loaded when first used, so `from reconciler.api import Reconciler` and
`validate()` never import the HTTP stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reconciler.errors import (
    ApiError,
    Cancelled,
    ConfigError,
    ManifestError,
    PlanError,
    ReconcilerError,
    UsageError,
)

if TYPE_CHECKING:
    from reconciler.api.reconciler import Reconciler, merge_drift
    from reconciler.api.tools import NUMBER_FILTERS, init, sandbox_files, schemas
    from reconciler.apply.outcome import Convergence, Event, Gate, Outcome, WaveResult
    from reconciler.engine.applying import ApplyResult
    from reconciler.engine.clone import Cloned
    from reconciler.engine.export import Exported
    from reconciler.engine.rollout import Rollout
    from reconciler.engine.testsms import Delivery
    from reconciler.engine.workspace import Scope
    from reconciler.model.problem import Problem
    from reconciler.model.record import Call, Retry
    from reconciler.plan.model import Change, EnterprisePlan, Plan
    from reconciler.reports.delivery import Result
    from reconciler.reports.diagnosis import Check, Diagnosis
    from reconciler.reports.drift import Difference, DriftReport, EnterpriseDrift
    from reconciler.reports.inventory import Missing, Numbers, Row
    from reconciler.reports.provenance import Provenance
    from reconciler.reports.runsummary import RunSummary
    from reconciler.reports.validation import Validation
    from reconciler.yamlsource.problems import Problem as ManifestProblem

_LAZY = {
    "Reconciler": "reconciler.api.reconciler",
    "merge_drift": "reconciler.api.reconciler",
    "NUMBER_FILTERS": "reconciler.api.tools",
    "init": "reconciler.api.tools",
    "sandbox_files": "reconciler.api.tools",
    "schemas": "reconciler.api.tools",
    "Scope": "reconciler.engine.workspace",
    "Validation": "reconciler.reports.validation",
    "ManifestProblem": "reconciler.yamlsource.problems:Problem",
    "Plan": "reconciler.plan.model",
    "EnterprisePlan": "reconciler.plan.model",
    "Change": "reconciler.plan.model",
    "Problem": "reconciler.model.problem",
    "ApplyResult": "reconciler.engine.applying",
    "Outcome": "reconciler.apply.outcome",
    "Event": "reconciler.apply.outcome",
    "Convergence": "reconciler.apply.outcome",
    "WaveResult": "reconciler.apply.outcome",
    "Gate": "reconciler.apply.outcome",
    "Rollout": "reconciler.engine.rollout",
    "Call": "reconciler.model.record",
    "Retry": "reconciler.model.record",
    "RunSummary": "reconciler.reports.runsummary",
    "Provenance": "reconciler.reports.provenance",
    "DriftReport": "reconciler.reports.drift",
    "EnterpriseDrift": "reconciler.reports.drift",
    "Difference": "reconciler.reports.drift",
    "Numbers": "reconciler.reports.inventory",
    "Row": "reconciler.reports.inventory",
    "Missing": "reconciler.reports.inventory",
    "Delivery": "reconciler.engine.testsms",
    "Result": "reconciler.reports.delivery",
    "Diagnosis": "reconciler.reports.diagnosis",
    "Check": "reconciler.reports.diagnosis",
    "Exported": "reconciler.engine.export",
    "Cloned": "reconciler.engine.clone",
}

__all__ = [
    "NUMBER_FILTERS",
    "ApiError",
    "ApplyResult",
    "Call",
    "Cancelled",
    "Change",
    "Check",
    "Cloned",
    "ConfigError",
    "Convergence",
    "Delivery",
    "Diagnosis",
    "Difference",
    "DriftReport",
    "EnterpriseDrift",
    "EnterprisePlan",
    "Event",
    "Exported",
    "Gate",
    "ManifestError",
    "ManifestProblem",
    "Missing",
    "Numbers",
    "Outcome",
    "Plan",
    "PlanError",
    "Problem",
    "Provenance",
    "Reconciler",
    "ReconcilerError",
    "Result",
    "Retry",
    "Rollout",
    "Row",
    "RunSummary",
    "Scope",
    "UsageError",
    "Validation",
    "WaveResult",
    "init",
    "merge_drift",
    "sandbox_files",
    "schemas",
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'reconciler.api' has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
