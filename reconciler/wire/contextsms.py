"""ContextSMS on the wire: endpoints, request bodies, answer parsers and the lookups by
name that recover a lost create. Pure: no I/O. Follows shared/api/contextsms.md and the
ContextSMS guide in shared/seeds/.

`expirationTimeInUTC` has no zone and up to 9 fractional digits; it is read as UTC.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping
from typing import Any

from reconciler.model import kinds, live
from reconciler.wire import matching
from reconciler.wire.endpoints import Answer, Endpoint, Lookup, Shape, Twins

API = "contextsms"

ENDPOINTS: dict[str, Endpoint] = {
    "login": Endpoint("POST", "/auth/login", True),
    "refresh": Endpoint("POST", "/auth/getaccesstoken", True),
    "newEnterprise": Endpoint("POST", "/enterprise/{cspId}", True),
    "getEnterprise": Endpoint("GET", "/enterprise/getenterprise/{enterpriseId}", True),
    "deleteEnterprise": Endpoint("DELETE", "/enterprise/deleteenterprise/{enterpriseId}", True),
    "listEnterprises": Endpoint("GET", "/csp/enterprises/{cspId}", True),
    "getCsp": Endpoint("POST", "/csp/getcsp", True),
    "addMapping": Endpoint("POST", "/mapping/add/{enterpriseId}", True),
    "listMappings": Endpoint("GET", "/numbertomessageappmapping/enterprise/{enterpriseId}", True),
    "cspMappings": Endpoint("GET", "/mapping/csp/{cspId}", True),
    "editMapping": Endpoint("PUT", "/mapping/{mappingId}", True),
    "deleteMapping": Endpoint("DELETE", "/mapping/{mappingId}", True),
    "checkPayment": Endpoint("POST", "/stripe/check-payment", True),
}

ANSWERS: dict[str, Answer] = {
    "login": Answer("object", ("accessToken",)),
    "refresh": Answer("object", ("accessToken",)),
    "newEnterprise": Answer("object", ("enterpriseId",)),
    "getEnterprise": Answer("object"),
    "listEnterprises": Answer("list"),
    "getCsp": Answer("object", ("cspUserId",)),
    "addMapping": Answer("object", ("numberToMessageAppMapId",)),
    "listMappings": Answer("list"),
    "cspMappings": Answer("list"),
    "checkPayment": Answer("object"),
}

# What `doctor` checks of each read: the fields the readers take.
SHAPES: dict[str, Shape] = {
    "listEnterprises": Shape("list", row_needs=("enterpriseId", "name")),
    "cspMappings": Shape("list", row_needs=("enterpriseId", "numberToMessageAppMap")),
    "getEnterprise": Shape("object", ("enterpriseId", "name")),
    "listMappings": Shape("list", row_needs=("numberToMessageAppMap",)),
}


# --- request bodies ----------------------------------------------------------------------


def login(username: str, password: str) -> dict[str, str]:
    return {"username": username, "password": password}


def refresh(username: str | None, refresh_token: str) -> dict[str, Any]:
    return {"username": username, "refreshToken": refresh_token}


def new_enterprise(section: kinds.ContextSmsEnterprise) -> dict[str, Any]:
    return {
        "name": section.name,
        "contact": section.contact,
        "number": section.number,
        "email": section.email,
    }


def add_mapping(mapping: kinds.Mapping) -> dict[str, Any]:
    return {
        "phoneNumber": mapping.phoneNumber,
        "messagingAppType": mapping.messagingAppType,
        "messagingAppId": mapping.messagingAppId,
        "name": mapping.name,
    }


def edit_mapping(messaging_app_id: str) -> dict[str, Any]:
    return {"messagingAppId": messaging_app_id}


def check_payment(email: str) -> dict[str, Any]:
    return {"email": email}


# --- answers -----------------------------------------------------------------------------


def parse_expiry(text: str) -> float:
    """'2025-01-01T12:00:00.242875589' (UTC, no zone) -> epoch seconds."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z?", text.strip())
    if not match:
        raise ValueError(f"not a timestamp: {text!r}")
    base = datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    fraction = float("0." + match.group(2)) if match.group(2) else 0.0
    return base.replace(tzinfo=datetime.UTC).timestamp() + fraction


def tokens(answer: Any) -> tuple[str, str | None, float | None]:
    """A login or refresh answer: access token, refresh token, expiry (epoch) if readable."""
    try:
        expires: float | None = parse_expiry(str(answer.get("expirationTimeInUTC", "")))
    except ValueError:
        expires = None
    return str(answer["accessToken"]), answer.get("refreshToken"), expires


# How an enterprise row is identified and named, for listing, match and empty_twins.
_ID, _NAME = "enterpriseId", "name"


def enterprise_rows(answer: Any) -> list[dict[str, Any]]:
    """A CSP's enterprise listing, without the deleted ones."""
    return [r for r in answer or [] if not r.get("deleted")]


def listing(rows: list[dict[str, Any]]) -> matching.Rows:
    """A CSP's enterprise rows indexed for `match` and `empty_twins` (once for all)."""
    return matching.Rows(rows, _ID, _NAME)


