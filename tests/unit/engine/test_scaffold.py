"""`init`'s starter project: the files it writes, each one usable at once (the config aims
at the sandbox and validates, the enterprise names its schema), and nothing overwritten."""

from __future__ import annotations

import pathlib

import pytest

from reconciler.config import loader as config_loader
from reconciler.engine import scaffold
from reconciler.errors import ReconcilerError
from reconciler.manifest import loader


def test_the_starter_project_is_usable_as_written(tmp_path: pathlib.Path) -> None:
    written = scaffold.init(tmp_path / "sms").written
    root = tmp_path / "sms"
    assert sorted(str(p.relative_to(root)) for p in written) == sorted(scaffold.files())
    config = config_loader.load(root / "reconciler.yaml")
    assert config.configured() == ["connecttoteams", "contextsms", "connectel"]
    assert all(url == "sandbox (in-process)" for _, url in config.targets())
    enterprise = (root / "enterprises" / "northwind-legal.yaml").read_text()
    assert enterprise.startswith(
        "# yaml-language-server: $schema=../schemas/manifest.schema.json\n"
    )
    assert enterprise.count("yaml-language-server") == 1  # the example's own line replaced
    manifests = loader.load([root / "enterprises"])
    assert list(manifests.state.enterprises) == ["northwind-legal"]
    assert (root / ".gitignore").read_text() == ".reconciler/\n"


def test_nothing_is_written_when_any_file_is_in_the_way(tmp_path: pathlib.Path) -> None:
    (tmp_path / "enterprises").mkdir()
    (tmp_path / "enterprises" / "northwind-legal.yaml").write_text("mine")
    with pytest.raises(ReconcilerError, match=r"^1 file\(s\) of the starter project exist already"):
        scaffold.init(tmp_path)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["northwind-legal.yaml"]


def test_an_existing_gitignore_gets_the_lines_it_lacks(tmp_path: pathlib.Path) -> None:
    (tmp_path / ".gitignore").write_text("venv/")
    done = scaffold.init(tmp_path)
    assert done.merged == (tmp_path / ".gitignore",) and done.kept == ()
    assert (tmp_path / ".gitignore").read_text() == "venv/\n.reconciler/\n"
    assert len(done.written) == len(scaffold.files()) - 1


def test_skip_existing_keeps_what_is_there_and_writes_the_rest(tmp_path: pathlib.Path) -> None:
    (tmp_path / "reconciler.yaml").write_text("mine\n")
    (tmp_path / ".gitignore").write_text(".reconciler/\n")
    done = scaffold.init(tmp_path, skip_existing=True)
    assert sorted(p.name for p in done.kept) == [".gitignore", "reconciler.yaml"]
    assert (tmp_path / "reconciler.yaml").read_text() == "mine\n"
    assert (tmp_path / "enterprises" / "northwind-legal.yaml").is_file()
