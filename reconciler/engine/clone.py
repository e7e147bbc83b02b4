"""`reconciler sandbox clone`: read the managed enterprises live (the manifests in scope
say which) and write a sandbox seed holding a copy of them, to rehearse an apply on it.

The copy gets credentials of its own, generated here; a production credential is never
written. Enterprises that cannot be read are named, and the others copied all the same.
"""

from __future__ import annotations

import dataclasses
import pathlib
import secrets

import yaml

from reconciler.engine.run import DEFAULTS, Run
from reconciler.engine.workspace import Workspace
from reconciler.model import live
from reconciler.model.problem import Problem
from reconciler.providers import read
from reconciler.providers.session import SessionOptions
from reconciler.reports import seed


@dataclasses.dataclass(frozen=True)
class Cloned:
    """What `clone` copied into the seed, what is not live yet, and what could not be read."""

    copied: tuple[str, ...]  # enterprises found live and copied
    absent: tuple[str, ...]  # not live yet: a rehearsal creates them
    failed: tuple[Problem, ...]
    credentials: seed.Credentials
    reseller: int | None

    def rehearsal_config(self, port: int) -> str:
        """A reconciler.yaml aimed at the copy served on loopback `port`."""
        return rehearsal_config(self.credentials, port, self.reseller)


def credentials() -> seed.Credentials:
    def key() -> str:
        return secrets.token_urlsafe(18)

    return seed.Credentials(
        client_id="rehearsal-client",
        client_secret=key(),
        username="rehearsal-admin",
        password=key(),
        csms_username="rehearsal@csp.example",
        csms_password=key(),
        connectel_token=key(),
    )


def clone(workspace: Workspace, out: pathlib.Path, options: SessionOptions = DEFAULTS) -> Cloned:
    desired = workspace.desired
    with Run(workspace.config, options) as run:
        found = run.read(desired)
        emails = {
            name: e.contextsms.email
            for name, e in desired.enterprises.items()
            if e.contextsms is not None and name not in found.failed
        }
        paid = run.perform(lambda: read.payments(run.session, emails)) if emails else {}
    payments = {n: p for n, p in paid.items() if isinstance(p, live.Payment)}
    failed = [*found.failed.values(), *(p for p in paid.values() if isinstance(p, Problem))]
    made = credentials()
    document = seed.seed(found, desired, payments, made)
    header = (
        "# A copy of production for a rehearsal: `reconciler sandbox serve --seed THIS`.\n"
        "# Written by `reconciler sandbox clone`; its credentials are its own (generated).\n"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(header + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    present = {
        n
        for n, e in found.enterprises.items()
        if e.connecttoteams is not None or e.contextsms is not None
    }
    return Cloned(
        copied=tuple(sorted(present)),
        absent=tuple(sorted(set(desired.enterprises) - present - set(found.failed))),
        failed=tuple(failed),
        credentials=made,
        reseller=found.resellerId,
    )


def rehearsal_config(made: seed.Credentials, port: int, resellers: int | None) -> str:
    """A reconciler.yaml aimed at the copy served on loopback `port` (literal test
    credentials are allowed there, and these are the copy's own)."""
    base = f"http://127.0.0.1:{port}"
    document = {
        "providers": {
            "connecttoteams": {
                "url": f"{base}/connecttoteams",
                "clientId": made.client_id,
                "clientSecret": made.client_secret,
                "username": made.username,
                "password": made.password,
                **({"resellerId": resellers} if resellers else {}),
            },
            "contextsms": {
                "url": f"{base}/contextsms/api/v2",
                "username": made.csms_username,
                "password": made.csms_password,
            },
            "connectel": {"url": f"{base}/connectel/api/v2", "token": made.connectel_token},
        }
    }
    return (
        f"# Rehearsal: the copy served by `reconciler sandbox serve --port {port} --seed ...`\n"
        + yaml.safe_dump(document, sort_keys=False)
    )
