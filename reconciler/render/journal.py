"""The apply journal as JSON, and as JUnit XML with one test case per change (applied:
passed; failed: a failure with the vendor's answer; skipped: skipped, saying why), so a
CI system shows an apply as a test run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any


def as_json(journal: dict[str, Any]) -> str:
    return json.dumps(journal, indent=2, sort_keys=False) + "\n"


def junit(journal: dict[str, Any]) -> str:
    totals = journal["totals"]
    suite = ET.Element(
        "testsuite",
        name="reconciler apply",
        tests=str(len(journal["changes"])),
        failures=str(totals["failed"]),
        skipped=str(totals["skipped"]),
        errors="0",
        time=f"{journal['seconds']:.3f}",
        timestamp=journal["startedAt"],
    )
    properties = ET.SubElement(suite, "properties")
    for name in ("toolVersion", "commit", "manifestDigest"):
        ET.SubElement(properties, "property", name=name, value=str(journal.get(name) or ""))
    for change in journal["changes"]:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=change["enterprise"],
            name=change["id"],
            time=f"{change['seconds']:.3f}",
        )
        calls = ", ".join(
            f"{c['operation']} {c['status'] or c.get('error', 'no answer')}"
            for c in change["calls"]
        )
        if change["status"] == "failed":
            failure = ET.SubElement(case, "failure", message=change["reason"])
            failure.text = f"{change['reason']}\ncalls: {calls}"
        elif change["status"] != "applied":
            ET.SubElement(case, "skipped", message=change["reason"] or change["status"])
        if calls:
            ET.SubElement(case, "system-out").text = f"calls: {calls}"
    for problem in journal["notApplied"]:
        case = ET.SubElement(
            suite, "testcase", classname=problem["enterprise"], name="plan", time="0.000"
        )
        ET.SubElement(case, "error", message=problem["message"]).text = problem["message"]
    suite.set("tests", str(len(suite.findall("testcase"))))
    suite.set("errors", str(len(journal["notApplied"])))
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, "unicode") + "\n"
