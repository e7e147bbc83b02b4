"""The schema of reconciler.yaml; `schemas/config.schema.json` is generated from it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from reconciler.model.kinds import Frozen

SECRET_FIELDS = ("clientSecret", "password", "token")

Rate = Annotated[float, Field(gt=0, description="requests per second")]


class ConnecttoTeamsProvider(Frozen):
    url: StrictStr = Field(
        default="sandbox",
        description="'sandbox', https://api.connecttoteams.com, or a loopback http:// URL",
    )
    clientId: StrictStr | None = Field(
        default=None, description="OAuth client id (Basic auth of the token request)."
    )
    clientSecret: StrictStr | None = Field(
        default=None, description="OAuth client secret: a ${VARIABLE} reference for real URLs."
    )
    username: StrictStr | None = Field(default=None, description="The API user's name.")
    password: StrictStr | None = Field(
        default=None, description="The API user's password: a ${VARIABLE} reference."
    )
    resellerId: StrictInt | None = Field(
        default=None,
        description="The reseller whose enterprises are read. Default: asked of "
        "getAuthenticatedUser once per run. Example: 54",
    )
    endpoints: dict[StrictStr, StrictStr] = Field(
        default_factory=dict, description="Overrides of assumed API paths, by operation name."
    )


class ContextSmsProvider(Frozen):
    url: StrictStr = Field(
        default="sandbox",
        description="'sandbox', https://context-sms.sabrhub.com/api/v2, or a loopback URL.",
    )
    authUrl: StrictStr | None = Field(
        default=None, description="Where login and refresh go. Default: url."
    )
    username: StrictStr | None = Field(default=None, description="The CSP user's login.")
    password: StrictStr | None = Field(
        default=None, description="The CSP user's password: a ${VARIABLE} reference."
    )


class ConnectelProvider(Frozen):
    url: StrictStr = Field(
        default="sandbox",
        description="'sandbox', https://smsapi.connectel.se/api/v2, or a loopback URL.",
    )
    token: StrictStr | None = Field(
        default=None, description="The gateway token (used by verify): a ${VARIABLE} reference."
    )


class Providers(Frozen):
    connecttoteams: ConnecttoTeamsProvider | None = Field(
        default=None, description="ConnecttoTeams (enterprises, SMS users, groups, numbers)."
    )
    contextsms: ContextSmsProvider | None = Field(
        default=None, description="ContextSMS (enterprises under a CSP, mappings, payment)."
    )
    connectel: ConnectelProvider | None = Field(
        default=None, description="The Connectel SMS gateway (verify's test messages)."
    )


class RateLimit(Frozen):
    connecttoteams: Rate | None = Field(
        default=20.0, description="Requests per second to ConnecttoTeams; null: none."
    )
    contextsms: Rate | None = Field(
        default=20.0, description="Requests per second to ContextSMS; null: none."
    )
    connectel: Rate | None = Field(
        default=5.0, description="Requests per second to Connectel; null: none."
    )


class RetrySettings(Frozen):
    """Retries of 429, 5xx, timeouts and connection errors: exponential backoff with jitter."""

    attempts: Annotated[StrictInt, Field(ge=1, le=20)] = Field(
        default=6, description="Attempts per call (a 429 counts a quarter). Default: 6."
    )
    initialBackoff: Annotated[float, Field(ge=0, le=60)] = Field(
        default=0.5, description="Seconds before the first retry, doubling. Default: 0.5."
    )
    maxBackoff: Annotated[float, Field(ge=0, le=600)] = Field(
        default=20.0, description="The longest wait between retries, seconds. Default: 20."
    )
    deadline: Annotated[float, Field(gt=0, le=3600, description="seconds per call")] = 120.0
    lookupWindow: Annotated[float, Field(ge=0, le=3600)] = Field(
        default=60.0,
        description="seconds during which a create whose answer never came (a timeout, a "
        "dropped connection, a gateway's 502/504, a malformed answer) is looked up by name, "
        "with backoff, before it is sent again: a vendor may commit it late",
    )


class ApplySettings(Frozen):
    parallelism: Annotated[StrictInt, Field(ge=1, le=256)] = Field(
        default=8, description="Requests in flight per API, reads and writes. Default: 8."
    )
    timeout: Annotated[float, Field(gt=0, le=600)] = Field(
        default=30.0, description="seconds to wait for one answer before the call is retried"
    )
    rateLimit: RateLimit = Field(
        default_factory=RateLimit, description="The ceiling of each API's request rate."
    )
    retry: RetrySettings = Field(
        default_factory=RetrySettings, description="How transient failures are retried."
    )
    allowRelease: StrictBool = Field(
        default=False,
        description="Let plans leave numbers with no user, group or mapping (as "
        "--allow-release does). Default: false.",
    )
    waves: StrictStr | None = Field(
        default=None,
        description="Apply in waves, each gated on the last one's health (as --waves): "
        "count=N, or label=KEY:VALUE,VALUE,... Default: none (all at once).",
        pattern=r"^(count=[1-9][0-9]*|label=[^:=]+:[^,]+(,[^,]+)*)$",
    )
    health: Literal["converge", "verify"] = Field(
        default="converge",
        description="The health gate after each wave (as --health): converge (a re-read "
        "plans nothing) or verify (also a test SMS through Connectel to the numbers the "
        "wave assigned, delivered where the manifests say). Default: converge.",
    )
    healthSample: Annotated[StrictInt, Field(ge=1, le=1000)] = Field(
        default=3, description="Numbers texted per enterprise by a verify gate. Default: 3."
    )
    pauseBetweenWaves: Annotated[float, Field(ge=0, le=86400)] = Field(
        default=0, description="Seconds to wait between waves. Default: 0."
    )


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


class AgentSettings(Frozen):
    """`reconciler agent`: where it keeps its history, and the secrets of its HTTP surface."""

    database: StrictStr = Field(
        default="history.db",
        description="The SQLite file of the agent's history (every cycle); a relative path "
        "is under the agent's state directory (reconciler agent --state, default "
        ".reconciler/agent). Default: history.db",
    )
    webhookSecret: StrictStr | None = Field(
        default=None,
        description="The secret of POST /hooks/git (GitHub's X-Hub-Signature-256 HMAC, or "
        "GitLab's X-Gitlab-Token): a ${VARIABLE} reference. Default: none (the hook is off).",
    )
    token: StrictStr | None = Field(
        default=None,
        description="A bearer token for every route of the agent but /healthz: a "
        "${VARIABLE} reference. Default: none (the agent listens on loopback).",
    )


NotificationEvent = Literal["drift", "healed", "applied", "failed", "revision-refused"]
NOTIFICATION_EVENTS: tuple[NotificationEvent, ...] = (
    "drift",
    "healed",
    "applied",
    "failed",
    "revision-refused",
)


class Notification(Frozen):
    """A target the agent tells of what happens: a Microsoft Teams Workflows webhook (an
    Adaptive Card) or any webhook (the event as JSON)."""

    kind: Literal["teams", "webhook"] = Field(description="teams or webhook.")
    url: StrictStr = Field(
        description="Where to post: a ${VARIABLE} reference (the URL is a secret), or an "
        "https URL (http for loopback only)."
    )
    events: tuple[NotificationEvent, ...] = Field(
        default=NOTIFICATION_EVENTS,
        description="The events it wants: drift, healed, applied, failed, revision-refused. "
        "Default: all of them.",
        json_schema_extra={"uniqueItems": True},
    )


class ProjectConfig(Frozen):
    """reconciler.yaml"""

    model_config = Frozen.model_config | {"title": "reconciler project config (reconciler.yaml)"}

    providers: Providers = Field(
        default_factory=Providers, description="Each vendor's URL and credentials."
    )
    manifests: ManifestSettings = Field(
        default_factory=ManifestSettings, description="Which YAML files are not manifests."
    )
    apply: ApplySettings = Field(
        default_factory=ApplySettings, description="Concurrency, rate limits, timeouts, retries."
    )
    sandbox: SandboxSettings = Field(
        default_factory=SandboxSettings, description="The embedded sandbox's seed and database."
    )
    agent: AgentSettings = Field(
        default_factory=AgentSettings, description="`reconciler agent`: history and secrets."
    )
    notifications: list[Notification] = Field(
        default_factory=list, description="Where the agent tells of drift, heals and applies."
    )
