"""`reconciler drift` after out-of-band changes made through the vendor endpoints."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from tests.functional import test_readme_samples as readme_samples
from tests.functional.conftest import Project, Vendor, golden, steady, timeless, without_run

SUNSHINE = 78


def drift(project: Project, *args: str) -> tuple[int, str, str]:
    result = project.run("drift", ".", *args)
    return result.returncode, result.stdout, result.stderr


def out_of_band(project: Project, vendor: Vendor) -> None:
    """A number unassigned, a member added, a mapping retargeted, a group deleted, an
    unmanaged user created; each leaves appSynced false."""
    vendor.user_number(SUNSHINE, "erin@sunshinedental.com", "+12025550107", assigned=False)
    groups = {
        g["groupName"]: g["groupId"]
        for g in vendor.c2t_post(f"/sms/getSMSGroups/{SUNSHINE}").json()
    }
    vendor.c2t_post(
        "/sms/addSMSMembersForGroup",
        {
            "groupId": groups["Front Desk"],
            "enterpriseId": SUNSHINE,
            "smsMembers": ["carol@sunshinedental.com"],
        },
    )
    vendor.c2t_post(
        "/sms/createSMSGroup",
        {"groupId": groups["Billing"], "enterpriseId": SUNSHINE, "deleteGroup": True},
    )
    vendor.c2t_post(
        "/sms/enableSMSServiceForUser",
        {"userId": "frank@sunshinedental.com", "enterpriseId": SUNSHINE, "enable": True},
    )
    vendor.user_number(SUNSHINE, "frank@sunshinedental.com", "+12025550112", assigned=True)
    vendor.remap("+12025550110", "19:elsewhere@thread.tacv2")


def test_in_sync_exits_0(project: Project) -> None:
    project.apply()
    code, out, _ = drift(project)
    assert code == 0
    assert out.endswith("No drift: 2 enterprises match the manifests.\n")


def test_out_of_band_changes_in_every_format(project: Project, vendor: Vendor) -> None:
    project.apply()
    out_of_band(project, vendor)
    code, out, err = drift(project)
    assert code == 2
    golden("drift/out-of-band.txt", out)
    # the README's drift sample is this very run (its times aside)
    shown = readme_samples.blocks()["reconciler drift examples/"]
    assert readme_samples.timeless(shown) == readme_samples.timeless(out + err)

    code, out, _ = drift(project, "--format", "json")
    assert code == 2
    document = json.loads(out)
    stable = steady(document, project.sandbox.url)
    golden("drift/out-of-band.json", json.dumps(stable, indent=2, sort_keys=True) + "\n")
    assert document["inSync"] is False and document["formatVersion"] == 1
    [sunshine] = [e for e in document["enterprises"] if e["name"] == "sunshine-dental"]
    kinds = {(d["kind"], d["key"], d["field"], d["action"]) for d in sunshine["differences"]}
    assert kinds == {
        ("smsUser", "erin@sunshinedental.com", "numbers", "update"),
        ("smsGroup", "Front Desk", "members", "update"),
        ("smsGroup", "Billing", None, "create"),
        ("smsUser", "frank@sunshinedental.com", None, "unmanaged"),  # with the number it holds
        ("mapping", "+12025550110", "messagingAppId", "update"),
        ("sync", "Unified App", "appSynced", "sync"),
    }

    code, out, _ = drift(project, "--format", "markdown")
    golden("drift/out-of-band.md", timeless(out))
    assert (
        code == 2
        and "| SMS group Front Desk | members | alice@sunshinedental.com, bob@sunshinedental.com |"
        in out
    )

    code, out, _ = drift(project, "--format", "junit", "-o", "drift.xml")
    assert code == 2
    golden("drift/out-of-band.xml", (project.root / "drift.xml").read_text())
    suites = ET.parse(project.root / "drift.xml").getroot()
    failing = {
        (s.get("name"), c.get("name")) for s in suites for c in s if c.find("failure") is not None
    }
    assert failing == {("sunshine-dental", k) for k in ("smsUser", "smsGroup", "mapping", "sync")}

    code, out, err = drift(project, "--format", "html", "-o", "drift.html")
    assert code == 2
    assert without_run(err).endswith("Drift: 6 differences in 1 of 2 enterprises; 1 in sync.\n")
    page = (project.root / "drift.html").read_text()
    generated = re.compile(r"<dt>Generated</dt><dd>[0-9T:.Z-]+</dd>")
    assert len(generated.findall(page)) == 1
    steady_page = generated.sub("<dt>Generated</dt><dd>(time)</dd>", page)
    golden("drift/out-of-band.html", steady_page.replace(project.sandbox.url, "http://SANDBOX"))
    assert page.startswith("<!doctype html>") and "http" not in page.split("<body>")[0]
    assert "19:elsewhere@thread.tacv2" in page and "Front Desk" in page


def test_conflicts_are_drift_not_a_crash(project: Project, vendor: Vendor) -> None:
    project.apply()
    vendor.user_number(SUNSHINE, "erin@sunshinedental.com", "+12025550107", assigned=False)
    vendor.c2t_post(
        "/sms/enableSMSServiceForUser",
        {"userId": "frank@sunshinedental.com", "enterpriseId": SUNSHINE, "enable": True},
    )
    vendor.user_number(SUNSHINE, "frank@sunshinedental.com", "+12025550107", assigned=True)
    code, out, _ = drift(project)
    assert code == 1  # the conflict stops sunshine-dental's apply: an error beats drift
    assert out == (
        "northwind-legal (ConnecttoTeams 79, ContextSMS E0000090): no differences\n"
        "sunshine-dental (ConnecttoTeams 78, ContextSMS E0000091): 4 differences\n"
        "  SMS user erin@sunshinedental.com numbers: git +12025550107, live (none): apply would "
        "update it\n"
        "  Teams Unified App synced with Teams: git yes, live no: apply would sync it\n"
        "  SMS user frank@sunshinedental.com (holds +12025550107): live, in no manifest (left "
        "alone without prune)\n"
        "  conflict: +12025550107 is wanted by SMS user 'erin@sunshinedental.com' but held by "
        "SMS user 'frank@sunshinedental.com', which no manifest manages: add it to the manifest, "
        "release the number, or set policy.prune: true\n"
        "What to do:\n"
        "  - run apply to restore the manifest's value, or write the live value in the manifest\n"
        "  - run apply: it syncs the Teams Unified App\n"
        "  - add it to a manifest (reconciler export writes it), or set policy.prune: true to "
        "delete it\n"
        "  - free the number or change the manifest, then plan again\n"
        "Drift: 4 differences in 1 of 2 enterprises; 1 in sync.\n"
    )