def match(
    rows: list[dict[str, Any]] | matching.Rows,
    section: kinds.ContextSmsEnterprise,
    mappings: Mapping[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any] | None:
    """The manifest's enterprise in its CSP's listing: by pin, else by unique name. Twins
    are named with how many mappings each holds (counted only when there are twins)."""
    by_enterprise = mappings or {}

    def held(enterprise_id: str) -> str:
        return _plural(len(by_enterprise.get(enterprise_id, [])), kinds.KINDS[kinds.MAPPING].label)

    return matching.match(
        rows,
        pin=section.enterpriseId,
        name=section.name,
        id_field=_ID,
        name_field=_NAME,
        platform="ContextSMS",
        section="contextsms",
        scope=f"under {section.cspId}",
        holdings=held,
        empty=lambda enterprise_id: not by_enterprise.get(enterprise_id),
    )


def empty_twins(rows: list[dict[str, Any]] | matching.Rows, row: dict[str, Any]) -> tuple[str, ...]:
    """The other enterprises named as `row` (once `match` chose it, they are the empty
    higher-id twins)."""
    named = matching.indexed(rows, _ID, _NAME).named(row.get(_NAME))
    return tuple(str(r[_ID]) for r in named if r[_ID] != row[_ID])


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def mappings_of(items: Any) -> tuple[dict[str, kinds.Mapping], dict[str, str]]:
    """A mapping list answer as mappings by phone number, and their NTMAP ids."""
    mappings, ids = {}, {}
    for item in items or []:
        m = item.get("numberToMessageAppMap") or {}
        phone = str(m.get("phoneNumber"))
        ids[phone] = str(m.get("numberToMessageAppMapId"))
        mappings[phone] = kinds.Mapping.model_construct(
            phoneNumber=phone,
            messagingAppType=m.get("messagingAppType") or "Teams",
            messagingAppId=str(m.get("messagingAppId") or ""),
            name=str(m.get("name") or ""),
        )
    return mappings, ids


def mappings_by_enterprise(items: Any) -> dict[str, list[dict[str, Any]]]:
    """A CSP-wide mapping list (`GET /mapping/csp/{cspId}`) split by enterprise id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items or []:
        out.setdefault(str(item.get("enterpriseId")), []).append(item)
    return out


def section_of(csp: str, row: dict[str, Any]) -> kinds.ContextSmsEnterprise:
    """An enterprise of a CSP's listing as the manifest's contextsms section."""
    return kinds.ContextSmsEnterprise.model_construct(
        cspId=csp,
        name=str(row.get("name")),
        enterpriseId=str(row["enterpriseId"]),
        contact=str(row.get("contact") or ""),
        number=str(row.get("number") or ""),
        email=str(row.get("email") or ""),
    )


def payment(email: str, answer: Any) -> live.Payment:
    return live.Payment(
        email=email,
        paid=bool(answer.get("paid")),
        subscriptionStatus=answer.get("subscriptionStatus"),
    )


@dataclasses.dataclass(frozen=True)
class Found:
    """What ContextSMS holds for one manifest enterprise (facts None: not there yet)."""

    facts: live.ContextSmsLive | None
    section: kinds.ContextSmsEnterprise | None
    mappings: dict[str, kinds.Mapping]

    def part(self) -> live.Part | None:
        """Its part of the live state; None when it is not there yet."""
        if self.facts is None:
            return None
        return live.Part({API: self.section, "mappings": self.mappings}, {API: self.facts})


def enterprise(
    csp: str, row: dict[str, Any] | None, items: Any, twins: tuple[str, ...] = ()
) -> Found:
    """One enterprise of a CSP's listing with its mapping items (None: not there yet), and
    its empty twins."""
    if row is None:
        return Found(None, None, {})
    mappings, ids = mappings_of(items)
    enterprise_id = str(row["enterpriseId"])
    facts = live.ContextSmsLive(
        enterpriseId=enterprise_id, cspId=csp, mappingIds=ids, emptyTwins=twins
    )
    return Found(facts, section_of(csp, row), mappings)


# --- recovery ----------------------------------------------------------------------------


def lookup(operation: str, path_params: dict[str, Any], body: Any) -> Lookup | None:
    """For a create with a server-assigned id: how to find what it made, by name."""
    if operation == "newEnterprise":
        name = body["name"]
        return Lookup(
            "listEnterprises",
            {"cspId": path_params["cspId"]},
            lambda answer: next(
                (r for r in enterprise_rows(answer) if r.get("name") == name), None
            ),
        )
    if operation == "addMapping":
        phone = body["phoneNumber"]
        return Lookup(
            "listMappings",
            {"enterpriseId": path_params["enterpriseId"]},
            lambda answer: next(
                (
                    m
                    for item in answer or []
                    if (m := item.get("numberToMessageAppMap") or {}).get("phoneNumber") == phone
                ),
                None,
            ),
        )
    return None


# Operations that answer 404 for an empty list ("Enterprises not found": an empty CSP).
EMPTY_WHEN_NOT_FOUND = frozenset({"listEnterprises", "cspMappings"})


def twins(operation: str, path_params: dict[str, Any], body: Any) -> Twins | None:
    """Enterprises are the one ContextSMS kind without a unique name (mappings answer 409):
    after creating one, look for a twin under the same CSP."""
    if operation != "newEnterprise":
        return None
    return Twins(
        "listEnterprises",
        {"cspId": path_params["cspId"]},
        enterprise_rows,
        body["name"],
        "name",
        "enterpriseId",
        delete="deleteEnterprise",
        delete_param="enterpriseId",
    )
