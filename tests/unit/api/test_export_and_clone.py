"""Reconciler.export and .clone when the estate is not all readable or not all wanted: one
enterprise's failed read is named and the others written; a filter that matches nothing
is an error; what exists is kept; a seed never holds a production credential."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from reconciler import api
from tests.unit.api.conftest import Project


def test_an_unreadable_enterprise_is_named_and_the_others_written(
    project: Project, tmp_path: pathlib.Path
) -> None:
    project.reconciler().apply()
    project.vendors.fail("/sms/getSMSGroups/78", status=400)  # sunshine-dental's groups
    out = tmp_path / "out"
    exported = project.reconciler().export(out)
    assert [p.enterprise for p in exported.failed] == ["Sunshine Dental"]
    assert exported.failed[0].message == (
        "cannot read it: ConnecttoTeams listGroups: 400 FAULT: injected"
    )
    assert exported.done[0] == f"wrote {out / 'northwind-legal.yaml'}"
    assert not (out / "sunshine-dental.yaml").exists()


def test_only_the_enterprises_asked_for_and_what_exists_is_kept(
    project: Project, tmp_path: pathlib.Path
) -> None:
    project.reconciler().apply()
    out = tmp_path / "out"
    (out / "schemas").mkdir(parents=True)
    (out / "schemas" / "config.schema.json").write_text("{}")
    (out / "reconciler.yaml").write_text("# mine\n")
    exported = project.reconciler().export(out, enterprises=["northwind-legal"])
    assert exported.done == [
        f"wrote {out / 'northwind-legal.yaml'}",
        f"wrote {out / 'schemas' / 'manifest.schema.json'}",
        f"kept the existing {out / 'schemas' / 'config.schema.json'}",
        f"kept the existing {out / 'reconciler.yaml'}",
    ]
    assert (out / "reconciler.yaml").read_text() == "# mine\n"
    document = yaml.safe_load((out / "northwind-legal.yaml").read_text())
    assert document["spec"]["connecttoteams"]["enterpriseId"] == 79  # ids as pins
    by_id = project.reconciler().export(tmp_path / "by-id", enterprise_ids=[78])
    assert by_id.done[0] == f"wrote {tmp_path / 'by-id' / 'sunshine-dental.yaml'}"
    with pytest.raises(api.ReconcilerError, match=r"^nothing to export: no enterprise matches$"):
        project.reconciler().export(tmp_path / "none", enterprises=["nobody"])


def test_a_clone_names_what_it_could_not_read_and_what_is_not_live_yet(
    project: Project, tmp_path: pathlib.Path
) -> None:
    project.reconciler().apply(api.Scope(enterprises=["sunshine-dental"]))
    project.vendors.fail("/sms/getSMSUsers/79", status=400)  # northwind-legal's users
    cloned = project.reconciler().clone(tmp_path / "seed.yaml")
    assert (cloned.copied, cloned.absent) == (("sunshine-dental",), ())
    assert [(p.enterprise, p.message) for p in cloned.failed] == [
        ("northwind-legal", "cannot read it: ConnecttoTeams listUsers: 400 FAULT: injected")
    ]
    seed_text = (tmp_path / "seed.yaml").read_text()
    for secret in ("demo-password", "demo-secret", "demo-token"):
        assert secret not in seed_text
    seed = yaml.safe_load(seed_text)
    assert seed["connecttoteams"]["users"] == [
        {
            "username": "rehearsal-admin",
            "password": cloned.credentials.password,
            "resellerId": 54,
        }
    ]
    assert seed["connectel"]["tokens"][0]["token"] == cloned.credentials.connectel_token
    assert cloned.reseller == 54
