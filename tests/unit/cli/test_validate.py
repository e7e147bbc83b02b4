from __future__ import annotations

import pathlib

import pytest

from reconciler.cli.main import run

EXAMPLES = pathlib.Path(__file__).parents[3] / "examples"


def test_examples_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", str(EXAMPLES)]) == 0
    assert capsys.readouterr().out == (
        "northwind-legal: 6 SMS users, 1 SMS group, 8 numbers, 3 mappings\n"
        "sunshine-dental: 6 SMS users, 2 SMS groups, 9 numbers, 3 mappings\n"
        "ok: 2 enterprises in 2 files\n"
    )


def test_default_path_is_cwd(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES)
    assert run(["validate"]) == 0
    assert "ok: 2 enterprises in 2 files" in capsys.readouterr().out


def test_bad_config_fails_validate(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "reconciler.yaml").write_text("providers: [\n")
    assert run(["validate", str(tmp_path)]) == 1
    assert "YAML syntax error" in capsys.readouterr().err
