"""`reconciler export`: live -> manifests that plan no change, and reproduce the examples."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

from reconciler.manifest import loader
from tests.functional.conftest import EXAMPLES, Project, run, without_retries

ROOT = pathlib.Path(__file__).parents[2]


def essence(directory: pathlib.Path) -> dict[str, object]:
    """What a manifest says, without pins and labels (which export adds or cannot know)."""
    out: dict[str, object] = {}
    for name, e in loader.load([directory]).state.enterprises.items():
        c2t, csms = e.connecttoteams, e.contextsms
        assert c2t is not None and csms is not None
        out[name] = (
            c2t.enterpriseName,
            c2t.services,
            (csms.cspId, csms.name, csms.contact, csms.number, csms.email),
            e.users,
            e.groups,
            e.mappings,
            e.policy,
        )
    return out


def test_export_round_trips_and_reproduces_the_examples(project: Project) -> None:
    project.apply()
    result = project.run("export", "--csp", "CSP0000003", "-o", "exported")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote exported/sunshine-dental.yaml",
        "wrote exported/northwind-legal.yaml",
        "wrote exported/schemas/manifest.schema.json",
        "wrote exported/schemas/config.schema.json",
        "wrote exported/reconciler.yaml",
    ]
    plan = project.run("plan", "exported", "--config", "reconciler.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert essence(project.root / "exported") == essence(EXAMPLES / "enterprises")
    text = (project.root / "exported" / "sunshine-dental.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=schemas/manifest.schema.json\n")
    schema = json.loads((project.root / "exported/schemas/manifest.schema.json").read_text())
    assert schema["$schema"].startswith("https://json-schema.org/")  # what the line names
    assert "    enterpriseId: 78\n" in text and '    number: "+12025550143"\n' in text
    config = (project.root / "exported" / "reconciler.yaml").read_text()
    assert "clientSecret: ${C2T_CLIENT_SECRET}" in config and "demo-secret" not in config


def test_export_one_enterprise_by_id(project: Project) -> None:
    project.apply()
    result = project.run("export", "--enterprise-id", "79", "-o", "one")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project.root / "one").iterdir()) == [
        "northwind-legal.yaml",
        "reconciler.yaml",
        "schemas",
    ]
    # the CSP found from the ContextSMS user's email: its section and mappings come along
    text = (project.root / "one" / "northwind-legal.yaml").read_text()
    assert "  contextsms:\n    cspId: CSP0000003\n" in text and "  mappings:\n" in text


def test_export_round_trips_a_generated_enterprise(tmp_path: pathlib.Path) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            str(tmp_path),
            "--users",
            "250",
            "--groups",
            "25",
        ],
        check=True,
    )
    assert run("apply", "--yes", ".", cwd=tmp_path).returncode == 0
    result = run("export", "--csp", "CSP0000003", "-o", "exported", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = run(
        "plan", "exported", "--config", "reconciler.yaml", "--detailed-exitcode", cwd=tmp_path
    )
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_an_enterprise_that_cannot_be_read_is_named_and_the_others_exported(
    project: Project,
) -> None:
    project.apply()
    config = project.root / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(
            "\napply:\n",
            "\napply:\n  retry: {attempts: 2, initialBackoff: 0.01, maxBackoff: 0.01, deadline: 5}\n",
        )
    )
    rules = [{"route": "/connecttoteams/*/79", "errorRate": 1.0, "errorStatus": 503}]
    with project.sandbox.client() as http:
        assert http.put("/_sandbox/faults", json=rules).status_code == 200
    result = project.run("export", "-o", "partial")
    assert result.returncode == 1
    assert result.stdout == (
        "wrote partial/sunshine-dental.yaml\nwrote partial/schemas/manifest.schema.json\n"
        "wrote partial/schemas/config.schema.json\nwrote partial/reconciler.yaml\n"
    )
    assert without_retries(result.stderr) == (
        "note: not written, as they may belong to an enterprise that could not be read: the "
        "ContextSMS enterprise Northwind Legal LLP; export again once it can be read\n"
        "error: enterprise 'Northwind Legal': cannot read it: ConnecttoTeams phoneNumbers: 503 "
        "UNAVAILABLE: Service unavailable (injected fault)\n"
    )


def test_an_export_of_the_embedded_sandbox_round_trips_as_written(tmp_path: pathlib.Path) -> None:
    for name in ("enterprises", "reconciler.yaml", "sandbox-seed.yaml"):
        source = EXAMPLES / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    manifest = tmp_path / "enterprises" / "sunshine-dental.yaml"
    assert run("apply", "--yes", ".", cwd=tmp_path).returncode == 0
    exported = tmp_path / "exported"
    exported.mkdir()
    # labels and policy live only in git: an export over a manifest keeps them
    (exported / "sunshine-dental.yaml").write_text(manifest.read_text())
    result = run("export", "-o", "exported", cwd=tmp_path)  # no --csp: found by itself
    assert result.returncode == 0, result.stderr
    text = (exported / "sunshine-dental.yaml").read_text()
    assert "  labels:\n    tier: gold\n    region: us-east\n" in text
    assert "  contextsms:\n    cspId: CSP0000003\n" in text and "  mappings:\n" in text
    plan = run("plan", ".", "--detailed-exitcode", cwd=exported)  # its own config, as written
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert plan.stdout.splitlines()[-1] == "Plan: 0 to create, 0 to update, 0 to delete, 0 syncs."
