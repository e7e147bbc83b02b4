"""The schema of reconciler.yaml; `schemas/config.schema.json` is generated from it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt, StrictStr

from reconciler.model.kinds import Frozen

SECRET_FIELDS = ("clientSecret", "password", "token")

Rate = Annotated[float, Field(gt=0, description="requests per second")]


class ConnecttoTeamsProvider(Frozen):
    url: StrictStr = Field(
        default="sandbox",
        description="'sandbox', https://api.connecttoteams.com, or a loopback http:// URL",
    )
    clientId: StrictStr | None = None
    clientSecret: StrictStr | None = None
    username: StrictStr | None = None
    password: StrictStr | None = None
    resellerId: StrictInt | None = None
    endpoints: dict[StrictStr, StrictStr] = Field(
        default_factory=dict, description="Overrides of assumed API paths, by operation name."
    )


class ContextSmsProvider(Frozen):
    url: StrictStr = "sandbox"
    authUrl: StrictStr | None = Field(default=None, description="Defaults to url.")
    username: StrictStr | None = None
    password: StrictStr | None = None


class ConnectelProvider(Frozen):
    url: StrictStr = "sandbox"
    token: StrictStr | None = None


class Providers(Frozen):
    connecttoteams: ConnecttoTeamsProvider | None = None
    contextsms: ContextSmsProvider | None = None
    connectel: ConnectelProvider | None = None


class RateLimit(Frozen):
    connecttoteams: Rate | None = 20.0
    contextsms: Rate | None = 20.0
    connectel: Rate | None = 5.0


class RetrySettings(Frozen):
    """Retries of 429, 5xx, timeouts and connection errors: exponential backoff with jitter."""

    attempts: Annotated[StrictInt, Field(ge=1, le=20)] = 6
    initialBackoff: Annotated[float, Field(ge=0, le=60)] = 0.5
    maxBackoff: Annotated[float, Field(ge=0, le=600)] = 20.0
    deadline: Annotated[float, Field(gt=0, le=3600, description="seconds per call")] = 120.0
    lookupWindow: Annotated[float, Field(ge=0, le=3600)] = Field(
        default=60.0,
        description="seconds during which a create whose answer never came (a timeout, a "
        "dropped connection, a gateway's 502/504, a malformed answer) is looked up by name, "
        "with backoff, before it is sent again: a vendor may commit it late",
    )


class ApplySettings(Frozen):
    parallelism: Annotated[StrictInt, Field(ge=1, le=256)] = 8
    timeout: Annotated[float, Field(gt=0, le=600)] = Field(
        default=30.0, description="seconds to wait for one answer before the call is retried"
    )
    rateLimit: RateLimit = Field(default_factory=RateLimit)
    retry: RetrySettings = Field(default_factory=RetrySettings)


class SandboxSettings(Frozen):
    seed: StrictStr | None = Field(
        default=None, description="Seed file for a new sandbox, relative to this file."
    )
    db: StrictStr = Field(
        default=".reconciler/sandbox.db", description="SQLite file, relative to this file."
    )


class ManifestSettings(Frozen):
    exclude: list[StrictStr] = Field(
        default_factory=list,
        description="Globs, relative to this file, of YAML files that are not manifests "
        "(e.g. ci/**).",
    )


class ProjectConfig(Frozen):
    """reconciler.yaml"""

    model_config = Frozen.model_config | {"title": "reconciler project config (reconciler.yaml)"}

    providers: Providers = Field(default_factory=Providers)
    manifests: ManifestSettings = Field(default_factory=ManifestSettings)
    apply: ApplySettings = Field(default_factory=ApplySettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
