"""The public surface: `reconciler` exports its version, `reconciler.api` the API, each
name documented and loadable, nothing more by accident."""

from __future__ import annotations

import inspect

import pytest

import reconciler
from reconciler import api


def test_public_surface_is_small_and_explicit() -> None:
    assert reconciler.__all__ == ["__version__"]
    assert reconciler.__version__.count(".") == 2


def test_every_name_of_the_api_loads_and_says_what_it_is() -> None:
    assert dir(api) == sorted(api.__all__)
    for name in api.__all__:
        value = getattr(api, name)
        if name != "NUMBER_FILTERS":  # a docstring of its own, not a dataclass's signature
            doc = value.__doc__ or ""
            assert doc and not doc.startswith(f"{name}("), f"reconciler.api.{name}: no docstring"
    with pytest.raises(AttributeError, match="has no attribute 'Engine'"):
        api.Engine  # noqa: B018


def test_every_workflow_is_a_method_of_the_reconciler() -> None:
    workflows = {
        name
        for name, member in inspect.getmembers(api.Reconciler, inspect.isfunction)
        if not name.startswith("_")
    }
    assert workflows == {
        "apply",
        "clone",
        "config",
        "doctor",
        "drift",
        "export",
        "numbers",
        "plan",
        "provenance",
        "shards",
        "validate",
        "verify",
        "workspace",
    }
    for name in workflows:
        assert inspect.getdoc(getattr(api.Reconciler, name)), name


def test_each_public_name_is_the_very_object_of_its_home() -> None:
    """A user's isinstance() holds whether they import from the API or from its home."""
    from reconciler.apply import outcome
    from reconciler.engine import applying, workspace
    from reconciler.plan import model
    from reconciler.reports import drift, validation

    assert api.Plan is model.Plan and api.Change is model.Change
    assert api.Scope is workspace.Scope and api.ApplyResult is applying.ApplyResult
    assert api.Event is outcome.Event and api.Outcome is outcome.Outcome
    assert api.DriftReport is drift.DriftReport and api.Validation is validation.Validation
    assert api.ReconcilerError is reconciler.errors.ReconcilerError
    assert issubclass(api.Cancelled, api.ReconcilerError)
    assert issubclass(api.ManifestError, api.ReconcilerError)
