"""Safe change across a fleet, driven through the CLI against a served sandbox: exclusions,
ignore rules, change windows, impact summaries, deliberate releases and waves gated by a
live SMS round trip."""

from __future__ import annotations

import datetime
import json
import re

from tests.functional.conftest import Project, Vendor


def test_exclude_leaves_an_enterprise_out_of_plan_apply_and_drift(
    project: Project, vendor: Vendor
) -> None:
    planned = project.run("plan", ".", "--exclude", "sunshine-dental")
    assert planned.returncode == 0, planned.stderr
    assert "northwind-legal" in planned.stdout and "sunshine-dental" not in planned.stdout
    applied = project.run("apply", "--yes", ".", "--exclude-selector", "tier=gold")
    assert applied.returncode == 0, applied.stderr
    assert "sunshine-dental" not in applied.stdout
    drift = project.run("drift", ".", "--exclude", "sunshine-dental")
    assert (drift.returncode, drift.stdout.splitlines()[-1]) == (
        0,
        "No drift: 1 enterprise matches the manifests.",
    )
    everything = project.run("drift", ".")
    assert everything.returncode == 2  # sunshine-dental was never applied
    typo = project.run("plan", ".", "--exclude", "sunshine")
    assert (typo.returncode, typo.stderr) == (
        1,
        "error: no enterprise named 'sunshine' in the manifests (known: northwind-legal, "
        "sunshine-dental)\n",
    )


def test_an_ignored_field_changed_out_of_band_is_no_drift_and_export_writes_it_live(
    project: Project, vendor: Vendor
) -> None:
    project.edit(
        "sunshine-dental",
        "    requirePayment: false",
        "    requirePayment: false\n    ignore: [mapping.messagingAppId, smsUser.userTag]",
    )
    project.apply()
    vendor.remap("+12025550120", "19:owned-by-the-clinic@thread.tacv2")
    drift = project.run("drift", ".")
    assert (drift.returncode, drift.stdout.splitlines()[-1]) == (
        0,
        "No drift: 2 enterprises match the manifests.",
    )
    project.edit("sunshine-dental", "19:appointments@thread.tacv2", "19:bookings@thread.tacv2")
    assert project.run("plan", "--detailed-exitcode", ".").returncode == 0  # git's is ignored
    exported = project.run(
        "export", "--enterprise", "sunshine-dental", "--csp", "CSP0000003", "-o", "live"
    )
    assert exported.returncode == 0, exported.stderr
    written = (project.root / "live" / "sunshine-dental.yaml").read_text()
    assert "messagingAppId: 19:owned-by-the-clinic@thread.tacv2\n" in written, written


def closed_window() -> tuple[str, str]:
    """A window that is closed now (three days ahead, one minute long, UTC), and the
    reason a held plan gives for it."""
    day = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=3)
    name = day.strftime("%a")
    manifest = (
        f'\n    changeWindows: [{{days: [{name}], from: "03:00", to: "03:01", timezone: UTC}}]'
    )
    when = f"{day.isoformat()} 03:00"
    return manifest, f"outside its change window until {name} {when} UTC"


def test_an_enterprise_outside_its_window_is_held_back_and_applied_when_told(
    project: Project,
) -> None:
    window, why = closed_window()
    project.edit(
        "sunshine-dental", "    requirePayment: false", "    requirePayment: false" + window
    )
    planned = project.run("plan", ".")
    assert planned.returncode == 0, planned.stderr
    lines = planned.stdout.splitlines()
    at = lines.index("sunshine-dental (ConnecttoTeams 78, ContextSMS (new))")
    assert lines[at + 1 : at + 3] == [
        "  impact: new on ContextSMS, 6 users get SMS, 2 new groups, 3 numbers start reaching "
        "Teams channels, 1 other update",
        f"  held back: {why}; its 14 changes wait (--ignore-windows applies now)",
    ]
    assert lines[-1] == (
        "Plan: 11 to create, 0 to update, 0 to delete, 1 sync; 1 enterprise held back by change "
        "windows."
    )
    applied = project.run("apply", "--yes", ".", "--report", "held.json")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.splitlines()[-1] == (
        "Apply complete: 12 applied, 0 failed, 0 skipped (21 API calls); 1 enterprise held back "
        "by change windows: sunshine-dental."
    )
    journal = json.loads((project.root / "held.json").read_text())
    assert (journal["ignoredWindows"], journal["totals"]["heldBack"], journal["heldBack"]) == (
        False,
        1,
        [{"enterprise": "sunshine-dental", "reason": why, "changes": 14}],
    )
    drift = project.run("drift", ".")  # drift still reports it
    assert drift.returncode == 2 and "sunshine-dental" in drift.stdout
    forced = project.run("apply", "--yes", ".", "--ignore-windows", "--report", "now.json")
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.splitlines()[-1].endswith("; change windows ignored (--ignore-windows).")
    assert json.loads((project.root / "now.json").read_text())["ignoredWindows"] is True
    assert project.run("drift", ".").returncode == 0


