"""validate and the JSON Schema editors use agree on what is a valid manifest, outside
the cross-object rules the README lists (numbers claimed twice and the like): each case
once was accepted by one and refused by the other."""

from __future__ import annotations

import json
import pathlib

import jsonschema
import pytest
import yaml

from reconciler.errors import ManifestError
from reconciler.manifest import loader

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text())
BASE = """\
apiVersion: reconciler/v1
kind: Enterprise
metadata: {name: acme}
spec:
  connecttoteams: {enterpriseName: Acme, services: [PBX, SMS]}
  smsUsers:
    - {userId: a@x.com, numbers: ["+12025550101"]}
"""
CASES = {
    "valid": (BASE, True),
    "services twice": (BASE.replace("[PBX, SMS]", "[PBX, SMS, PBX]"), False),
    "connecttoteams null beside smsUsers": (
        BASE.replace(
            "  connecttoteams: {enterpriseName: Acme, services: [PBX, SMS]}\n",
            "  connecttoteams: null\n",
        ),
        False,
    ),
    "maxChangePercent 30.0": (BASE + "  policy: {maxChangePercent: 30.0}\n", True),
    "maxChangePercent 30.5": (BASE + "  policy: {maxChangePercent: 30.5}\n", False),
    "a label on: prem": (
        BASE.replace("metadata: {name: acme}", "metadata: {name: acme, labels: {'on': prem}}"),
        True,
    ),
}


def by_validate(text: str, tmp_path: pathlib.Path) -> bool:
    (tmp_path / "e.yaml").write_text(text)
    try:
        loader.load([tmp_path / "e.yaml"])
    except ManifestError:
        return False
    return True


def by_schema(text: str) -> bool:
    return jsonschema.Draft202012Validator(SCHEMA).is_valid(yaml.safe_load(text))


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_and_the_schema_agree(case: str, tmp_path: pathlib.Path) -> None:
    text, valid = CASES[case]
    assert (by_validate(text, tmp_path), by_schema(text)) == (valid, valid)
