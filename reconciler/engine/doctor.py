"""`reconciler doctor`: before any write, check each configured provider: its environment
variables (all missing ones at once), that its host answers (TLS included), that its
credentials work, and that each read of the endpoint map answers with the shape the
readers expect. Read-only: only reads and logins are sent.

The manifests, when given, say which enterprise and CSP to read; without them the first
enterprise of the reseller's listing is read, and ContextSMS's CSP reads are skipped.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from reconciler import errors
from reconciler.config.loader import Config
from reconciler.engine.run import Run
from reconciler.model import state
from reconciler.providers import http
from reconciler.reports.doctor import Check, Diagnosis
from reconciler.wire import connecttoteams, contextsms
from reconciler.wire.endpoints import Endpoint, Shape

API_NAMES = {
    "connecttoteams": "ConnecttoTeams",
    "contextsms": "ContextSMS",
    "connectel": "Connectel",
}
# A probe must not wait out apply's deadline: two attempts, a few seconds.
PROBE_RETRY = http.RetryPolicy(attempts=2, deadline=15.0, initial=0.5, maximum=2.0)
# Connectel has no read but the delivery report: asked for an id no message has.
PROBE_REQUEST_ID = "RRECONCILERDOCTOR.00000000000000000"


def diagnose(
    config: Config, desired: state.State | None = None, env: Mapping[str, str] | None = None
) -> Diagnosis:
    """Every check of every configured provider; a failure never stops the others."""
    desired = desired or state.State()
    apis = config.configured()
    if not apis:
        where = str(config.path) if config.path else "no reconciler.yaml was found"
        return Diagnosis(
            (
                Check(
                    "reconciler.yaml",
                    "providers",
                    "fail",
                    f"no provider is configured ({where})",
                    "add providers.connecttoteams, providers.contextsms or providers.connectel",
                ),
            )
        )
    checks: list[Check] = []
    usable = []
    for api in apis:
        name = API_NAMES[api]
        unset = config.unset(api, env)
        for variable, where in unset:
            checks.append(
                Check(
                    name,
                    "environment",
                    "fail",
                    f"{variable} is not set ({where})",
                    f"export {variable}",
                )
            )
        if unset:
            checks.append(Check(name, "the rest", "skip", "its environment is incomplete"))
            continue
        checks.append(Check(name, "environment", "pass", "every ${VAR} is set"))
        usable.append(api)
    with Run(config, retry=PROBE_RETRY, env=env) as run:
        for api in usable:
            probe = {
                "connecttoteams": _connecttoteams,
                "contextsms": _contextsms,
                "connectel": _connectel,
            }[api]
            checks += run.do(lambda probe=probe: probe(run, desired))  # type: ignore[misc]
    return Diagnosis(tuple(checks))


Probe = Callable[[], Awaitable[Any]]


class _Checks:
    """The checks of one API, in order; each probe's failure is its own check's."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.items: list[Check] = []

    async def step(self, what: str, probe: Probe, fix: str) -> tuple[bool, Any]:
        try:
            detail = await probe()
        except errors.ApiError as exc:
            self.items.append(Check(self.api, what, "fail", str(exc), fix))
            return False, None
        self.items.append(Check(self.api, what, "pass", str(detail)))
        return True, detail

    async def read(
        self,
        client: http.VendorClient,
        operation: str,
        shape: Shape,
        section: str,
        ask: Probe | None = None,
        **params: Any,
    ) -> Any:
        """Call one read of the endpoint map (or `ask`) and check its answer's shape."""
        endpoint: Endpoint = client.endpoints[operation]
        shown = f"{endpoint.method} {endpoint.path}"
        fix = (
            f"the vendor documents {shown}: check the provider's url"
            if endpoint.documented
            else f"{operation} is assumed: set {section}.endpoints.{operation} in "
            "reconciler.yaml to the path in the vendor's reference ('METHOD /path')"
        )
        check = Check(self.api, operation, "pass", "", fix, shown, endpoint.documented)
        try:
            answer = await (ask() if ask else client.op(operation, **params))
        except errors.ApiError as exc:
            self.items.append(_with(check, status="fail", detail=str(exc)))
            return None
        wrong = shape.problem(answer)
        if wrong:
            self.items.append(_with(check, status="fail", detail=f"unexpected answer: {wrong}"))
            return None
        rows = shape.count(answer)
        seen = (
            "the expected fields"
            if rows is None
            else f"{rows} {'item' if rows == 1 else 'items'} with the expected fields"
        )
        if rows == 0 and shape.row_needs:
            seen = "an empty list (its items' fields could not be checked)"
        self.items.append(_with(check, detail=seen, fix=""))
        return answer

    def skip(self, what: str, why: str, client: http.VendorClient | None = None) -> None:
        endpoint = client.endpoints.get(what) if client else None
        shown = f"{endpoint.method} {endpoint.path}" if endpoint else ""
        documented = endpoint.documented if endpoint else None
        self.items.append(Check(self.api, what, "skip", why, "", shown, documented))


