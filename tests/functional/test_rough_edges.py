"""The smaller rough edges of an operator's day, each driven through the CLI as a user
meets it: what it says now, whole."""

from __future__ import annotations

import json
import pathlib

from tests.functional.conftest import Project, run


def test_a_tab_in_yaml_says_yaml_indents_with_spaces(tmp_path: pathlib.Path) -> None:
    (tmp_path / "e.yaml").write_text(
        "apiVersion: reconciler/v1\nkind: Enterprise\nmetadata:\n\tname: x\n"
    )
    result = run("validate", "e.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "e.yaml:\n"
        "  e.yaml:4:1: YAML syntax error: a tab character; YAML indents with spaces only: "
        "replace the tab with spaces\n"
        "validation failed: 1 problem\n"
    )


def test_a_broken_reference_and_unset_variables_are_said_at_their_place(
    tmp_path: pathlib.Path,
) -> None:
    (tmp_path / "enterprises").mkdir()
    (tmp_path / "enterprises" / "e.yaml").write_text(
        "apiVersion: reconciler/v1\nkind: Enterprise\nmetadata: {name: acme}\nspec:\n"
        "  connecttoteams: {enterpriseName: Acme, services: [PBX, SMS]}\n"
    )
    config = tmp_path / "reconciler.yaml"
    config.write_text(
        "providers:\n"
        "  connecttoteams:\n"
        "    url: https://api.example.com\n"
        "    clientId: ${C2T_ID}\n"
        "    clientSecret: ${C2T_SECRET\n"
        "    username: ${C2T_ID}\n"
        "    password: ${C2T_PW}\n"
    )
    broken = run("validate", ".", cwd=tmp_path)
    assert broken.returncode == 1
    assert broken.stderr == (
        "error: reconciler.yaml: document 1 (reconciler.yaml):\n"
        "  reconciler.yaml:5:19: providers.connecttoteams.clientSecret: clientSecret holds a "
        "${ that is not a whole reference (unclosed, or not a name): write ${NAME}, NAME of "
        "letters, digits and underscores\n"
    )
    config.write_text(config.read_text().replace("${C2T_SECRET\n", "${C2T_SECRET}\n"))
    unset = run("doctor", ".", cwd=tmp_path)
    assert "C2T_ID is not set (reconciler.yaml:4" in unset.stdout
    planned = run("plan", ".", cwd=tmp_path)
    assert planned.stderr.startswith("error: 3 environment variables are not set:\n")
    assert planned.stderr.count("\n  C2T_") == 4  # one line per use, counted by name


def test_shards_say_when_they_cannot_be_what_was_asked(project: Project) -> None:
    more = project.run("shards", ".", "--by", "count=3")
    assert more.returncode == 0
    assert len(json.loads(more.stdout)["include"]) == 2
    assert more.stderr == "note: 2 shards, not 3: there are only 2 enterprises\n"
    none = project.run("shards", ".", "--by", "label=nope")
    assert none.stderr == (
        "note: no enterprise has the label 'nope': one shard holds all 2 (metadata.labels "
        "names the labels)\n"
    )


def test_verify_checks_a_number_is_e164_and_says_what_to_do_when_none_arrived(
    project: Project,
) -> None:
    bare = project.run("verify", ".", "--number", "2025550170")
    assert bare.returncode == 64
    assert bare.stderr == (
        "Error: Invalid value for --number: '2025550170' is not an E.164 number: write '+', "
        "the country code and the number with no spaces (e.g. '+12025550143')\n"
    )
    never = project.run("verify", ".", "--enterprise", "northwind-legal", "--timeout", "5")
    assert never.returncode == 1
    assert never.stdout.splitlines()[-1] == (
        "None arrived where the manifests say: if they were never applied, run "
        "`reconciler apply` first; else `reconciler drift` shows what differs live."
    )


def test_numbers_name_holders_alike_and_mapped_numbers_their_mapping(project: Project) -> None:
    project.apply()
    table = project.run("numbers", ".", "--enterprise", "northwind-legal").stdout.splitlines()
    [mapped] = [line for line in table if "+12025550170" in line]
    assert mapped.split()[-2:] == ["mapping", "Litigation"]
    [grouped] = [line for line in table if "+12025550160" in line]
    assert grouped.count("SMS group Client Intake") == 2  # ASSIGNEE and WANTED BY alike
    csv = project.run("numbers", ".", "--format", "csv").stdout
    assert csv.splitlines()[0] == "enterprise,number,capabilities,route,carrier,assignee,wantedBy"


def test_sandbox_reset_keeps_the_faults_it_was_served_with(tmp_path: pathlib.Path) -> None:
    from tests.functional.conftest import start, stop

    served = start(tmp_path / "s.db", "--error-rate", "0.5", "--fault-route", "/connectel/*")
    try:
        with served.client() as http:
            assert http.post("/_sandbox/reset").status_code == 200
            rules = http.get("/_sandbox/faults").json()
    finally:
        stop(served)
    assert [(r["route"], r["errorRate"]) for r in rules] == [("/connectel/*", 0.5)]


def test_config_help_of_commands_without_paths_names_no_path() -> None:
    for command in (["export"], ["sandbox", "serve"], ["sandbox", "reset"], ["history"]):
        shown = run(*command, "--help").stdout
        assert "first PATH" not in shown and "the nearest above" in shown, command
