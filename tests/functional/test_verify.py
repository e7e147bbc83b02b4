"""`reconciler verify` against a served sandbox: delivery, wrong places, statuses, DLRs."""

from __future__ import annotations

import socket

import yaml

from tests.functional.conftest import SEED, Project, Vendor, without_run

ERIN = "erin@sunshinedental.com"


def verify(project: Project, *args: str) -> tuple[int, str, str]:
    result = project.run("verify", ".", "--timeout", "10", *args)
    return result.returncode, result.stdout, result.stderr


def line(out: str, number: str) -> list[str]:
    [found] = [row for row in out.splitlines() if row.startswith(number)]
    return found.split()


def test_verify_after_apply_succeeds(project: Project) -> None:
    project.apply()
    code, out, err = verify(project)
    assert code == 0, out + err
    assert out.endswith("19 of 19 delivered to the right place (message: GSM-7, 1 segment each)\n")
    assert line(out, "+12025550110")[:8] == [
        "+12025550110",
        "SMS",
        "group",
        "Front",
        "Desk;",
        "Teams",
        "app",
        "19:frontdesk@thread.tacv2",
    ]


def test_out_of_band_unassignment_is_reported(project: Project, vendor: Vendor) -> None:
    project.apply()
    vendor.user_number(78, ERIN, "+12025550107", assigned=False)
    code, out, _ = verify(project, "--enterprise", "sunshine-dental")
    assert code == 1
    assert line(out, "+12025550107")[4:] == ["UNDELIV", "-", "-"] or "UNDELIV" in line(
        out, "+12025550107"
    )
    assert out.endswith("9 of 10 delivered to the right place (message: GSM-7, 1 segment each)\n")


def test_a_number_with_another_holder_is_the_wrong_place(project: Project, vendor: Vendor) -> None:
    project.apply()
    vendor.user_number(78, ERIN, "+12025550107", assigned=False)
    vendor.user_number(78, "dave@sunshinedental.com", "+12025550107", assigned=True)
    code, out, _ = verify(project, "--number", "+12025550107")
    assert code == 1
    assert "DELIVRD  WRONG PLACE: SMS user dave@sunshinedental.com" in out


def test_a_mapping_to_another_teams_app_shows_both_app_ids(
    project: Project, vendor: Vendor
) -> None:
    project.apply()
    vendor.remap("+12025550110", "19:elsewhere@thread.tacv2")
    code, out, err = verify(project, "--number", "+12025550110")
    assert code == 1
    [row] = [r for r in out.splitlines() if r.startswith("+12025550110")]
    assert [cell.strip() for cell in row.split("  ") if cell.strip()][:4] == [
        "+12025550110",
        "SMS group Front Desk; Teams app 19:frontdesk@thread.tacv2",
        "DELIVRD",
        "WRONG PLACE: SMS group Front Desk, Teams app 19:elsewhere@thread.tacv2",
    ]
    assert without_run(err) == ""  # the run's cost is the only thing on stderr


def test_rejected_and_expired(project: Project) -> None:
    project.apply()
    with project.sandbox.client() as http:
        http.put(
            "/_sandbox/connectel",
            json={"rejectRecipients": ["12025550101"], "expireRecipients": ["12025550102"]},
        )
    code, out, _ = verify(
        project, "--number", "+12025550101", "--number", "+12025550102", "--number", "+12025550103"
    )
    assert code == 1
    assert "REJECTD" in line(out, "+12025550101")
    assert "EXPIRED" in line(out, "+12025550102")
    assert "DELIVRD" in line(out, "+12025550103")


def test_dlr_callbacks(project: Project) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    seed = yaml.safe_load(SEED.read_text())
    seed["connectel"]["tokens"] = [
        {"token": "demo-token", "callbackUrl": f"http://127.0.0.1:{port}/dlr"}
    ]
    with project.sandbox.client() as http:
        assert http.post("/_sandbox/seed", json=seed).status_code == 200
    project.apply()
    code, out, err = verify(
        project, "--callback-port", str(port), "--enterprise", "northwind-legal"
    )
    assert code == 0, out + err
    assert out.endswith("9 of 9 delivered to the right place (message: GSM-7, 1 segment each)\n")


def test_sender_and_message_are_checked_before_sending(project: Project) -> None:
    code, _, err = verify(project, "--sender", "ABCDEFGHIJKL")
    assert code == 64
    assert "alphanumeric sender 'ABCDEFGHIJKL' is longer than 11 characters" in err
    code, out, err = verify(project, "--message", "ж" * 68, "--number", "+12025550101")
    assert "(message: UCS-2, 2 segments each)" in out
    with project.sandbox.client() as http:
        sent = [
            r for r in http.get("/_sandbox/requests").json() if r["path"].startswith("/connectel")
        ]
    assert [r["path"] for r in sent] == ["/connectel/api/v2/send/", "/connectel/api/v2/delivery/"]
    assert "demo-token" not in str(sent)


def test_the_token_a_faithful_gateway_echoes_in_href_is_never_shown(project: Project) -> None:
    marker = "MARKER-cnt-token-5f1e9a"
    seed = yaml.safe_load(SEED.read_text())
    seed["connectel"]["tokens"] = [{"token": marker}]
    with project.sandbox.client() as http:
        assert http.post("/_sandbox/seed", json=seed).status_code == 200
    config = project.root / "reconciler.yaml"
    config.write_text(config.read_text().replace("token: demo-token", f"token: {marker}"))
    project.apply()
    code, out, err = verify(project, "--enterprise", "northwind-legal")
    assert code == 0, out + err
    # A rejected message goes through the failure path, where a careless client would
    # quote the gateway's answer; --debug prints tracebacks too.
    with project.sandbox.client() as http:
        http.put("/_sandbox/connectel", json={"rejectRecipients": ["*"]})
    failed = project.run("--debug", "verify", ".", "--timeout", "10", "--number", "+12025550101")
    assert failed.returncode == 1
    with project.sandbox.client() as http:
        sends = [r for r in http.get("/_sandbox/requests").json() if r["path"].endswith("/send/")]
    assert len(sends) == 2
    written = [p.read_text() for p in project.root.rglob("*") if p.is_file() and p != config]
    assert marker not in out + err + failed.stdout + failed.stderr + "".join(written)
