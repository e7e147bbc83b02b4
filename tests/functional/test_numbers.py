"""`reconciler numbers` and `numbers missing` against a served sandbox."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.functional.conftest import CLI, Project

EXPECTED = {
    "all-unassigned": 28,
    "available-voice": ["130", "132", "133", "143"],
    "available-et": ["132"],
    "available-oc": ["133"],
    "available-sms": ["131", "132", "143"],
    "assigned-pbx": ["134", "135"],
    "assigned-callapp": ["135"],
    "assigned-et": ["136"],
    "assigned-oc": ["137"],
    "assigned-sms": [],
}


def numbers(project: Project, *args: str) -> list[dict[str, object]]:
    result = project.run("numbers", ".", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_filter(project: Project, name: str) -> None:
    rows = numbers(project, "--filter", name)
    if isinstance(EXPECTED[name], int):
        assert len(rows) == EXPECTED[name]
        return
    unwanted = [
        r["number"][-3:]
        for r in rows
        if not r["wantedBy"]
        and r["enterprise"] == "sunshine-dental"
        and r["number"] >= "+12025550130"
    ]  # type: ignore[index, operator]
    assert unwanted == EXPECTED[name]


def test_assigned_sms_after_apply_and_holders_by_name(project: Project) -> None:
    project.apply()
    rows = numbers(project, "--filter", "assigned-sms", "--enterprise", "sunshine-dental")
    by_number = {r["number"]: r for r in rows}
    assert len(rows) == 9
    front = by_number["+12025550110"]
    assert (front["assigneeType"], front["assignee"], front["wantedBy"]) == (
        "SMS_GROUP",
        "Front Desk",
        "SMS group Front Desk",
    )
    table = project.run("numbers", ".", "--filter", "assigned-pbx").stdout
    assert table.splitlines() == [
        "ENTERPRISE       NUMBER        CAPABILITIES  ROUTE           CARRIER PROFILE"
        "                             ASSIGNEE                                      WANTED BY",
        "sunshine-dental  +12025550134  voice         Direct Routing  -"
        "                                           user frank@sunshinedental.com (PBX)"
        "           -",
        "sunshine-dental  +12025550135  voice+sms     Direct Routing  Bandwidth(BW for Testing)"
        " - (Demo Company)  user carol@sunshinedental.com (PBX, CALLAPP)  -",
        "2 numbers",
    ]


def test_missing_numbers_are_the_portal_csv(project: Project) -> None:
    project.edit(
        "sunshine-dental",
        'numbers: ["+12025550105"]',
        'numbers: ["+12025550105", "+12025550199", "+12025550130", "+12025550131"]',
    )
    result = project.run("numbers", "missing", ".", "-o", "upload.csv")
    assert result.returncode == 0, result.stderr
    assert (project.root / "upload.csv").read_text() == (
        "Country Code,Phone Number,Voice,SMS,Fax,Voice Route Type\n"
        "1,2025550130,TRUE,TRUE,FALSE,Direct Routing\n"
        "1,2025550131,FALSE,TRUE,FALSE,\n"
        "1,2025550199,FALSE,TRUE,FALSE,\n"
    )
    assert result.stderr == (
        "sunshine-dental: +12025550130 (SMS user carol@sunshinedental.com): no SMS capability\n"
        "sunshine-dental: +12025550131 (SMS user carol@sunshinedental.com): no SMS carrier profile\n"
        "sunshine-dental: +12025550199 (SMS user carol@sunshinedental.com): not in the inventory\n"
        "wrote upload.csv: upload it on the Phone Numbers page and pick the SMS carrier profile\n"
    )


def test_nothing_missing(project: Project) -> None:
    result = project.run("numbers", "missing", ".")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "",
        "every number the manifests use is in the inventory with SMS and a carrier profile\n",
    )


def test_the_table_fits_an_80_column_terminal(project: Project) -> None:
    project.apply()
    result = subprocess.run(
        [*CLI, "numbers", "--enterprise", "northwind-legal", "."],
        capture_output=True,
        text=True,
        cwd=project.root,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "northwind-legal"
    assert lines[-1] == "12 numbers"
    assert lines[3].split() == [
        "+12025550150",
        "voice+sms",
        "Direct",
        "Routing",
        "Bandwidth(",
        "SMS",
        "user",
        "same",
    ]
    # piped without COLUMNS: whole cells, one line per number, the same numbers
    whole = project.run("numbers", "--enterprise", "northwind-legal", ".").stdout.splitlines()
    assert len(whole) == 14 and whole[-1] == "12 numbers"
    numbers = [line.split()[0] for line in lines if line.startswith("+1")]
    assert numbers == [line.split()[1] for line in whole[1:-1]]
