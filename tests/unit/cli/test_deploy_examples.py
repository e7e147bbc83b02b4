"""The deploy examples run commands that exist: every `reconciler agent` line of the
Kubernetes Deployment and the systemd unit parses with the agent's own options."""

from __future__ import annotations

import pathlib
import shlex

import click
import pytest
import yaml

from reconciler.cli.agent import command

DEPLOY = pathlib.Path(__file__).parents[3] / "examples" / "deploy"


def parsed(args: list[str]) -> dict[str, object]:
    ctx = command.make_context("agent", args)
    return dict(ctx.params)


def test_the_kubernetes_deployment_runs_one_agent_per_shard() -> None:
    documents = list(yaml.safe_load_all((DEPLOY / "kubernetes.yaml").read_text()))
    [deployment] = [d for d in documents if d["kind"] == "Deployment"]
    spec = deployment["spec"]
    assert (spec["replicas"], spec["strategy"]) == (1, {"type": "Recreate"})
    [container] = spec["template"]["spec"]["containers"]
    assert container["args"][0] == "agent"
    globals_ = {"--log-format", "--log-level"}  # the group's: hoisted by the CLI
    args = container["args"][1:]
    own = [a for i, a in enumerate(args) if a not in globals_ and args[i - 1] not in globals_]
    params = parsed(own)
    assert (params["shard"], params["listen"], params["state"]) == (
        "1/2",
        "0.0.0.0:8080",
        pathlib.Path("/var/lib/reconciler"),
    )
    assert params["interval"] == 180.0
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/var/lib/reconciler" in mounts
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_the_systemd_unit_runs_the_agent() -> None:
    unit = (DEPLOY / "reconciler-agent.service").read_text()
    line = unit[unit.index("ExecStart=") : unit.index("\n# SIGTERM")]
    words = shlex.split(line.replace("\\\n", " ").removeprefix("ExecStart="))
    assert words[:2] == ["/opt/reconciler/venv/bin/reconciler", "agent"]
    params = parsed(words[2:])
    assert (params["source"], params["listen"], params["interval"]) == (
        "git@github.com:acme/sms-manifests.git",
        "127.0.0.1:8080",
        180.0,
    )
    assert "KillSignal=SIGTERM" in unit.splitlines()


def test_a_bad_interval_is_refused_by_the_parser() -> None:
    with pytest.raises(click.BadParameter) as bad:
        parsed(["--repo", "x", "--interval", "soon"])
    assert bad.value.message == "'soon' is not a duration: say e.g. 2s, 90s, 3m or 1h30m"
