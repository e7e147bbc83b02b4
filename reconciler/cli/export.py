"""`reconciler export`: write today's live state as manifests (and a config skeleton)."""

from __future__ import annotations

import asyncio
import pathlib
from typing import Any

import click

from reconciler.cli import exitcodes, options, workspace
from reconciler.config import loader as config_loader
from reconciler.errors import ReconcilerError
from reconciler.export import documents
from reconciler.providers import everything, factory
from reconciler.render import manifests


@click.command("export")
@options.config
@click.option(
    "--enterprise",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this enterprise (name or manifest name); repeatable.",
)
@click.option(
    "--enterprise-id",
    "ids",
    multiple=True,
    type=int,
    metavar="ID",
    help="Only this ConnecttoTeams enterprise id; repeatable.",
)
@click.option(
    "--csp", metavar="CSP_ID", help="Also export ContextSMS enterprises and mappings of this CSP."
)
@click.option(
    "-o",
    "--out",
    "directory",
    type=click.Path(path_type=pathlib.Path, file_okay=False),
    default=pathlib.Path(),
    show_default=True,
)
def command(
    config_path: pathlib.Path | None,
    names: tuple[str, ...],
    ids: tuple[int, ...],
    csp: str | None,
    directory: pathlib.Path,
) -> int:
    """Write one manifest per live enterprise, in the manifest format, ids as pins."""
    config = config_loader.load(config_loader.find(config_path, []))
    app = workspace.sandbox_app(config)
    wanted_names = set(names)

    def keep(row: dict[str, Any]) -> bool:
        if not ids and not wanted_names:
            return True
        name = str(row.get("enterpriseName", ""))
        return (
            row.get("enterpriseId") in ids
            or name in wanted_names
            or documents.slug(name) in wanted_names
        )

    async def read() -> tuple[int | None, list[Any], list[Any]]:
        async with factory.clients(
            config, need_c2t=True, need_csms=csp is not None, asgi_app=app
        ) as clients:
            assert clients.connecttoteams is not None
            reseller, found = await everything.connecttoteams(clients.connecttoteams, keep)
            csms = (
                await everything.contextsms(clients.contextsms, csp)
                if clients.contextsms and csp
                else []
            )
            return reseller, found, csms

    reseller, found, csms = asyncio.run(read())
    pairs = documents.pair([(f.section, f.facts, f.users, f.groups) for f in found], csms)
    if names or ids:
        pairs = [p for p in pairs if p.c2t is not None]
    if not pairs:
        raise ReconcilerError("nothing to export: no enterprise matches")
    directory.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for item in pairs:
        name = documents.slug(item.title)
        while name in used:
            name = f"{name}-2"
        used.add(name)
        path = directory / f"{name}.yaml"
        path.write_text(manifests.manifest(documents.document(item, name)), encoding="utf-8")
        click.echo(f"wrote {path}")
    _config_skeleton(config, directory, reseller)
    return exitcodes.OK


def _config_skeleton(
    config: config_loader.Config, directory: pathlib.Path, reseller: int | None
) -> None:
    path = directory / "reconciler.yaml"
    if path.exists():
        click.echo(f"kept the existing {path}", err=True)
        return
    p = config.settings.providers
    text = manifests.config(
        p.connecttoteams.url if p.connecttoteams else "sandbox",
        p.contextsms.url if p.contextsms else "sandbox",
        p.connectel.url if p.connectel else "sandbox",
        reseller,
    )
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}")
