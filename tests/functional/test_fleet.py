"""Safe change across a fleet, driven through the CLI against a served sandbox: exclusions,
ignore rules, change windows, impact summaries, deliberate releases and waves gated by a
live SMS round trip."""

from __future__ import annotations

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
