"""The session and the vendor registry: clients made once from the registry, every
missing variable named at once, a vendor's URL resolved (the sandbox too), reach, and
the read stage putting the vendors' parts of each enterprise together."""

from __future__ import annotations

import asyncio
import pathlib
from typing import Any

import httpx
import pytest

from reconciler import errors
from reconciler.config import loader
from reconciler.model import kinds, state
from reconciler.providers import read, vendors
from reconciler.providers.connectel.client import ConnectelClient
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.session import Session, SessionOptions, uses_sandbox

CONFIG = """\
providers:
  connecttoteams:
    url: https://c2t.example/api
    clientId: id
    clientSecret: ${C2T_SECRET}
    username: admin
    password: ${C2T_PASSWORD}
    resellerId: 54
  contextsms:
    url: https://csms.example/api/v2
    authUrl: https://auth.csms.example
    username: u
    password: ${CSMS_PASSWORD}
  connectel:
    url: http://127.0.0.1:9/connectel/api/v2
    token: demo-token
"""
ENV = {"C2T_SECRET": "s3cret", "C2T_PASSWORD": "pw-1234", "CSMS_PASSWORD": "pw-5678"}


def config(tmp_path: pathlib.Path, text: str = CONFIG) -> loader.Config:
    (tmp_path / "reconciler.yaml").write_text(text)
    return loader.load(tmp_path / "reconciler.yaml")


def session(settings: loader.Config, handler: Any = None, **options: Any) -> Session:
    transport = httpx.MockTransport(handler or (lambda request: httpx.Response(200, json=[])))
    return Session(settings, SessionOptions(transport=transport, **options))


def test_the_registry_has_each_vendor_once_in_the_configs_order() -> None:
    assert [(p.key, p.name, p.sandbox_path) for p in vendors.PROVIDERS] == [
        ("connecttoteams", "ConnecttoTeams", "/connecttoteams"),
        ("contextsms", "ContextSMS", "/contextsms/api/v2"),
        ("connectel", "Connectel", "/connectel/api/v2"),
    ]
    assert list(vendors.BY_KEY) == list(loader.PROVIDERS)
    assert [p.key for p in vendors.PROVIDERS if p.read] == ["connecttoteams", "contextsms"]
    wanted = state.Enterprise(
        name="a", connecttoteams=kinds.ConnecttoTeamsEnterprise(enterpriseName="A")
    )
    assert (vendors.CONNECTTOTEAMS.wanted_by(wanted), vendors.CONTEXTSMS.wanted_by(wanted)) == (
        True,
        False,
    )


def test_clients_are_made_once_with_their_resolved_settings(tmp_path: pathlib.Path) -> None:
    made = session(config(tmp_path), env=ENV, parallelism=3)
    client = made.client(vendors.CONNECTTOTEAMS)
    assert (
        isinstance(client, ConnecttoTeamsClient) and made.client(vendors.CONNECTTOTEAMS) is client
    )
    assert (client.base_url, client.settings.clientSecret, client.api) == (
        "https://c2t.example/api",
        "s3cret",
        "ConnecttoTeams",
    )
    assert client.wiring.gate.slots.ceiling == 3 and client.wiring.telemetry is made.telemetry
    csms = made.client(vendors.CONTEXTSMS)
    assert (csms.base_url, csms.auth_url) == (
        "https://csms.example/api/v2",
        "https://auth.csms.example",
    )  # type: ignore[attr-defined]
    gateway = made.client(vendors.CONNECTEL)
    assert isinstance(gateway, ConnectelClient) and gateway.is_sandbox  # a loopback sandbox
    assert made.parallelism == 3 and made.calls == 0


