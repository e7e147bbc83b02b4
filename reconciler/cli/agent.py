"""`reconciler agent`: parse its options, start the agent (its clone, history, loop and HTTP
surface, `reconciler.agent`) and say where it listens; `--once` runs one cycle."""

from __future__ import annotations

import logging
import pathlib
import re

import click

from reconciler import api
from reconciler.cli import exitcodes, logs, options


def listen_address(value: str) -> tuple[str, int]:
    """HOST:PORT ([::1]:8080 for IPv6; port 0 picks a free one)."""
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise api.UsageError(
            f"{value!r}: expected HOST:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080", "--listen"
        )
    return host, int(port)


def shard_of(value: str | None) -> tuple[int, int] | None:
    """`i/N`: the i-th of `reconciler shards --by count=N` (1-based)."""
    if value is None:
        return None
    found = re.fullmatch(r"(\d+)/(\d+)", value)
    if not found or not 1 <= int(found[1]) <= int(found[2]):
        raise api.UsageError(
            f"{value!r}: expected i/N with 1 <= i <= N, e.g. 2/4 (the second of four shards)",
            "--shard",
        )
    return int(found[1]), int(found[2])


_EXAMPLES_AGENT = """\
\b
Examples:
  reconciler agent --repo https://github.com/acme/sms-manifests.git --listen 0.0.0.0:8080
  reconciler agent manifests --repo /srv/git/sms.git --shard 2/4 --state /var/lib/reconciler
  reconciler agent --repo /srv/git/sms.git --once        # one cycle (cron): exit 0, 1 or 2"""


@click.command("agent", epilog=_EXAMPLES_AGENT)
@click.argument("path", default=".", metavar="[PATH]")
@click.option(
    "--repo",
    "source",
    required=True,
    metavar="URL_OR_PATH",
    help="The manifests' git repository: a URL git can fetch, or a local path.",
)
@click.option("--branch", default="main", show_default=True, help="The branch to follow.")
@click.option(
    "--interval",
    callback=options.duration,
    default="3m",
    show_default=True,
    help="Between cycles (plus up to a tenth at random): 2s, 90s, 3m, 1h.",
)
@click.option(
    "--listen",
    default="127.0.0.1:8080",
    show_default=True,
    metavar="HOST:PORT",
    help="Where the status page, /api/status, /metrics and the hooks are served "
    "(port 0: any free one; 0.0.0.0 to be reached from elsewhere, with agent.token).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=pathlib.Path, dir_okay=False, exists=True),
    help="reconciler.yaml to use (default: found in the repository from PATH upwards).",
)
@click.option(
    "--state",
    type=click.Path(path_type=pathlib.Path, file_okay=False),
    default=".reconciler/agent",
    show_default=True,
    help="The agent's own directory: its clone (repo/) and its history (history.db).",
)
@click.option(
    "--shard",
    metavar="i/N",
    help="Only the enterprises of shard i of `reconciler shards --by count=N` "
    "(one agent per shard: they never overlap).",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The status page's address as people reach it (links in notifications; "
    "default: the --listen address).",
)
@click.option("--once", is_flag=True, help="Run one cycle and exit: 0 in sync, 2 drift, 1 error.")
@click.pass_context
def command(
    ctx: click.Context,
    path: str,
    source: str,
    branch: str,
    interval: float,
    listen: str,
    config_path: pathlib.Path | None,
    state: pathlib.Path,
    shard: str | None,
    public_url: str | None,
    once: bool,
) -> int:
    """Reconcile continuously from git: apply each new revision of the branch, observe
    drift every interval (healed where the manifest says policy.selfHeal), and serve a
    status page, /api/status, /metrics and a push hook until SIGTERM."""
    from reconciler.agent import process
    from reconciler.agent.cycle import Agent, Setup
    from reconciler.agent.repository import Repository

    address = None if once else listen_address(listen)
    root = ctx.find_root()
    if root.get_parameter_source("log_level") == click.core.ParameterSource.DEFAULT:
        logging.getLogger("reconciler.agent").setLevel(logging.INFO)  # a line per cycle
    state = state.absolute()
    repository = Repository(source, state / "repo", branch)
    setup = Setup(
        repository,
        state,
        path,
        config_path.absolute() if config_path else None,
        interval,
        shard_of(shard),
        public_url,
        spread=not once,
    )
    agent = Agent(setup)
    if once:
        return process.once(agent)

    def announce(url: str) -> None:
        logs.say(f"agent listening on {url}")

    code = process.run(agent, address, announce)
    return exitcodes.OK if code == 0 else exitcodes.ERROR
