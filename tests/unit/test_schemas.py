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
