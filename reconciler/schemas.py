"""JSON Schemas of the manifest and of reconciler.yaml, generated from the models.

Editors use them (`# yaml-language-server: $schema=...`) to validate and complete; the
committed copies in `schemas/` are checked against these by a test.
"""

from __future__ import annotations

import json
from typing import Any

from reconciler.config.model import ProjectConfig
from reconciler.manifest.documents import EnterpriseDocument

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def generate() -> dict[str, str]:
    """File name -> JSON text of each schema (stable bytes: sorted keys, trailing newline)."""
    return {
        "manifest.schema.json": _dump(EnterpriseDocument.model_json_schema()),
        "config.schema.json": _dump(ProjectConfig.model_json_schema()),
    }


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps({"$schema": DIALECT, **schema}, indent=2, sort_keys=True) + "\n"
