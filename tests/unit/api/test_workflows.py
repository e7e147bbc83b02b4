"""The API's other workflows: validate, drift (and merging shards' reports), numbers,
verify, doctor, export, clone, shards, init and schemas; each returns a value."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import httpx
import pytest
import yaml

from reconciler import api
from reconciler.render.drift import RENDERERS
from tests.unit.api.conftest import ROOT, Project


def test_validate_says_what_the_manifests_hold_or_every_problem(project: Project) -> None:
    found = project.reconciler().validate()
    assert found.ok and found.problems == () and found.report == ""
    assert found.files == (
        str(project.enterprises / "northwind-legal.yaml"),
        str(project.enterprises / "sunshine-dental.yaml"),
    )
    assert {n: len(e.users) for n, e in found.enterprises.items()} == {
        "northwind-legal": 6,
        "sunshine-dental": 6,
    }
    project.edit("sunshine-dental", '"+12025550101"', '"2025550101"')
    project.edit("northwind-legal", "enterpriseName:", "enterpriseNme:")
    bad = project.reconciler().validate()
    assert not bad.ok and bad.desired is None and bad.errors == 3
    assert sorted(
        (pathlib.Path(p.file).name, p.position.line, p.position.column, p.message)
        for p in bad.problems
    ) == [
        ("northwind-legal.yaml", 9, 5, "missing required field 'enterpriseName'"),
        (
            "northwind-legal.yaml",
            9,
            5,
            "unknown field 'enterpriseNme': did you mean 'enterpriseName'?",
        ),
        (
            "sunshine-dental.yaml",
            19,
            17,
            "'2025550101' is not an E.164 number: write '+', the country code and the number "
            "with no spaces (e.g. '+12025550143')",
        ),
    ]
    assert bad.report.splitlines()[2] == (
        f"  {project.enterprises / 'northwind-legal.yaml'}:9:5: spec.connecttoteams."
        "enterpriseNme: unknown field 'enterpriseNme': did you mean 'enterpriseName'?"
    )
    assert project.vendors.requests == []  # offline


def test_validate_never_imports_the_http_stack(project: Project) -> None:
    script = (
        "import sys\n"
        "from reconciler.api import Reconciler\n"
        f"found = Reconciler(paths=[{str(project.enterprises)!r}]).validate()\n"
        "print(found.ok, sorted(m for m in ('httpx', 'fastapi', 'rich', 'click') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert (done.stdout, done.stderr) == ("True []\n", "")


def test_drift_reports_differences_per_enterprise(project: Project) -> None:
    rec = project.reconciler()
    before = rec.drift()
    assert not before.in_sync and before.failed == ()
    assert before.summary == {"create": 23, "update": 1}
    assert [(e.name, len(e.differences)) for e in before.enterprises] == [
        ("northwind-legal", 11),
        ("sunshine-dental", 13),
    ]
    assert before.cost is not None and before.cost.command == "drift"
    assert before.run is not None and before.run["calls"] == before.cost.calls
    assert before.provenance is not None and before.provenance.targets[0] == (
        "ConnecttoTeams",
        "http://127.0.0.1:9/connecttoteams",
    )
    rec.apply()
    assert rec.drift().in_sync
    project.vendors.fail("/contextsms/api/v2/mapping/csp/", status=502)
    down = rec.drift()
    assert [e.name for e in down.failed] == ["northwind-legal", "sunshine-dental"]
    assert down.enterprises[0].error == (
        "cannot read it: ContextSMS cspMappings: 502 FAULT: injected"
    )


def test_merged_shards_make_one_report(project: Project, tmp_path: pathlib.Path) -> None:
    rec = project.reconciler()
    for name in ("northwind-legal", "sunshine-dental"):
        report = rec.drift(api.Scope(enterprises=[name]))
        (tmp_path / f"{name}.json").write_text(RENDERERS["json"](report))
    merged = api.merge_drift([tmp_path / "northwind-legal.json", tmp_path / "sunshine-dental.json"])
    assert [e.name for e in merged.enterprises] == ["northwind-legal", "sunshine-dental"]
    assert merged.summary == {"create": 23, "update": 1}
    assert merged.run is not None and merged.run["shards"] == 2
    with pytest.raises(api.ReconcilerError, match="is in two shards' reports"):
        api.merge_drift([tmp_path / "sunshine-dental.json"] * 2)


def test_numbers_lists_the_inventory_and_what_is_missing(project: Project) -> None:
    rec = project.reconciler()
    found = rec.numbers()
    assert len(found.rows) == 32 and found.missing == () and found.failed == ()
    first = found.rows[0]
    assert (first.enterprise, first.number, first.sms, first.assignee, first.wanted_by) == (
        "northwind-legal",
        "+12025550150",
        True,
        "",
        "SMS user james@northwindlegal.com",
    )
    assert len(rec.numbers(filter="available-sms").rows) == 26
    project.edit("sunshine-dental", '"+12025550101"', '"+12025550199"')
    [missing] = rec.numbers(api.Scope(enterprises=["sunshine-dental"])).missing
    assert (missing.number, missing.wanted_by, missing.reason) == (
        "+12025550199",
        "SMS user maria@sunshinedental.com",
        "not in the inventory",
    )
    with pytest.raises(api.UsageError) as bad:
        rec.numbers(filter="everything")
    assert bad.value.option == "--filter"
    assert api.NUMBER_FILTERS[0] == "all-unassigned" and len(api.NUMBER_FILTERS) == 10


def test_verify_texts_each_managed_number_and_says_where_it_landed(project: Project) -> None:
    rec = project.reconciler()
    rec.apply()
    delivered = rec.verify(api.Scope(enterprises=["sunshine-dental"]), timeout=5)
    assert delivered.ok and len(delivered.results) == 10
    first = delivered.results[0]
    assert (first.target.number, first.status, first.wrong_place) == (
        "+12025550101",
        "DELIVRD",
        False,
    )
    assert (delivered.cost.encoding, delivered.cost.segments) == ("GSM-7", 1)
    assert delivered.run.command == "verify" and "send" in delivered.run.stages
    with pytest.raises(api.UsageError) as bad:
        rec.verify(sender="a sender too long")
    assert bad.value.option == "--sender"
    with pytest.raises(api.ReconcilerError, match="not a managed SMS number"):
        rec.verify(numbers=["+12025550199"])


def test_doctor_checks_every_provider_read_only(project: Project) -> None:
    found = project.reconciler().doctor()
    assert found.ok and found.notes == ()
    assert (found.count("pass"), found.count("fail"), found.count("skip")) == (17, 0, 2)
    assert [(c.api, c.what, c.detail) for c in found.checks if c.status == "skip"] == [
        ("ContextSMS", "getEnterprise", "CSP CSP0000003 has no enterprise to read"),
        ("ContextSMS", "listMappings", "CSP CSP0000003 has no enterprise to read"),
    ]
    assert project.vendors.writes() == []
    project.config.write_text(
        project.config.read_text().replace("token: demo-token", "token: ${GATEWAY_TOKEN}")
    )
    project.edit("sunshine-dental", "userId: alice@sunshinedental.com", "userId: alice")
    missing = project.reconciler(env={}).doctor()
    assert not missing.ok
    assert missing.notes[0].startswith("manifests not used (")
    [failure] = [c for c in missing.checks if c.status == "fail"]
    assert (failure.api, failure.what, failure.fix) == (
        "Connectel",
        "environment",
        "export GATEWAY_TOKEN",
    )


def test_export_writes_manifests_that_plan_no_changes(
    project: Project, tmp_path: pathlib.Path
) -> None:
    rec = project.reconciler()
    rec.apply()
    out = tmp_path / "exported"
    exported = rec.export(out, csp="CSP0000003")
    assert exported.failed == []
    assert exported.done == [
        f"wrote {out / 'sunshine-dental.yaml'}",
        f"wrote {out / 'northwind-legal.yaml'}",
        f"wrote {out / 'schemas' / 'manifest.schema.json'}",
        f"wrote {out / 'schemas' / 'config.schema.json'}",
        f"wrote {out / 'reconciler.yaml'}",
    ]
    again = api.Reconciler(
        project.config,
        [out / "sunshine-dental.yaml", out / "northwind-legal.yaml"],
        transport=project.vendors.transport,
    )
    assert again.plan().changes == ()


def test_clone_copies_the_managed_enterprises_into_a_seed(
    project: Project, tmp_path: pathlib.Path
) -> None:
    rec = project.reconciler()
    rec.apply(api.Scope(enterprises=["sunshine-dental"]))
    cloned = rec.clone(tmp_path / "seed.yaml")
    assert (cloned.copied, cloned.absent, cloned.failed) == (
        ("northwind-legal", "sunshine-dental"),
        (),
        (),
    )
    seed = yaml.safe_load((tmp_path / "seed.yaml").read_text())
    assert "demo-password" not in (tmp_path / "seed.yaml").read_text()
    assert [e["enterpriseName"] for e in seed["connecttoteams"]["enterprises"]] == [
        "Northwind Legal",
        "Sunshine Dental",
    ]
    config = yaml.safe_load(cloned.rehearsal_config(8181))
    assert config["providers"]["connectel"]["url"] == "http://127.0.0.1:8181/connectel/api/v2"


def test_shards_init_and_schemas_are_offline(project: Project, tmp_path: pathlib.Path) -> None:
    shards = project.reconciler().shards("count=2")
    assert [(s["shard"], s["enterprises"]) for s in shards] == [
        ("1-of-2", ["sunshine-dental"]),
        ("2-of-2", ["northwind-legal"]),
    ]
    written = api.init(tmp_path / "starter").written
    assert sorted(p.relative_to(tmp_path / "starter").as_posix() for p in written) == [
        ".github/workflows/reconciler.yml",
        ".gitignore",
        "enterprises/northwind-legal.yaml",
        "reconciler.yaml",
        "schemas/config.schema.json",
        "schemas/manifest.schema.json",
    ]
    with pytest.raises(api.ReconcilerError, match="exist already, so nothing was written"):
        api.init(tmp_path / "starter")
    assert sorted(api.schemas()) == ["config.schema.json", "manifest.schema.json"]
    assert json.loads(api.schemas()["manifest.schema.json"])["title"]
    assert project.vendors.requests == []


def test_the_transport_is_the_only_way_out(project: Project) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    rec = api.Reconciler(
        project.config, [project.enterprises], transport=httpx.MockTransport(refuse)
    )
    plan = rec.plan()
    assert [e.name for e in plan.failed] == ["northwind-legal", "sunshine-dental"]
    assert (
        plan.failed[0]
        .problems[0]
        .message.startswith(
            "cannot read it: ConnecttoTeams token: cannot connect to http://127.0.0.1:9"
        )
    )