def test_every_missing_variable_is_named_in_one_error(tmp_path: pathlib.Path) -> None:
    made = session(config(tmp_path), env={})
    with pytest.raises(errors.ConfigError) as missing:
        made.prepare(vendors.CONNECTTOTEAMS, vendors.CONTEXTSMS)
    message = str(missing.value)
    assert message.startswith("3 environment variables are not set:\n")
    for variable in ("C2T_SECRET", "C2T_PASSWORD", "CSMS_PASSWORD"):
        assert f"  {variable} ({tmp_path / 'reconciler.yaml'}:" in message
    made.client(vendors.CONNECTEL)  # the one that needs none is made all the same


def test_a_provider_that_is_not_configured_says_so(tmp_path: pathlib.Path) -> None:
    made = session(config(tmp_path, "providers:\n  connectel: {url: sandbox, token: t}\n"))
    with pytest.raises(errors.ConfigError, match="provider 'contextsms' is not configured"):
        made.client(vendors.CONTEXTSMS)
    with pytest.raises(AssertionError, match="the sandbox app is required for url: sandbox"):
        made.client(vendors.CONNECTEL)  # url: sandbox without the in-process app
    assert uses_sandbox(made.config)


def test_reach_says_what_answered_or_names_the_url(tmp_path: pathlib.Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "csms.example":
            raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
        return httpx.Response(404)

    made = session(config(tmp_path), handler, env=ENV)
    assert asyncio.run(made.reach(vendors.CONNECTTOTEAMS)) == (
        "HTTPS (TLS verified) 404 from https://c2t.example/api/"
    )
    with pytest.raises(errors.Unreachable) as failed:
        asyncio.run(made.reach(vendors.CONTEXTSMS))
    assert str(failed.value) == (
        "ContextSMS reach: TLS handshake failed: cannot connect to https://csms.example "
        "([SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed)"
    )


def test_the_read_stage_puts_each_vendors_part_together(tmp_path: pathlib.Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/oauth/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        if path.endswith("/auth/login"):
            return httpx.Response(200, json={"accessToken": "a"})
        if "getEnterprisesForReseller" in path:
            return httpx.Response(200, json={"data": [{"enterpriseId": 7, "enterpriseName": "A"}]})
        if "getEnterpriseSMSConfig" in path:
            return httpx.Response(200, json={"appSynced": True})
        if path.endswith("/csp/enterprises/CSP0000003"):
            return httpx.Response(200, json=[{"enterpriseId": "E0000001", "name": "A Inc"}])
        if path.endswith("/mapping/csp/CSP0000003"):
            return httpx.Response(503, json={"error": "down"})  # ContextSMS fails
        return httpx.Response(200, json=[])

    settings = config(tmp_path, CONFIG.replace("    authUrl: https://auth.csms.example\n", ""))
    options = SessionOptions(httpx.MockTransport(handler), ENV, sleep=_no_wait)
    made = Session(settings, options)
    c2t = kinds.ConnecttoTeamsEnterprise(enterpriseName="A")
    csms = kinds.ContextSmsEnterprise(
        cspId="CSP0000003", name="A Inc", contact="c", number="+12025550143", email="a@x.com"
    )
    desired = state.State(
        enterprises={
            "a": state.Enterprise(name="a", labels={"tier": "x"}, connecttoteams=c2t),
            "b": state.Enterprise(
                name="b",
                connecttoteams=kinds.ConnecttoTeamsEnterprise(enterpriseName="B"),
                contextsms=csms,
            ),
        }
    )
    found = asyncio.run(read.read(made, desired))
    assert found.resellerId == 54
    assert list(found.enterprises) == ["a"]  # b's ContextSMS read failed: b is not read
    a = found.enterprises["a"]
    assert (a.state.labels, a.state.connecttoteams, a.connecttoteams.enterpriseId) == (  # type: ignore[union-attr]
        {"tier": "x"},
        kinds.ConnecttoTeamsEnterprise(enterpriseName="A", enterpriseId=7, services=()),
        7,
    )
    assert (a.state.contextsms, a.contextsms, a.state.users) == (None, None, {})
    assert list(found.failed) == ["b"]
    assert found.failed["b"].message == "cannot read it: ContextSMS cspMappings: 503: down"


async def _no_wait(seconds: float) -> None:
    return None
