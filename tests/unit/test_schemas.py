from __future__ import annotations

import json
import pathlib

import pytest

from reconciler import schemas
from reconciler.cli.main import run

COMMITTED = pathlib.Path(__file__).parents[2] / "schemas"


@pytest.mark.parametrize("name", sorted(schemas.generate()))
def test_committed_schema_is_up_to_date(name: str) -> None:
    generated = schemas.generate()[name]
    assert (COMMITTED / name).read_text() == generated, (
        f"schemas/{name} is stale: run `make schemas` and commit the result"
    )


def test_schema_command_writes_both(tmp_path: pathlib.Path) -> None:
    assert run(["schema", "-o", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "manifest.schema.json").read_text())
    assert manifest["additionalProperties"] is False
    assert (tmp_path / "config.schema.json").exists()


def test_example_manifests_match_the_schema() -> None:
    import jsonschema
    import yaml

    schema = json.loads((COMMITTED / "manifest.schema.json").read_text())
    for path in sorted((COMMITTED.parent / "examples" / "enterprises").glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def _fields(node: object, path: str = "") -> list[tuple[str, dict[str, object]]]:
    """Every property of the schema with its path, outside if/then constraints."""
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            found.append((f"{path}.{name}", value))
        for key, value in node.items():
            if key not in ("if", "then", "allOf"):
                found += _fields(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _fields(value, f"{path}[{index}]")
    return found


def test_every_config_field_is_described() -> None:
    schema = json.loads(schemas.generate()["config.schema.json"])
    assert [path for path, value in _fields(schema) if not value.get("description")] == []


def test_every_manifest_field_is_described() -> None:
    schema = json.loads(schemas.generate()["manifest.schema.json"])
    fields = _fields(schema)
    assert len(fields) >= 38
    assert [path for path, value in fields if not value.get("description")] == []
    user = schema["$defs"]["SmsUser"]["properties"]
    assert user["userType"]["enum"] == ["BU"] and user["numbers"]["uniqueItems"] is True


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"connecttoteams": {"enterpriseName": "A", "services": ["CALLAPP"]}}, "CALLAPP, no PBX"),
        (
            {
                "connecttoteams": {"enterpriseName": "A", "services": ["PBX"]},
                "smsUsers": [{"userId": "a@x.com"}],
            },
            "SMS users without SMS",
        ),
        ({"smsGroups": [{"name": "G", "owner": "a@x.com"}]}, "SMS groups, no ConnecttoTeams"),
        (
            {
                "connecttoteams": {"enterpriseName": "A", "services": ["SMS"]},
                "smsUsers": [{"userId": "a@x.com", "numbers": ["+12025550101"] * 2}],
            },
            "a number twice",
        ),
        (
            {
                "connecttoteams": {"enterpriseName": "A", "services": ["SMS"]},
                "smsUsers": [{"userId": "a@x.com", "userType": "XX"}],
            },
            "an unknown userType",
        ),
    ],
)
def test_the_schema_refuses_what_validate_refuses(change: dict[str, object], why: str) -> None:
    import jsonschema

    schema = json.loads((COMMITTED / "manifest.schema.json").read_text())
    document = {"apiVersion": "reconciler/v1", "kind": "Enterprise", "metadata": {"name": "a"}}
    jsonschema.validate({**document, "spec": {}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**document, "spec": change}, schema)
