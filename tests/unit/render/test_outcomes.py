"""How an apply, a run, a journal, a doctor's diagnosis and a validation read, rendered
from values built by hand: whole lines and documents."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from prometheus_client.parser import text_string_to_metric_families

from reconciler.apply.outcome import Convergence, Outcome, Report
from reconciler.model import state
from reconciler.model.problem import Problem
from reconciler.model.record import Call, Retry, Tally
from reconciler.plan.model import Change, EnterprisePlan, Plan
from reconciler.render import apply, diagnosis, journal, metrics, runline, validation, values
from reconciler.reports.diagnosis import Check, Diagnosis
from reconciler.reports.runsummary import RunSummary
from reconciler.reports.validation import Validation

CALL = Call(0.0, "ConnecttoTeams", "userDids", "POST", "/sms/x", "/c/sms/x", 503, 1, 0.1, 2.0)
RUN = RunSummary(
    "apply",
    100.0,
    103.04,
    {"read": 0.42, "apply": 2.5},
    Tally(
        (CALL, CALL, Call(0.0, "ContextSMS", "login", "POST", "/a", "/a", 429, 1, 0, 1)),
        (Retry("ConnecttoTeams", "userDids", 1, 0.5, "503 busy"),),
    ),
    cpu={"read": 0.31, "apply": 1.2},
)
HELD = Problem(kind="read", enterprise="beta", message="cannot read it: down")
PLAN = Plan(
    enterprises=(
        EnterprisePlan(
            name="acme",
            ids={},
            changes=(
                Change(
                    id="acme/smsUser/a", enterprise="acme", kind="smsUser", key="a", action="create"
                ),
                Change(
                    id="acme/smsUser/b", enterprise="acme", kind="smsUser", key="b", action="create"
                ),
            ),
        ),
        EnterprisePlan(name="beta", ids={}, problems=(HELD,)),
    )
)
REPORT = Report(
    (
        Outcome("acme/smsUser/a", "acme", "applied", "", 100.5, 0.25),
        Outcome("acme/smsUser/b", "acme", "failed", "ConnecttoTeams userDids: 409 DID taken"),
    ),
    3,
    {"ContextSMS": 1},
    Convergence(("acme",), ("acme",), ("create acme/smsUser/b",), ("acme: twin",), 4),
)


def test_how_an_apply_ended_in_lines() -> None:
    assert apply.summary(REPORT, PLAN) == (
        "Apply incomplete: 1 applied, 1 failed, 0 skipped (3 API calls); not converged: acme; "
        "1 enterprise not applied: beta."
    )
    assert apply.details(REPORT, PLAN) == [
        "  failed: acme/smsUser/b: ConnecttoTeams userDids: 409 DID taken",
        "  not applied: beta: cannot read it: down",
        "  remains after apply: create acme/smsUser/b",
        "  cannot be planned after apply: acme: twin",
        "  throttled: ContextSMS answered 429 to 1 request; the request rate backed off and "
        "recovered (the requests were retried)",
    ]
    assert apply.converged(REPORT) is None  # not converged: no such line
    fine = Report(REPORT.outcomes[:1], 1, {}, Convergence(("acme", "beta"), calls=9))
    assert apply.converged(fine) == (
        "Converged: a re-read of the 2 changed enterprises plans no changes (9 API calls)."
    )


def test_the_json_summary_of_an_apply() -> None:
    document = json.loads(apply.as_json(REPORT, PLAN, RUN))
    assert {
        k: document[k] for k in ("event", "applied", "failed", "skipped", "calls", "throttled")
    } == {
        "event": "summary",
        "applied": 1,
        "failed": 1,
        "skipped": 0,
        "calls": 3,
        "throttled": {"ContextSMS": 1},
    }
    assert document["notApplied"] == [
        {"enterprise": "beta", "kind": "read", "message": "cannot read it: down"}
    ]
    assert document["convergence"] == {
        "converged": False,
        "checked": ["acme"],
        "unconverged": ["acme"],
        "remaining": ["create acme/smsUser/b"],
        "problems": ["acme: twin"],
        "calls": 4,
    }
    assert document["run"]["stages"] == {"read": 0.42, "apply": 2.5}
    assert document["run"]["cpu"] == {"read": 0.31, "apply": 1.2}


def test_the_run_line() -> None:
    assert runline.summary(RUN) == (
        "Run: 3.0 s, 3 API calls (1 retry, 1 answer 429); read 0.4 s, apply 2.5 s."
    )
    quiet = RunSummary("drift", 0.0, 0.0, {}, Tally())
    assert runline.summary(quiet) == "Run: 0.0 s, 0 API calls (0 retries)."


def test_the_journal_as_junit_one_case_per_change_and_an_error_per_enterprise() -> None:
    record = {
        "seconds": 3.04,
        "startedAt": "2026-12-04T10:00:00.000Z",
        "toolVersion": "0.1.0",
        "commit": None,
        "manifestDigest": "d",
        "totals": {"failed": 1, "skipped": 1},
        "changes": [
            {
                "id": "acme/smsUser/a",
                "enterprise": "acme",
                "seconds": 0.25,
                "status": "applied",
                "reason": "",
                "calls": [{"operation": "userDids", "status": 200}],
            },
            {
                "id": "acme/smsUser/b",
                "enterprise": "acme",
                "seconds": 0.0,
                "status": "failed",
                "reason": "409 DID taken",
                "calls": [{"operation": "userDids", "status": None, "error": "timed out"}],
            },
            {
                "id": "acme/sync/Unified App",
                "enterprise": "acme",
                "seconds": 0.0,
                "status": "skipped",
                "reason": "",
                "calls": [],
            },
        ],
        "notApplied": [{"enterprise": "beta", "kind": "read", "message": "down"}],
    }
    suite = ET.fromstring(journal.junit(record))
    assert (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("skipped"),
        suite.get("errors"),
    ) == ("4", "1", "1", "1")
    assert {p.get("name"): p.get("value") for p in suite.iter("property")} == {
        "toolVersion": "0.1.0",
        "commit": "",
        "manifestDigest": "d",
    }
    a, b, sync, beta = suite.findall("testcase")
    assert a.findtext("system-out") == "calls: userDids 200"
    assert (b.find("failure").get("message"), b.find("failure").text) == (  # type: ignore[union-attr]
        "409 DID taken",
        "409 DID taken\ncalls: userDids timed out",
    )
    assert sync.find("skipped").get("message") == "skipped"  # type: ignore[union-attr]
    assert (beta.get("classname"), beta.get("name"), beta.find("error").text) == (
        "beta",
        "plan",
        "down",
    )  # type: ignore[union-attr]
    assert json.loads(journal.as_json(record)) == record


def test_metrics_describe_the_last_run() -> None:
    text = metrics.text(RUN, success=False, report=REPORT, planned=3)
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    apply_label = (("command", "apply"),)
    assert samples[("reconciler_last_run_success", apply_label)] == 0
    assert samples[("reconciler_last_run_timestamp_seconds", apply_label)] == 103.04
    assert (
        samples[("reconciler_run_stage_seconds", (("command", "apply"), ("stage", "read")))] == 0.42
    )
    stage_cpu = "reconciler_run_stage_cpu_seconds"
    assert samples[(stage_cpu, (("command", "apply"), ("stage", "apply")))] == 1.2
    assert (
        samples[
            (
                "reconciler_api_responses",
                (("api", "ConnecttoTeams"), ("command", "apply"), ("status", "503")),
            )
        ]
        == 2
    )
    assert (
        samples[("reconciler_api_retries", (("api", "ConnecttoTeams"), ("command", "apply")))] == 1
    )
    outcomes = {
        dict(k[1])["outcome"]: v for k, v in samples.items() if k[0] == "reconciler_apply_changes"
    }
    assert outcomes == {"applied": 1, "failed": 1, "skipped": 0, "not_run": 1}
    assert samples[("reconciler_apply_converged", apply_label)] == 0


def test_a_diagnosis_as_a_table_and_as_json() -> None:
    found = Diagnosis(
        (
            Check("ConnecttoTeams", "reach", "pass", "HTTPS 200 from https://c2t"),
            Check(
                "ConnecttoTeams",
                "listUsers",
                "fail",
                "unexpected answer: no userId",
                "set it",
                "POST /sms/u/{id}",
                False,
            ),
            Check("Connectel", "authentication", "skip", "its environment is incomplete"),
        )
    )
    assert diagnosis.table(found) == (
        "ConnecttoTeams\n"
        "  ok    reach           HTTPS 200 from https://c2t\n"
        "  FAIL  listUsers       POST /sms/u/{id} (assumed): unexpected answer: no userId\n"
        "\n"
        "Connectel\n"
        "  skip  authentication  its environment is incomplete\n"
        "\n"
        "To do:\n"
        "  ConnecttoTeams listUsers: set it\n"
        "\n"
        "Problems found: 1 passed, 1 failed, 1 skipped.\n"
    )
    document = json.loads(diagnosis.as_json(found))
    assert (document["ok"], document["summary"]) == (False, {"pass": 1, "fail": 1, "skip": 1})
    assert document["checks"][1]["documented"] is False


def test_a_validation_in_lines() -> None:
    enterprise = state.Enterprise(name="acme", users={}, groups={}, mappings={})
    valid = Validation(
        files=("a.yaml",),
        desired=state.State(enterprises={"acme": enterprise}),
        skipped=("ci.yml",),
    )
    assert validation.summary(valid) == [
        "skipped ci.yml: no apiVersion or kind, not a manifest",
        "acme: 0 SMS users, 0 SMS groups, 0 numbers, 0 mappings",
        "ok: 1 enterprise in 1 file",
    ]
    invalid = Validation(report="a.yaml:1:1: bad", errors=2)
    assert validation.failed(invalid) == ["a.yaml:1:1: bad", "validation failed: 2 problems"]


def test_values_read_as_people_write_them_and_never_show_a_secret() -> None:
    assert [values.show(v) for v in (None, [], ["a", "b"], True, False, 3)] == [
        "(none)",
        "(none)",
        "a, b",
        "true",
        "false",
        "3",
    ]
    body = {"userId": "a", "Password": "pw", "nested": [{"token": "t", "id": {"$ref": "x/y"}}]}
    assert values.public(body) == {
        "userId": "a",
        "Password": "***",
        "nested": [{"token": "***", "id": "(known after apply)"}],
    }
    assert values.body(body) == (
        '{"userId": "a", "Password": "***", "nested": [{"token": "***", "id": "(known after apply)"}]}'
    )
    assert (values.plural(1, "retry", "retries"), values.plural(2, "retry", "retries")) == (
        "1 retry",
        "2 retries",
    )


def test_a_sync_left_after_a_failure_says_why_and_a_stopped_apply_says_so() -> None:
    left = Convergence(("acme",), ("acme",), ("sync acme/sync/Unified App",), (), 2)
    report = Report(REPORT.outcomes, 3, {}, left)
    assert apply.details(report, PLAN)[-1] == (
        "  remains after apply: sync acme/sync/Unified App (sent again with the change that "
        "failed, by the next apply)"
    )
    stopped = Report(REPORT.outcomes[:1], 1, stopped=True)
    assert apply.summary(stopped, PLAN).startswith("Apply stopped: 1 applied, 0 failed")


def test_the_run_line_leaves_out_the_time_a_person_took_at_the_prompt() -> None:
    waited = RunSummary("apply", 100.0, 163.04, {"read": 0.42}, RUN.tally, waited=60.0)
    assert runline.summary(waited).startswith("Run: 3.0 s, ")
