"""The sandbox's own OpenAPI says what it answers: no phantom 422, the vendor's 400, a
401 where a token is checked, a 404 where the path names something; 405 names every
method of a route."""

from __future__ import annotations

import pathlib

from fastapi.testclient import TestClient

from reconciler.sandbox import demo
from reconciler.sandbox.app import create_app


def test_the_openapi_documents_what_the_sandbox_answers(tmp_path: pathlib.Path) -> None:
    client = TestClient(create_app(tmp_path / "s.db", demo.seed()))
    spec = client.get("/openapi.json").json()
    operations = {
        (method.upper(), path): set(op["responses"])
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
    }
    assert not [key for key, codes in operations.items() if "422" in codes]
    assert operations[("POST", "/connecttoteams/sms/addSMSDidsForUser")] == {"200", "400", "401"}
    assert operations[("DELETE", "/contextsms/api/v2/mapping/{mappingId}")] >= {"401", "404"}
    assert operations[("POST", "/contextsms/api/v2/auth/login")] == {"200", "400"}
    assert operations[("DELETE", "/_sandbox/requests")] == {"204"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    wrong = client.patch("/contextsms/api/v2/mapping/NTMAP0000001")
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "PUT, DELETE")
