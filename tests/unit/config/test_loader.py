from __future__ import annotations

import pathlib

import pytest

from reconciler.config import loader
from reconciler.config.model import ConnecttoTeamsProvider
from reconciler.errors import ConfigError

CONFIG = """\
providers:
  connecttoteams:
    url: https://api.connecttoteams.com
    clientId: ${C2T_CLIENT_ID}
    clientSecret: ${C2T_CLIENT_SECRET}
    username: api-admin
    password: ${C2T_PASSWORD}
    resellerId: 54
  connectel:
    url: sandbox
    token: demo-token
sandbox:
  seed: seed.yaml
"""


def write(tmp_path: pathlib.Path, text: str) -> pathlib.Path:
    path = tmp_path / "reconciler.yaml"
    path.write_text(text)
    return path


def test_interpolation_happens_at_use(tmp_path: pathlib.Path) -> None:
    config = loader.load(write(tmp_path, CONFIG))
    env = {"C2T_CLIENT_ID": "id", "C2T_CLIENT_SECRET": "s3cret", "C2T_PASSWORD": "pw"}
    provider = config.provider("connecttoteams", env)
    assert isinstance(provider, ConnecttoTeamsProvider)
    assert (provider.clientId, provider.clientSecret, provider.password) == ("id", "s3cret", "pw")
    assert provider.username == "api-admin"
    assert config.seed_path == tmp_path / "seed.yaml"
    assert config.db_path == tmp_path / ".reconciler" / "sandbox.db"


def test_unset_variable_names_variable_and_line(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, CONFIG)
    config = loader.load(path)
    with pytest.raises(ConfigError) as info:
        config.provider("connecttoteams", {"C2T_CLIENT_ID": "id", "C2T_PASSWORD": "pw"})
    assert str(info.value) == (
        f"environment variable C2T_CLIENT_SECRET is not set ({path}:5, "
        "providers.connecttoteams.clientSecret): export C2T_CLIENT_SECRET before running "
        "reconciler"
    )
    # Every unset variable of every provider asked for, at once.
    with pytest.raises(ConfigError) as info:
        config.providers(("connecttoteams", "connectel"), {})
    assert str(info.value) == (
        "3 environment variables are not set:\n"
        f"  C2T_CLIENT_ID ({path}:4, providers.connecttoteams.clientId)\n"
        f"  C2T_CLIENT_SECRET ({path}:5, providers.connecttoteams.clientSecret)\n"
        f"  C2T_PASSWORD ({path}:7, providers.connecttoteams.password)\n"
        "export them before running reconciler"
    )
    # A provider whose variables are all present is usable even if another's are not.
    assert config.provider("connectel", {}).model_dump()["token"] == "demo-token"


def test_unconfigured_provider(tmp_path: pathlib.Path) -> None:
    config = loader.load(write(tmp_path, CONFIG))
    with pytest.raises(ConfigError, match="provider 'contextsms' is not configured"):
        config.provider("contextsms", {})


def test_literal_secret_is_refused_for_a_real_url(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, CONFIG.replace("${C2T_CLIENT_SECRET}", "hunter2"))
    with pytest.raises(ConfigError) as info:
        loader.load(path)
    assert str(info.value) == (
        f"{path}: document 1 (reconciler.yaml):\n"
        f"  {path}:5:19: providers.connecttoteams.clientSecret: clientSecret holds a literal "
        "secret: secrets must come from the environment; write ${C2T_CLIENT_SECRET} and export "
        "C2T_CLIENT_SECRET"
    )
    assert "hunter2" not in str(info.value)


@pytest.mark.parametrize(
    "url", ["sandbox", "http://127.0.0.1:8080/connecttoteams", "http://localhost:9"]
)
def test_literal_secret_allowed_for_sandbox_and_loopback(tmp_path: pathlib.Path, url: str) -> None:
    text = CONFIG.replace("${C2T_CLIENT_SECRET}", "demo").replace(
        "https://api.connecttoteams.com", url
    )
    assert loader.load(write(tmp_path, text)).settings.providers.connecttoteams is not None


def test_plain_http_is_refused_except_loopback(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, CONFIG.replace("https://", "http://"))
    with pytest.raises(ConfigError, match="uses http: https is required except for loopback"):
        loader.load(path)


def test_schema_problems_have_positions(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, "apply:\n  paralelism: 4\n")
    with pytest.raises(ConfigError) as info:
        loader.load(path)
    assert f"{path}:2:3: apply.paralelism: unknown field 'paralelism': did you mean" in str(
        info.value
    )


