"""Tables fitted to the terminal's width, drawn with rich (only cli/ draws on the
terminal): `numbers`' inventory, one table per enterprise."""

from __future__ import annotations

import os
import shutil
import sys

import click

from reconciler import api
from reconciler.render import numbers as render


def width() -> int | None:
    """The terminal's width when the table goes to one (or COLUMNS says), else None: a
    file or a pipe gets whole cells."""
    if not sys.stdout.isatty() and not os.environ.get("COLUMNS", "").isdigit():
        return None
    return shutil.get_terminal_size((100, 24)).columns


def inventory(rows: list[api.Row], width: int | None) -> None:
    """The table at the terminal's width: a heading per enterprise instead of a column,
    "same" where the manifests want the number where it is, long cells wrapped inside
    their column."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=width, highlight=False, no_color=not sys.stdout.isatty())
    by_enterprise: dict[str, list[list[str]]] = {}
    for enterprise, *cells in render.cells(rows):
        assignee, wanted = cells[-2], cells[-1]
        if wanted != "-" and wanted.split(" ", 2)[-1] == assignee.split(" ", 2)[-1]:
            cells[-1] = "same"
        by_enterprise.setdefault(enterprise, []).append(cells)
    for enterprise, found in by_enterprise.items():
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        for name in render.HEADER[1:]:
            whole = name in ("NUMBER", "CAPABILITIES", "ROUTE")  # short: never broken
            table.add_column(name, no_wrap=whole, overflow="fold")
        for cells in found:
            table.add_row(*cells)
        console.print(enterprise, style="bold", markup=False)
        console.print(table)
    click.echo(render.count(rows))
