"""The sandbox serves every operation of the clients' endpoint maps, at the same method
and path, though the two share no code (a misreading shared by both would hide itself:
this only checks that they name the same routes); and each vendor's routes live in the
package of that vendor, one module per concern."""

from __future__ import annotations

import pathlib

import pytest

from reconciler.sandbox import connectel, connecttoteams, contextsms
from reconciler.sandbox.app import create_app
from reconciler.wire import connecttoteams as c2t_wire
from reconciler.wire import contextsms as csms_wire

SEED = pathlib.Path(__file__).parents[3] / "examples" / "sandbox-seed.yaml"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    app = create_app(tmp_path_factory.mktemp("routes") / "sandbox.db", SEED)
    paths = app.openapi()["paths"]
    return {(method.upper(), path) for path, methods in paths.items() for method in methods}


@pytest.mark.parametrize(
    ("prefix", "table"),
    [("/connecttoteams", c2t_wire.ENDPOINTS), ("/contextsms/api/v2", csms_wire.ENDPOINTS)],
    ids=["ConnecttoTeams", "ContextSMS"],
)
def test_every_operation_of_the_endpoint_map_is_served(
    served: set[tuple[str, str]], prefix: str, table: dict[str, object]
) -> None:
    missing = [
        f"{name}: {e.method} {prefix}{e.path}"  # type: ignore[attr-defined]
        for name, e in table.items()
        if (e.method, prefix + e.path) not in served  # type: ignore[attr-defined]
    ]
    assert missing == []


def test_the_gateways_routes_are_served(served: set[tuple[str, str]]) -> None:
    assert {("POST", "/connectel/api/v2/send/"), ("GET", "/connectel/api/v2/delivery/")} <= served
    assert ("GET", "/connectel/api/status/") in served  # where the seed shows it


def test_each_vendor_is_a_package_of_concerns() -> None:
    for package, modules in (
        (connecttoteams, {"common", "tokens", "enterprises", "users", "groups", "numbers"}),
        (contextsms, {"common", "sessions", "csps", "enterprises", "mappings", "payments"}),
        (connectel, {"messages", "lifecycle", "reports"}),
    ):
        folder = pathlib.Path(package.__file__).parent  # type: ignore[arg-type]
        found = {p.stem for p in folder.glob("*.py")} - {"__init__"}
        assert found == modules, package.__name__
        assert all(len(p.read_text().splitlines()) < 300 for p in folder.glob("*.py"))
