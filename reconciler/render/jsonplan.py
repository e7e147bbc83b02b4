"""The plan as a stable, versioned JSON document (formatVersion 1, sorted keys, no
timestamps): what `plan -o` saves and `apply plan.json` reads."""

from __future__ import annotations

import json
from typing import Any

from reconciler.plan.model import Plan


def render(plan: Plan) -> str:
    return json.dumps(document(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def document(plan: Plan) -> dict[str, Any]:
    data = plan.model_dump(mode="json")
    data["summary"] = {**data["summary"], "total": plan.summary.total}
    return data


def load(text: str) -> Plan:
    """A saved plan; `summary.total` is derived, so it is dropped before validation."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("formatVersion") != 1:
        raise ValueError("not a reconciler plan of formatVersion 1")
    if isinstance(data.get("summary"), dict):
        data["summary"].pop("total", None)
    return Plan.model_validate(data)
