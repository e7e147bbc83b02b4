"""Inventory rows as a table, CSV or JSON; missing numbers as the portal's bulk-upload CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import phonenumbers

from reconciler.render.values import plural
from reconciler.reports.inventory import ROUTES, Missing, Row

COLUMNS = ("enterprise", "number", "capabilities", "route", "carrier", "assignee", "wantedBy")
HOLDERS = {"USER": "SMS user", "SMS_GROUP": "SMS group"}  # as WANTED BY says them
UPLOAD_HEADER = ("Country Code", "Phone Number", "Voice", "SMS", "Fax", "Voice Route Type")


def _capabilities(row: Row) -> str:
    names = [n for n, on in (("voice", row.voice), ("sms", row.sms), ("fax", row.fax)) if on]
    return "+".join(names) or "-"


def _cells(row: Row) -> tuple[str, ...]:
    kind = HOLDERS.get(row.assignee_type, row.assignee_type.lower().replace("_", " "))
    if row.assignee_type == "OTHER":  # its name says what it is: "user x (PBX)", "TRUNK 7"
        kind = ""
    assignee = f"{kind} {row.assignee}".strip() if row.assignee else "-"
    return (
        row.enterprise,
        row.number,
        _capabilities(row),
        ROUTES.get(row.route or "", "-"),
        row.carrier or "-",
        assignee,
        row.wanted_by or "-",
    )


HEADER = (
    "ENTERPRISE",
    "NUMBER",
    "CAPABILITIES",
    "ROUTE",
    "CARRIER PROFILE",
    "ASSIGNEE",
    "WANTED BY",
)


def cells(rows: list[Row]) -> list[tuple[str, ...]]:
    """The table's cells, row by row (a terminal's table wraps them to its width)."""
    return [_cells(r) for r in rows]


def count(rows: list[Row]) -> str:
    return plural(len(rows), "number")


def table(rows: list[Row]) -> str:
    """Whole cells in aligned columns, for a file or a pipe."""
    header = HEADER
    cells = [header, *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells
    ]
    return "\n".join(lines) + f"\n{count(rows)}\n"


def as_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_cells(r) for r in rows)
    return out.getvalue()


def as_json(rows: list[Row]) -> str:
    """The rows with the plans' camelCase field names."""
    data = [{_camel(k): v for k, v in dataclasses.asdict(r).items()} for r in rows]
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def upload_csv(items: list[Missing]) -> str:
    """The portal's bulk-upload file: SMS on; voice, fax and route kept when known."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(UPLOAD_HEADER)
    for item in items:
        parsed = phonenumbers.parse(item.number, None)
        current = item.current
        voice = bool(current and current.voice)
        route = ROUTES.get(current.voiceRouteType or "", "") if current and voice else ""
        writer.writerow(
            (
                str(parsed.country_code),
                phonenumbers.national_significant_number(parsed),
                _flag(voice),
                _flag(True),
                _flag(bool(current and current.fax)),
                route,
            )
        )
    return out.getvalue()


def _flag(value: bool) -> str:
    return "TRUE" if value else "FALSE"


MISSING_NONE = "every number the manifests use is in the inventory with SMS and a carrier profile"
MISSING_WROTE = "wrote {}: upload it on the Phone Numbers page and pick the SMS carrier profile"


def missing_lines(items: list[Missing]) -> list[str]:
    """For stderr: each missing number, who wants it and why; or that none is missing."""
    lines = [f"{i.enterprise}: {i.number} ({i.wanted_by}): {i.reason}" for i in items]
    return lines or [MISSING_NONE]
