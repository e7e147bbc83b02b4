"""`reconciler sandbox clone`: a copy of production served by the sandbox plans exactly
the changes production plans."""

from __future__ import annotations

import json
import pathlib

import yaml

from tests.functional.conftest import Project, start, stop


def test_a_served_clone_plans_the_same_changes(project: Project, tmp_path: pathlib.Path) -> None:
    project.apply()
    # Changes of every kind against the live state: a moved number, a member, a rename,
    # a mapping retargeted, a new user.
    project.edit(
        "sunshine-dental",
        "    - name: Front Desk\n",
        "    - name: Reception\n      renamedFrom: Front Desk\n",
    )
    project.edit(
        "sunshine-dental",
        "members: [alice@sunshinedental.com, bob@sunshinedental.com]",
        "members: [alice@sunshinedental.com, carol@sunshinedental.com]",
    )
    project.edit("sunshine-dental", '"19:frontdesk@thread.tacv2"', '"19:reception@thread.tacv2"')
    rehearsal = tmp_path / "rehearsal"
    cloned = project.run(
        "sandbox",
        "clone",
        ".",
        "-o",
        str(rehearsal / "seed.yaml"),
        "--config-out",
        str(rehearsal / "reconciler.yaml"),
        "--port",
        "8080",
    )
    assert cloned.returncode == 0, cloned.stdout + cloned.stderr
    assert cloned.stdout == (
        f"wrote {rehearsal / 'seed.yaml'}: 2 enterprise(s) copied\n"
        f"wrote {rehearsal / 'reconciler.yaml'}: aimed at http://127.0.0.1:8080\n"
    )
    seed_text = (rehearsal / "seed.yaml").read_text()
    for production_secret in ("demo-secret", "demo-password", "demo-token"):
        assert production_secret not in seed_text
    copy = start(tmp_path / "copy.db", "--seed", str(rehearsal / "seed.yaml"))
    try:
        config = rehearsal / "reconciler.yaml"
        config.write_text(config.read_text().replace("http://127.0.0.1:8080", copy.url))
        on_copy = project.run("plan", "--config", str(config), "--format", "json", ".")
        on_production = project.run("plan", "--format", "json", ".")
    finally:
        stop(copy)
    assert on_production.returncode == 0, on_production.stderr
    assert on_copy.returncode == 0, on_copy.stderr
    production, rehearsed = json.loads(on_production.stdout), json.loads(on_copy.stdout)
    assert production["summary"] == {
        "create": 0,
        "update": 2,
        "delete": 0,
        "sync": 1,
        "failed": 0,
        "heldBack": 0,
        "total": 3,
    }
    assert rehearsed["enterprises"] == production["enterprises"]
    assert rehearsed["summary"] == production["summary"]
    copied = {
        e["enterpriseId"]: e for e in yaml.safe_load(seed_text)["connecttoteams"]["enterprises"]
    }
    assert [g["groupName"] for g in copied[78]["smsGroups"]] == ["Billing", "Front Desk"]
    changes = [c["id"] for e in production["enterprises"] for c in e["changes"]]
    assert changes == [
        "sunshine-dental/smsGroup/Reception",
        "sunshine-dental/mapping/+12025550110",
        "sunshine-dental/sync/Unified App",
    ]
