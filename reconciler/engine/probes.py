"""`reconciler doctor`'s probes: before any write, check each configured provider: its environment
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
from reconciler.engine.run import DEFAULTS, Run
from reconciler.model import state
from reconciler.providers import http, vendors
from reconciler.providers.retry import RetryPolicy
from reconciler.providers.session import SessionOptions
from reconciler.reports.diagnosis import Check, Diagnosis
from reconciler.wire import connecttoteams, contextsms
from reconciler.wire.endpoints import Endpoint, Shape

# A probe must not wait out apply's deadline: two attempts, a few seconds.
PROBE_RETRY = RetryPolicy(attempts=2, deadline=15.0, initial=0.5, maximum=2.0)
# Connectel has no read but the delivery report: asked for an id no message has.
PROBE_REQUEST_ID = "RRECONCILERDOCTOR.00000000000000000"


def diagnose(
    config: Config, desired: state.State | None = None, options: SessionOptions = DEFAULTS
) -> Diagnosis:
    """Every check of every configured provider; a failure never stops the others."""
    desired = desired or state.State()
    apis = config.configured()
    if not apis:
        where = str(config.path) if config.path else config.not_found
        return Diagnosis(
            (
                Check(
                    "reconciler.yaml",
                    "providers",
                    "fail",
                    f"no provider is configured ({where})",
                    "add providers.connecttoteams, providers.contextsms or providers.connectel"
                    if config.path
                    else "run `reconciler init` to write a reconciler.yaml",
                ),
            )
        )
    checks: list[Check] = []
    usable = []
    for api in apis:
        name = vendors.BY_KEY[api].name
        unset = config.unset(api, options.env)
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
        used = config.references(api)
        checks.append(
            Check(name, "environment", "pass", "every ${VAR} is set")
            if used
            else Check(name, "environment", "pass", "no ${VAR} used (literal values)")
        )
        usable.append(api)
    with Run(config, dataclasses.replace(options, retry=PROBE_RETRY)) as run:
        for api in usable:
            probe = PROBES[api]
            checks += run.perform(lambda probe=probe: probe(run, desired))  # type: ignore[misc]
    return Diagnosis(tuple(checks))


Probe = Callable[[], Awaitable[Any]]


class _Checks:
    """The checks of one API, in order; each probe's failure is its own check's. Reads
    go through `client`'s endpoint map and are checked against `shapes`."""

    def __init__(
        self, client: http.VendorClient, section: str, shapes: Mapping[str, Shape]
    ) -> None:
        self.api = client.api
        self.client = client
        self.section = section  # where reconciler.yaml configures the API
        self.shapes = shapes
        self.items: list[Check] = []

    async def step(self, what: str, probe: Probe, fix: str) -> bool:
        try:
            detail = await probe()
        except errors.ApiError as exc:
            self.items.append(Check(self.api, what, "fail", str(exc), fix))
            return False
        self.items.append(Check(self.api, what, "pass", str(detail)))
        return True

    async def read(self, operation: str, ask: Probe | None = None, **params: Any) -> Any:
        """Call one read of the endpoint map (or `ask`) and check its answer's shape;
        None when it failed."""
        endpoint: Endpoint = self.client.endpoints[operation]
        shown = f"{endpoint.method} {endpoint.path}"
        shape = self.shapes[operation]
        try:
            answer = await (ask() if ask else self.client.op(operation, **params))
            wrong = shape.problem(answer)
        except errors.ApiError as exc:
            wrong, answer = str(exc), None
        else:
            wrong = wrong and f"unexpected answer: {wrong}"
        if wrong:
            fix = (
                f"the vendor documents {shown}: check the provider's url"
                if endpoint.documented
                else f"{operation} is assumed: set {self.section}.endpoints.{operation} in "
                "reconciler.yaml to the path in the vendor's reference ('METHOD /path')"
            )
            self.items.append(
                Check(self.api, operation, "fail", wrong, fix, shown, endpoint.documented)
            )
            return None
        self.items.append(
            Check(self.api, operation, "pass", _seen(shape, answer), "", shown, endpoint.documented)
        )
        return answer

    def skip(self, what: str, why: str) -> None:
        endpoint = self.client.endpoints.get(what)
        shown = f"{endpoint.method} {endpoint.path}" if endpoint else ""
        documented = endpoint.documented if endpoint else None
        self.items.append(Check(self.api, what, "skip", why, "", shown, documented))


