"""`reconciler doctor`'s findings as a table (one row per check, then what to do about
each failure) or as JSON. Decides nothing."""

from __future__ import annotations

import dataclasses
import json

from reconciler.reports.diagnosis import Diagnosis

MARKS = {"pass": "ok", "fail": "FAIL", "skip": "skip"}


def table(diagnosis: Diagnosis) -> str:
    """Per API, one line per check: result, check, endpoint (documented or assumed), what
    was seen; then what to do about each failure."""
    width = max((len(c.what) for c in diagnosis.checks), default=0)
    lines: list[str] = []
    apis = list(dict.fromkeys(c.api for c in diagnosis.checks))
    for api in apis:
        lines += [""] if lines else []
        lines.append(api)
        for c in (c for c in diagnosis.checks if c.api == api):
            where = (
                f"{c.endpoint} ({_kind(c.documented)}): "
                if c.endpoint and c.documented is not None
                else ""
            )
            lines.append(f"  {MARKS[c.status]:<4}  {c.what:<{width}}  {where}{c.detail}")
    failures = sorted(
        (c for c in diagnosis.checks if c.status == "fail"), key=lambda c: apis.index(c.api)
    )
    if failures:
        lines += ["", "To do:"]
        lines += [f"  {c.api} {c.what}: {c.fix}" for c in failures if c.fix]
    counts = (
        f"{diagnosis.count('pass')} passed, {len(failures)} failed,"
        f" {diagnosis.count('skip')} skipped"
    )
    lines += ["", ("All checks passed" if diagnosis.ok else "Problems found") + f": {counts}."]
    return "\n".join(lines) + "\n"


def _kind(documented: bool) -> str:
    return "documented" if documented else "assumed"


def as_json(diagnosis: Diagnosis) -> str:
    checks = [dataclasses.asdict(c) for c in diagnosis.checks]
    summary = {s: diagnosis.count(s) for s in ("pass", "fail", "skip")}
    document = {"ok": diagnosis.ok, "checks": checks, "summary": summary}
    return json.dumps(document, indent=2) + "\n"
