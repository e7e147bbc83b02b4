"""What plan-like commands share: config, manifests, scope, the sandbox app, live reads."""

from __future__ import annotations

import asyncio
import dataclasses
import pathlib
from typing import Any

import click

from reconciler.config import loader as config_loader
from reconciler.errors import PlanError, ReconcilerError
from reconciler.manifest import loader
from reconciler.model import live, state
from reconciler.plan import planner
from reconciler.plan.model import Plan
from reconciler.providers import factory
from reconciler.providers import live as live_reader


@dataclasses.dataclass
class Workspace:
    config: config_loader.Config
    manifests: loader.Manifests
    desired: state.State  # only the enterprises in scope


def load(
    paths: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...] = (),
    selectors: tuple[str, ...] = (),
) -> Workspace:
    roots = list(paths) or [pathlib.Path()]
    config = config_loader.load(config_loader.find(config_path, roots))
    exclude = config.not_manifests
    manifests = loader.load(roots, exclude)
    return Workspace(config, manifests, scope(manifests.state, enterprises, selectors))


def scope(
    desired: state.State, enterprises: tuple[str, ...], selectors: tuple[str, ...]
) -> state.State:
    """The enterprises named by --enterprise (any) and matching every --selector."""
    known = desired.enterprises
    unknown = [e for e in enterprises if e not in known]
    if unknown:
        raise ReconcilerError(
            f"no enterprise named {', '.join(repr(u) for u in unknown)} in the manifests "
            f"(known: {', '.join(sorted(known))})"
        )
    pairs = [_selector(s) for s in selectors]
    chosen = {
        name: e
        for name, e in known.items()
        if (not enterprises or name in enterprises) and all(e.labels.get(k) == v for k, v in pairs)
    }
    if not chosen:
        raise ReconcilerError(f"no enterprise matches {' '.join(selectors)}")
    return state.State.model_construct(enterprises=chosen)


def _selector(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not key=value", param_hint="--selector")
    return key, value


def sandbox_app(config: config_loader.Config) -> Any:
    """The in-process sandbox when any provider says `url: sandbox`, else None."""
    if not factory.uses_sandbox(config):
        return None
    from reconciler.sandbox.app import create_app  # only the CLI imports the sandbox

    return create_app(config.db_path, config.seed_path)


@dataclasses.dataclass
class LiveRead:
    found: live.Live
    endpoints: dict[str, Any]
    reseller_id: int | None
    calls: int


def read_live(workspace: Workspace, asgi_app: Any = None) -> LiveRead:
    """Read the live state of the enterprises in scope (all platforms, concurrently)."""
    desired = workspace.desired.enterprises.values()
    need_c2t = any(e.connecttoteams is not None for e in desired)
    need_csms = any(e.contextsms is not None for e in desired)

    result: list[LiveRead] = []

    async def run() -> None:
        async with factory.clients(
            workspace.config, need_c2t=need_c2t, need_csms=need_csms, asgi_app=asgi_app
        ) as clients:
            found = await live_reader.read(
                workspace.desired, clients.connecttoteams, clients.contextsms
            )
            reseller = (
                await clients.connecttoteams.reseller_id() if clients.connecttoteams else None
            )
            result.append(LiveRead(found, clients.endpoints, reseller, clients.calls))

    # The result is passed out of band: asyncio.run's SIGINT bookkeeping formats the repr
    # of its main task, which for a large tenant would be the whole live state (~1 s).
    asyncio.run(run())
    return result[0]


@dataclasses.dataclass
class Planned:
    plan: Plan
    problems: list[str]  # what would stop the plan (conflicts, preconditions, safety)
    read: LiveRead


def plan(
    workspace: Workspace,
    asgi_app: Any,
    *,
    force: bool,
    paths: tuple[pathlib.Path, ...] = (),
    strict: bool = True,
) -> Planned:
    """Read live state and plan against it; `strict` raises PlanError on any problem."""
    read = read_live(workspace, asgi_app)
    made, problems = planner.plan_with_problems(
        workspace.desired,
        read.found,
        read.endpoints,
        reseller_id=read.reseller_id,
        force=force,
        manifest_digest=workspace.manifests.digest,
        paths=tuple(str(p) for p in paths) or (".",),
    )
    if strict and problems:
        raise PlanError(planner.problem_report(problems))
    return Planned(made, problems, read)
