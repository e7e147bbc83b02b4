"""Whatever it is fed, `validate` answers 0 or 1 and never raises."""

from __future__ import annotations

import contextlib
import io
import pathlib
import tempfile
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.cli.main import run

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIELDS = [
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "spec",
    "smsUsers",
    "smsGroups",
    "mappings",
    "userId",
    "numbers",
    "members",
    "owner",
    "services",
    "connecttoteams",
    "contextsms",
    "policy",
    "phoneNumber",
    "messagingAppId",
    "labels",
    "enterpriseName",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["+12025550101", "a@b.com", "SMS", "PBX", "Teams", "reconciler/v1"]),
)
keys = st.text(max_size=12) | st.sampled_from(FIELDS)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)


def validate_text(text: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "m.yaml"
        path.write_text(text, encoding="utf-8")
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            return run(["validate", str(path)])


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    assert validate_text(text) in (0, 1)


@SETTINGS
@given(values)
def test_arbitrary_yaml_values(value: Any) -> None:
    assert validate_text(yaml.safe_dump(value)) in (0, 1)


@SETTINGS
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=6), values, values)
def test_arbitrary_enterprise_documents(spec: dict[str, Any], metadata: Any, extra: Any) -> None:
    document = {
        "apiVersion": "reconciler/v1",
        "kind": "Enterprise",
        "metadata": metadata if not isinstance(metadata, dict) else {"name": "acme", **metadata},
        "spec": {**spec, "smsUsers": [extra]},
    }
    assert validate_text(yaml.safe_dump(document)) in (0, 1)