def _seen(shape: Shape, answer: Any) -> str:
    rows = shape.count(answer)
    if rows is None:
        return "the expected fields"
    if rows == 0 and shape.row_needs:
        return "an empty list (its items' fields could not be checked)"
    return f"{rows} {'item' if rows == 1 else 'items'} with the expected fields"


async def _reach_and_login(checks: _Checks, run: Run, provider: vendors.Provider[Any]) -> bool:
    reached = await checks.step(
        "reach",
        lambda: run.session.reach(provider),
        "check the provider's url, DNS, proxy and CA",
    )
    if not reached:
        checks.skip("the rest", "its host cannot be reached")
        return False

    async def login() -> str:
        await checks.client.auth_headers()
        return "credentials accepted, token issued"

    logged_in = await checks.step(
        "authentication", login, f"check the credentials of providers.{provider.key}"
    )
    if not logged_in:
        checks.skip("the rest", "authentication failed")
    return logged_in


async def _connecttoteams(run: Run, desired: state.State) -> list[Check]:
    client = run.session.client(vendors.CONNECTTOTEAMS)
    checks = _Checks(client, "providers.connecttoteams", connecttoteams.SHAPES)
    if not await _reach_and_login(checks, run, vendors.CONNECTTOTEAMS):
        return checks.items
    reseller = client.settings.resellerId
    found = await checks.read("authenticatedUser", ask=client.authenticated_user)
    if reseller is None and found is not None:
        reseller = connecttoteams.reseller_of(found)
    if reseller is None:
        checks.skip("listEnterprises", "no reseller id")
        return checks.items
    listing = await checks.read("listEnterprises", resellerId=reseller)
    rows = connecttoteams.enterprise_rows(listing) if listing is not None else []
    row = _pick(rows, desired)
    for operation in connecttoteams.ENTERPRISE_READS:
        if row is None:
            checks.skip(operation, "no enterprise to read (the listing failed or is empty)")
        else:
            await checks.read(operation, enterpriseId=row["enterpriseId"])
    return checks.items


def _pick(rows: list[dict[str, Any]], desired: state.State) -> dict[str, Any] | None:
    """The first enterprise of the manifests found in the listing, else the first row."""
    names = {
        e.connecttoteams.enterpriseName for e in desired.enterprises.values() if e.connecttoteams
    }
    return next((r for r in rows if r.get("enterpriseName") in names), rows[0] if rows else None)


async def _contextsms(run: Run, desired: state.State) -> list[Check]:
    client = run.session.client(vendors.CONTEXTSMS)
    checks = _Checks(client, "providers.contextsms", contextsms.SHAPES)
    if not await _reach_and_login(checks, run, vendors.CONTEXTSMS):
        return checks.items
    csps = sorted({e.contextsms.cspId for e in desired.enterprises.values() if e.contextsms})
    if not csps:
        why = "no cspId known: give the manifests' path (doctor PATH) to read a CSP"
        for operation in ("listEnterprises", "cspMappings", "getEnterprise", "listMappings"):
            checks.skip(operation, why)
        return checks.items
    listing = await checks.read("listEnterprises", cspId=csps[0])
    await checks.read("cspMappings", cspId=csps[0])
    first = listing[0]["enterpriseId"] if listing else None
    for operation in ("getEnterprise", "listMappings"):
        if first is None:
            checks.skip(operation, f"CSP {csps[0]} has no enterprise to read")
        else:
            await checks.read(operation, enterpriseId=first)
    return checks.items


async def _connectel(run: Run, desired: state.State) -> list[Check]:
    client = run.session.client(vendors.CONNECTEL)
    checks = _Checks(client, "providers.connectel", {})
    reached = await checks.step(
        "reach",
        lambda: run.session.reach(vendors.CONNECTEL),
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


PROBES = {"connecttoteams": _connecttoteams, "contextsms": _contextsms, "connectel": _connectel}