def test_find(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m" / "deep").mkdir(parents=True)
    assert loader.find(None, [tmp_path / "m"], env={}) is None
    write(tmp_path, "")
    # found upwards, and said relative to here when it is below here
    assert loader.find(None, [tmp_path / "m" / "deep"], env={}) == pathlib.Path("reconciler.yaml")
    (tmp_path / "m" / "reconciler.yaml").write_text("")
    assert loader.find(None, [tmp_path / "m" / "deep"], env={}) == pathlib.Path("m/reconciler.yaml")
    named = {"RECONCILER_CONFIG": str(tmp_path / "reconciler.yaml")}
    assert loader.find(None, [tmp_path / "m"], env=named) == tmp_path / "reconciler.yaml"
    with pytest.raises(ConfigError, match="config file not found"):
        loader.find(tmp_path / "nope.yaml", [])
    with pytest.raises(ConfigError, match=r"not found \(given with RECONCILER_CONFIG\)"):
        loader.find(None, [], env={"RECONCILER_CONFIG": "nope.yaml"})


def test_no_file_means_defaults() -> None:
    config = loader.load(None)
    assert config.settings.apply.parallelism == 8


def test_targets_are_the_configured_urls_without_credentials(tmp_path: pathlib.Path) -> None:
    (tmp_path / "reconciler.yaml").write_text(
        "providers:\n"
        "  connecttoteams: {url: sandbox}\n"
        "  connectel: {url: 'https://gw.example:8443/api/v2?token=${T}#x'}\n"
    )
    config = loader.load(tmp_path / "reconciler.yaml")
    assert config.configured() == ["connecttoteams", "connectel"]
    assert config.targets() == (
        ("ConnecttoTeams", "sandbox (in-process)"),
        ("Connectel", "https://gw.example:8443/api/v2"),
    )
    assert loader.public_url("http://127.0.0.1:9/x") == "http://127.0.0.1:9/x"
    assert loader.public_url("https://u:p@gw.example/x") == "https://gw.example/x"
    (tmp_path / "reconciler.yaml").write_text(
        "providers:\n  connectel: {url: 'https://user:${PW}@gw.example/api/v2'}\n"
    )
    with pytest.raises(ConfigError) as refused:
        loader.load(tmp_path / "reconciler.yaml")
    assert "'https://gw.example/api/v2' holds a user or password in the URL (not shown)" in str(
        refused.value
    )
    assert list(loader.PROVIDERS) == ["connecttoteams", "contextsms", "connectel"]


AGENT = """\
agent:
  database: state/agent.db
  webhookSecret: ${HOOK_SECRET}
  token: ${AGENT_TOKEN}
notifications:
  - {kind: teams, url: "${TEAMS_URL}", events: [drift, failed]}
  - {kind: webhook, url: "http://127.0.0.1:9999/hook"}
"""


def test_the_agents_settings_resolve_every_secret_at_use(tmp_path: pathlib.Path) -> None:
    (tmp_path / "reconciler.yaml").write_text(AGENT)
    config = loader.load(tmp_path / "reconciler.yaml")
    with pytest.raises(ConfigError) as unset:
        config.agent({})
    assert str(unset.value).splitlines()[0] == "3 environment variables are not set:"
    assert "  TEAMS_URL (" in str(unset.value) and "notifications.0.url" in str(unset.value)
    env = {
        "HOOK_SECRET": "h00k-secret",
        "AGENT_TOKEN": "t0ken-1234",
        "TEAMS_URL": "https://teams.example/hook",
    }
    agent = config.agent(env)
    assert (agent.webhook_secret, agent.token, agent.database) == (
        "h00k-secret",
        "t0ken-1234",
        pathlib.Path("state/agent.db"),  # under the agent's --state directory
    )
    assert [(n.kind, n.url, n.events) for n in agent.notifications] == [
        ("teams", "https://teams.example/hook", ("drift", "failed")),
        (
            "webhook",
            "http://127.0.0.1:9999/hook",
            ("drift", "healed", "applied", "failed", "revision-refused"),
        ),
    ]


def test_the_agents_secrets_are_references_and_its_targets_https(tmp_path: pathlib.Path) -> None:
    (tmp_path / "reconciler.yaml").write_text(
        "agent: {token: plain-text}\nnotifications:\n  - {kind: teams, url: 'http://teams.example/hook'}\n"
    )
    with pytest.raises(ConfigError) as refused:
        loader.load(tmp_path / "reconciler.yaml")
    message = str(refused.value)
    assert (
        "agent.token: token holds a literal secret: secrets must come from the environment; write ${AGENT_TOKEN} and export AGENT_TOKEN"
        in message
    )
    assert (
        "notifications[0].url: 'http://teams.example/hook' uses http: https is required except for loopback addresses"
        in message
    )