def test_waves_by_label_each_pass_a_live_sms_round_trip(project: Project) -> None:
    project.edit("sunshine-dental", "labels: {tier: gold,", "labels: {ring: canary, tier: gold,")
    project.edit("northwind-legal", "labels: {", "labels: {ring: main, ")
    applied = project.run(
        "apply", "--yes", ".", "--waves", "label=ring:canary,main", "--health", "verify",
        "--health-sample", "2", "--report", "waves.json",
    )  # fmt: skip
    assert applied.returncode == 0, applied.stderr
    notes = [line for line in applied.stderr.splitlines() if line.startswith("wave ")]
    assert notes == [
        "wave 1 of 2 (ring=canary): sunshine-dental",
        "wave 1 (ring=canary) health gate (verify) passed",
        "wave 2 of 2 (ring=main): northwind-legal",
        "wave 2 (ring=main) health gate (verify) passed",
    ]
    assert applied.stdout.splitlines()[-1].endswith("; health gates passed: 2 of 2 waves.")
    waves = json.loads((project.root / "waves.json").read_text())["waves"]
    assert [(w["name"], w["status"], w["gate"]["ok"]) for w in waves] == [
        ("ring=canary", "passed", True),
        ("ring=main", "passed", True),
    ]
    texted = [(t["number"], t["status"], t["landed"]) for t in waves[0]["gate"]["texted"]]
    assert texted == [
        ("+12025550101", "DELIVRD", "SMS user maria@sunshinedental.com"),
        ("+12025550102", "DELIVRD", "SMS user alice@sunshinedental.com"),
    ]
    assert project.run("drift", ".").returncode == 0


def test_a_wave_whose_test_sms_is_undelivered_halts_the_rollout(project: Project) -> None:
    with project.sandbox.client() as http:  # Connectel rejects every northwind number
        rules = {"rejectRecipients": ["1202555015*", "1202555016*", "1202555017*"]}
        assert http.put("/_sandbox/connectel", json=rules).status_code == 200
    applied = project.run(
        "apply", "--yes", ".", "--waves", "count=2", "--health", "verify", "--report", "j.json"
    )
    assert applied.returncode == 1
    assert re.sub(r"\(\d+ API calls\)", "(N API calls)", applied.stdout.splitlines()[-1]) == (
        "Apply incomplete: 12 applied, 0 failed, 14 skipped (N API calls); health gates "
        "passed: 0 of 2 waves; halted after wave 1 (1-of-2); not applied: sunshine-dental."
    )
    assert (
        "  health gate of wave 1 (1-of-2, verify) failed: 3 of 3 test messages not delivered "
        "where the manifests say (+12025550150 REJECTD, +12025550151 REJECTD, +12025550152 "
        "REJECTD)\n"
        "    +12025550150 (northwind-legal): REJECTD\n"
    ) in applied.stderr
    journal = json.loads((project.root / "j.json").read_text())
    assert [(w["name"], w["status"], w["enterprises"]) for w in journal["waves"]] == [
        ("1-of-2", "halted", ["northwind-legal"]),
        ("2-of-2", "not applied", ["sunshine-dental"]),
    ]
    assert journal["waves"][1]["gate"] is None
    skipped = {c["reason"] for c in journal["changes"] if c["enterprise"] == "sunshine-dental"}
    assert skipped == {"not applied: wave 1 (1-of-2) failed its health gate"}
    assert journal["outcome"] == "incomplete"
    drift = project.run("drift", ".", "--enterprise", "sunshine-dental")
    assert drift.returncode == 2  # untouched


def test_the_merge_jobs_saved_plan_rolls_out_in_the_configured_waves(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(
            "  parallelism: 8\n", "  parallelism: 8\n  waves: count=2\n  health: converge\n"
        )
    )
    planned = project.run("plan", ".", "--format", "json", "-o", "plan.json")
    assert planned.returncode == 0, planned.stderr
    applied = project.run("apply", "plan.json", "--report", "apply.json")
    assert applied.returncode == 0, applied.stderr
    notes = [line for line in applied.stderr.splitlines() if line.startswith("wave ")]
    assert notes == [
        "wave 1 of 2 (1-of-2): northwind-legal",
        "wave 1 (1-of-2) health gate (converge) passed",
        "wave 2 of 2 (2-of-2): sunshine-dental",
        "wave 2 (2-of-2) health gate (converge) passed",
    ]
    journal = json.loads((project.root / "apply.json").read_text())
    assert [(w["name"], w["status"]) for w in journal["waves"]] == [
        ("1-of-2", "passed"),
        ("2-of-2", "passed"),
    ]
    assert project.run("drift", ".").returncode == 0
