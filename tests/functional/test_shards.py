"""Scale-out on the CI system: `shards` splits the estate into a CI matrix, each shard
runs drift on its own, and `drift --merge` makes one report of theirs, the same as a
single run's."""

from __future__ import annotations

import json
import shlex

from tests.functional.conftest import Project, Vendor


def matrix(project: Project, by: str) -> list[dict[str, object]]:
    result = project.run("shards", ".", "--by", by)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout)["include"])


def test_every_enterprise_is_in_exactly_one_shard(project: Project) -> None:
    (project.root / "enterprises" / "acme.yaml").write_text(
        "apiVersion: reconciler/v1\nkind: Enterprise\nmetadata: {name: acme}\n"
    )
    everyone = ["acme", "northwind-legal", "sunshine-dental"]
    by_count = matrix(project, "count=2")
    assert [e["shard"] for e in by_count] == ["1-of-2", "2-of-2"]
    names = [n for e in by_count for n in e["enterprises"]]  # type: ignore[attr-defined]
    assert sorted(names) == everyone  # each once
    # balanced: the heaviest alone, the two light ones together
    assert [e["enterprises"] for e in by_count] == [
        ["sunshine-dental"],
        ["acme", "northwind-legal"],
    ]
    assert [e["objects"] for e in by_count] == [21, 20]
    by_label = matrix(project, "label=tier")
    assert [(e["shard"], e["args"]) for e in by_label] == [
        ("tier-gold", "--selector tier=gold"),
        ("tier-silver", "--selector tier=silver"),
        ("no-tier", "--enterprise acme"),
    ]
    assert sorted(n for e in by_label for n in e["enterprises"]) == everyone  # type: ignore[attr-defined]
    assert len(matrix(project, "count=9")) == 3  # never an empty shard
    bad = project.run("shards", ".", "--by", "count=0")
    assert (bad.returncode, bad.stderr) == (
        64,
        "Error: Invalid value for --by: 'count=0': expected label=KEY or count=N (N >= 1)\n",
    )


def test_shards_drift_merged_is_the_whole_drift(project: Project, vendor: Vendor) -> None:
    project.apply()
    vendor.user_number(78, "erin@sunshinedental.com", "+12025550107", assigned=False)
    whole = project.run("drift", ".", "--format", "json")
    assert whole.returncode == 2
    files = []
    for entry in matrix(project, "count=2"):
        name = f"{entry['shard']}.json"
        shard = project.run(
            "drift", ".", *shlex.split(str(entry["args"])), "--format", "json", "-o", name
        )
        assert shard.returncode in (0, 2), shard.stderr
        files += ["--merge", name]
    merged = project.run("drift", *files, "--format", "json", "--report", "html=drift.html")
    assert merged.returncode == 2, merged.stderr
    one, parts = json.loads(whole.stdout), json.loads(merged.stdout)
    assert parts["enterprises"] == one["enterprises"]
    assert (parts["summary"], parts["inSync"]) == (one["summary"], False)
    assert parts["run"]["shards"] == 2 and parts["provenance"]["toolVersion"]
    assert "sunshine-dental" in (project.root / "drift.html").read_text()
    overlap = project.run("drift", *files, "--merge", files[1])
    assert overlap.returncode == 1
    assert overlap.stderr.startswith("error: enterprise '")
    assert "is in two shards' reports" in overlap.stderr
