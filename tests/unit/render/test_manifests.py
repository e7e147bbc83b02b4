"""The reconciler.yaml files reconciler writes for people: export's skeleton (secrets as
references, the reseller it read) and a rehearsal's config (aimed at the copy on
loopback, with the copy's own credentials); each loads as a valid config."""

from __future__ import annotations

import pathlib

import pytest

from reconciler.config import loader
from reconciler.engine import clone
from reconciler.errors import ConfigError
from reconciler.render import manifests


def test_exports_skeleton_refers_to_every_secret_by_variable(tmp_path: pathlib.Path) -> None:
    urls = {
        "connecttoteams": "https://api.c2t.example",
        "contextsms": "https://csms.example/api/v2",
        "connectel": "https://gw.example/api/v2",
    }
    providers = {k: {"url": urls[k], **t} for k, t in manifests.TEMPLATES.items()}
    providers["connecttoteams"]["resellerId"] = 54
    (tmp_path / "reconciler.yaml").write_text(manifests.config(providers, None))
    config = loader.load(tmp_path / "reconciler.yaml")
    assert config.settings.providers.connecttoteams is not None
    assert config.settings.providers.connecttoteams.resellerId == 54
    unset = sorted(v for key in config.configured() for v, _ in config.unset(key, {}))
    assert unset == [
        "C2T_CLIENT_ID",
        "C2T_CLIENT_SECRET",
        "C2T_PASSWORD",
        "C2T_USERNAME",
        "CONNECTEL_TOKEN",
        "CSMS_PASSWORD",
        "CSMS_USERNAME",
    ]
    sandboxed = {k: {"url": "sandbox"} for k in urls}
    (tmp_path / "reconciler.yaml").write_text(
        manifests.config(sandboxed, {"db": str(tmp_path / "s.db")})
    )
    loaded = loader.load(tmp_path / "reconciler.yaml")
    assert loaded.db_path == tmp_path / "s.db"  # the exported state, not a fresh demo


def test_a_rehearsals_config_aims_at_the_copy_with_its_own_credentials(
    tmp_path: pathlib.Path,
) -> None:
    made = clone.credentials()
    (tmp_path / "rehearsal.yaml").write_text(clone.rehearsal_config(made, 8181, 54))
    config = loader.load(tmp_path / "rehearsal.yaml")
    assert config.targets() == (
        ("ConnecttoTeams", "http://127.0.0.1:8181/connecttoteams"),
        ("ContextSMS", "http://127.0.0.1:8181/contextsms/api/v2"),
        ("Connectel", "http://127.0.0.1:8181/connectel/api/v2"),
    )
    c2t = config.provider("connecttoteams", {})
    assert (c2t.clientSecret, c2t.resellerId) == (made.client_secret, 54)  # type: ignore[attr-defined]
    assert made.client_secret != clone.credentials().client_secret  # generated each time


def test_literal_secrets_in_a_rehearsal_config_are_refused_away_from_loopback(
    tmp_path: pathlib.Path,
) -> None:
    text = clone.rehearsal_config(clone.credentials(), 8181, None).replace(
        "http://127.0.0.1:8181", "https://prod.example"
    )
    (tmp_path / "reconciler.yaml").write_text(text)
    with pytest.raises(ConfigError, match="clientSecret holds a literal secret"):
        loader.load(tmp_path / "reconciler.yaml")