def _with(check: Check, **changes: Any) -> Check:
    return dataclasses.replace(check, **changes)


async def _reach_and_login(checks: _Checks, run: Run, api: str, client: http.VendorClient) -> bool:
    reached, _ = await checks.step(
        "reach", lambda: run.session.reach(api), "check the provider's url, DNS, proxy and CA"
    )
    if not reached:
        checks.skip("the rest", "its host cannot be reached")
        return False

    async def login() -> str:
        await client.auth_headers()
        return "credentials accepted, token issued"

    logged_in, _ = await checks.step(
        "authentication", login, f"check the credentials of providers.{api}"
    )
    if not logged_in:
        checks.skip("the rest", "authentication failed")
    return logged_in


async def _connecttoteams(run: Run, desired: state.State) -> list[Check]:
    checks = _Checks("ConnecttoTeams")
    client = run.session.connecttoteams
    section = "providers.connecttoteams"
    if not await _reach_and_login(checks, run, "connecttoteams", client):
        return checks.items
    reseller = client.settings.resellerId
    found = await checks.read(
        client,
        "authenticatedUser",
        connecttoteams.SHAPES["authenticatedUser"],
        section,
        ask=client.authenticated_user,
    )
    if reseller is None and found is not None:
        reseller = connecttoteams.reseller_of(found)
    if reseller is None:
        checks.skip("listEnterprises", "no reseller id", client)
        return checks.items
    listing = await checks.read(
        client,
        "listEnterprises",
        connecttoteams.SHAPES["listEnterprises"],
        section,
        resellerId=reseller,
    )
    rows = connecttoteams.enterprise_rows(listing) if listing is not None else []
    row = _pick(rows, desired)
    for operation in connecttoteams.ENTERPRISE_READS:
        if row is None:
            why = "no enterprise to read (the listing failed or is empty)"
            checks.skip(operation, why, client)
            continue
        await checks.read(
            client,
            operation,
            connecttoteams.SHAPES[operation],
            section,
            enterpriseId=row["enterpriseId"],
        )
    return checks.items


def _pick(rows: list[dict[str, Any]], desired: state.State) -> dict[str, Any] | None:
    """The first enterprise of the manifests found in the listing, else the first row."""
    names = {
        e.connecttoteams.enterpriseName for e in desired.enterprises.values() if e.connecttoteams
    }
    return next((r for r in rows if r.get("enterpriseName") in names), rows[0] if rows else None)


async def _contextsms(run: Run, desired: state.State) -> list[Check]:
    checks = _Checks("ContextSMS")
    client = run.session.contextsms
    section = "providers.contextsms"
    if not await _reach_and_login(checks, run, "contextsms", client):
        return checks.items
    csps = sorted({e.contextsms.cspId for e in desired.enterprises.values() if e.contextsms})
    if not csps:
        why = "no cspId known: give the manifests' path (doctor PATH) to read a CSP"
        for operation in ("listEnterprises", "cspMappings", "getEnterprise", "listMappings"):
            checks.skip(operation, why, client)
        return checks.items
    listing = await checks.read(
        client, "listEnterprises", contextsms.SHAPES["listEnterprises"], section, cspId=csps[0]
    )
    await checks.read(
        client, "cspMappings", contextsms.SHAPES["cspMappings"], section, cspId=csps[0]
    )
    first = listing[0]["enterpriseId"] if listing else None
    for operation in ("getEnterprise", "listMappings"):
        if first is None:
            checks.skip(operation, f"CSP {csps[0]} has no enterprise to read", client)
            continue
        await checks.read(
            client, operation, contextsms.SHAPES[operation], section, enterpriseId=first
        )
    return checks.items


async def _connectel(run: Run, desired: state.State) -> list[Check]:
    checks = _Checks("Connectel")
    client = run.session.connectel
    reached, _ = await checks.step(
        "reach",
        lambda: run.session.reach("connectel"),
        "check the provider's url, DNS, proxy and CA",
    )
    if not reached:
        return checks.items

    async def token() -> str:
        # No message is sent: the delivery report of an id that no message has. An
        # unknown token is refused (401); a known one hears of no such message.
        with contextlib.suppress(errors.NotFound):
            await client.delivery(PROBE_REQUEST_ID)
        return "token accepted (delivery report of an unknown id: no message is sent)"

    await checks.step("authentication", token, "check providers.connectel.token")
    return checks.items
