"""The object kinds of an enterprise: their models, and one registry of what each kind
is (`KINDS`): its name and plain words, its identity and essence (the compared fields,
defaults filled), whether it can be pruned, where its changes sort, whether its change
runs after upstream failures. Everything else asks the registry; the kinds' names are
written here (and in the sandbox, which shares nothing with us).

The models are used verbatim in manifests (camelCase field names are the YAML keys) and
in the live State the providers build, so a converged tenant compares equal.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any, Final, Literal, Self, cast

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)
from pydantic.config import JsonDict, JsonValue
from pydantic_core import PydanticCustomError

from reconciler.model import types


class Frozen(BaseModel):
    """Base of every model value: immutable, and a typo is an error, never ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def built(cls, /, **values: Any) -> Self:
        """An instance from trusted values naming every field: what `model_construct`
        makes, without its work per instance (a set of the fields given, the defaults
        looked up): a read of a large estate builds hundreds of thousands of these
        (numbers, holders, users), and that set was a third of their memory. Values that
        leave a field out are built by `model_construct`."""
        every = _EVERY.get(cls)
        if every is None:
            every = _EVERY[cls] = set(cls.model_fields)
        if values.keys() != every or cls.__pydantic_post_init__:
            return cast(Self, cls.model_construct(**values))  # Self, to pydantic's plugin: the base
        made = cls.__new__(cls)
        _set(made, "__dict__", values)
        _set(made, "__pydantic_fields_set__", every)  # shared: never changed in place
        _set(made, "__pydantic_extra__", None)
        _set(made, "__pydantic_private__", None)
        return made


_EVERY: dict[type[Frozen], set[str]] = {}
_set = object.__setattr__


UserType = Literal["BU"]  # the only value the vendor documents (enableSMSServiceForUser)
UNIQUE: JsonDict = {"uniqueItems": True}


class SmsUser(Frozen):
    """A Teams user with SMS enabled. Identity: `userId`."""

    userId: types.Email = Field(
        description="The Teams user's sign-in address: the user's identity. Example: "
        "alice@sunshinedental.com"
    )
    numbers: tuple[types.E164, ...] = Field(
        default=(),
        description="The SMS numbers the user texts from, in E.164 (resolved to the "
        'inventory\'s DID ids). Default: none. Example: ["+12025550101"]',
        json_schema_extra=UNIQUE,
    )
    email: types.Email | None = Field(
        default=None,
        description="The address ConnecttoTeams keeps for the user. Default: the userId.",
    )
    userTag: StrictStr | None = Field(
        default=None, description="A free tag shown in the portal. Example: front-office"
    )
    userType: UserType = Field(
        default="BU",
        description="ConnecttoTeams' user type: BU (the only documented value).",
        json_schema_extra={"enum": ["BU"]},  # editors offer an enum's values
    )
    useCallingPhoneNumber: StrictBool = Field(
        default=False,
        description="Text from the user's calling (voice) number too. Default: false.",
    )

    @property
    def identity(self) -> str:
        return self.userId

    @property
    def address(self) -> str:
        """The address ConnecttoTeams keeps for the user: `email`, by default the userId."""
        return self.email or self.userId


class SmsGroup(Frozen):
    """An SMS group sharing numbers among members. Identity: `name`."""

    name: Annotated[StrictStr, Field(min_length=1)] = Field(
        description="The group's name: its identity. Example: Front Desk"
    )
    owner: types.Email = Field(
        description="The Teams user who owns the group. Example: maria@sunshinedental.com"
    )
    numbers: tuple[types.E164, ...] = Field(
        default=(),
        description="The numbers the group shares, in E.164. Default: none. Example: "
        '["+12025550110"]',
        json_schema_extra=UNIQUE,
    )
    members: tuple[types.Email, ...] = Field(
        default=(),
        description="The Teams users who answer the group's texts. Default: none.",
        json_schema_extra=UNIQUE,
    )

    @property
    def identity(self) -> str:
        return self.name


class Mapping(Frozen):
    """A ContextSMS number -> Teams app mapping. Identity: `phoneNumber`."""

    phoneNumber: types.E164 = Field(
        description="The number whose texts go to the Teams app, in E.164: the mapping's "
        "identity. Example: +12025550110"
    )
    messagingAppType: types.MessagingAppType = Field(
        default="Teams", description="The kind of messaging app. Default: Teams."
    )
    messagingAppId: Annotated[StrictStr, Field(min_length=1)] = Field(
        description="The Teams channel (or chat) id the texts land in. Example: "
        "19:frontdesk@thread.tacv2"
    )
    name: Annotated[StrictStr, Field(min_length=1)] = Field(
        description="A display name for the mapping. Example: FrontDesk"
    )

    @property
    def identity(self) -> str:
        return self.phoneNumber


CALLAPP_NEEDS_PBX: JsonDict = {
    "if": {
        "required": ["services"],
        "properties": {"services": {"contains": {"const": "CALLAPP"}}},
    },
    "then": {"properties": {"services": {"contains": {"const": "PBX"}}}},
}


class ConnecttoTeamsEnterprise(Frozen):
    """The enterprise on ConnecttoTeams. Identity: `enterpriseName`; `enterpriseId` is a pin."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra={"allOf": [CALLAPP_NEEDS_PBX]}
    )

    enterpriseName: Annotated[StrictStr, Field(min_length=1)] = Field(
        description="The enterprise's name on ConnecttoTeams: its identity there (created "
        "if missing). Example: Sunshine Dental"
    )
    enterpriseId: StrictInt | None = Field(
        default=None,
        description="Optional pin to one ConnecttoTeams enterprise id (export writes it). "
        "Example: 78",
    )
    services: tuple[types.ServiceName, ...] = Field(
        default=(),
        description="The enterprise's services. SMS is needed for smsUsers and smsGroups; "
        'CALLAPP needs PBX. Default: none. Example: ["PBX", "SMS"]',
        json_schema_extra=UNIQUE,
    )


class ContextSmsEnterprise(Frozen):
    """The enterprise on ContextSMS under a CSP. Identity: (`cspId`, `name`)."""

    cspId: Annotated[StrictStr, Field(pattern=r"^CSP[0-9]{7}$")] = Field(
        description="The CSP the enterprise belongs to. Example: CSP0000003"
    )
    name: Annotated[StrictStr, Field(min_length=1)] = Field(
        description="The enterprise's name within the CSP: its identity there (created if "
        "missing). Example: Sunshine Dental Clinic"
    )
    enterpriseId: Annotated[StrictStr, Field(pattern=r"^E[0-9]{7}$")] | None = Field(
        default=None,
        description="Optional pin to one ContextSMS enterprise id. Example: E0000091",
    )
    contact: Annotated[StrictStr, Field(min_length=1)] = Field(  # required by the vendor
        description="The contact person ContextSMS requires. Example: Dr. Maria Rodriguez"
    )
    number: types.E164 = Field(
        description="The enterprise's main number, in E.164. Example: +12025550143"
    )
    email: types.Email = Field(
        description="The contact's address; payment status is checked for it. Example: "
        "maria@sunshinedental.com"
    )


def _ignore_rule(value: Any) -> str:
    """`kind.field`: a field of a kind the live side owns."""
    if not isinstance(value, str) or value.count(".") != 1:
        raise PydanticCustomError(
            "ignore_rule", f"{value!r} is not kind.field: write e.g. smsUser.userTag"
        )
    kind_name, field = value.split(".")
    kind = KINDS.get(kind_name)
    if kind is None or not kind.ignorable:
        choices = ", ".join(k.name for k in KINDS.values() if k.ignorable)
        raise PydanticCustomError(
            "ignore_rule", f"unknown kind {kind_name!r} in {value!r}: expected one of {choices}"
        )
    if field in kind.identity:
        raise PydanticCustomError(
            "ignore_rule",
            f"{value} is what identifies each {kind.label}: it cannot be ignored",
        )
    if field not in kind.ignorable:
        raise PydanticCustomError(
            "ignore_rule",
            f"{kind_name} has no field {field!r} to ignore: expected one of "
            f"{', '.join(kind.ignorable)}",
        )
    return value


IgnoreRule = Annotated[str, BeforeValidator(_ignore_rule)]


def _ignore_schema(schema: JsonDict) -> None:
    """Editors offer every rule: `ignore` items are an enum of kind.field."""
    rules: list[JsonValue] = [f"{k.name}.{f}" for k in KINDS.values() for f in k.ignorable]
    properties = schema.get("properties")
    ignore = properties.get("ignore") if isinstance(properties, dict) else None
    if isinstance(ignore, dict):
        ignore["items"] = {"type": "string", "enum": rules}


class ChangeWindow(Frozen):
    """When an enterprise may be changed: on `days`, from `from` to `to` local time in
    `timezone` (a `to` at or before `from` ends the next day)."""

    days: Annotated[tuple[types.Day, ...], Field(min_length=1)] = Field(
        description="The days the window opens on. Example: [Mon, Tue, Wed, Thu]",
        json_schema_extra=UNIQUE,
    )
    start: types.Clock = Field(
        alias="from", description='When it opens, local time, "HH:MM". Example: "22:00"'
    )
    end: types.Clock = Field(
        alias="to",
        description='When it closes, local time, "HH:MM" ("24:00": midnight); at or '
        'before `from`: the next day. Example: "06:00"',
    )
    timezone: types.TimeZone = Field(
        description="An IANA time zone (the zoneinfo database). Example: America/New_York"
    )


def _integral(value: Any) -> Any:
    """A float with no fraction (30.0) as the integer it is; anything else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class Policy(Frozen):
    """How the planner may treat this enterprise."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_ignore_schema)

    prune: StrictBool = Field(
        default=False,
        description="Delete live users, groups and mappings no manifest names. Default: "
        "false (they are reported as unmanaged and left alone).",
    )
    # 30.0 is an integer to JSON Schema (and editors): the same here
    maxChangePercent: Annotated[StrictInt, Field(ge=0, le=100), BeforeValidator(_integral)] = Field(
        default=30,
        description="The plan fails (unless --force) when deletes and updates exceed this "
        "share of the enterprise's managed objects (with at least 10). Default: 30.",
    )
    requirePayment: StrictBool = Field(
        default=False,
        description="Hold the enterprise's changes while ContextSMS says its contact has "
        "not paid. Default: false.",
    )
    selfHeal: StrictBool = Field(
        default=False,
        description="`reconciler agent` applies git's state back when it finds this "
        "enterprise drifted live; without it the drift is reported (OutOfSync) and left. "
        "Default: false.",
    )
    changeWindows: tuple[ChangeWindow, ...] = Field(
        default=(),
        description="When plan and apply may change the enterprise: outside every window "
        "its changes are held back (not an error; --ignore-windows overrides). Default: "
        "none (any time).",
    )
    ignore: tuple[IgnoreRule, ...] = Field(
        default=(),
        description="Fields the live side owns, as kind.field (e.g. smsUser.userTag, "
        "mapping.name): never planned nor reported as drift; a change made for another "
        "field keeps the live value; a new object takes the manifest's. Default: none.",
        json_schema_extra=UNIQUE,
    )


# --- the registry ----------------------------------------------------------------------

CONNECTTOTEAMS: Final = "connecttoteams"  # the enterprise on ConnecttoTeams, its services
CONTEXTSMS: Final = "contextsms"  # the enterprise on ContextSMS
SMS_USER: Final = "smsUser"
SMS_GROUP: Final = "smsGroup"
MAPPING: Final = "mapping"
SYNC: Final = "sync"  # Teams' Unified App, synced after assignments change
NUMBER: Final = "number"  # drift only: numbers held live by someone the manifests do not name
CONFLICT: Final = "conflict"  # drift only: what stops a plan

# What a plan's change is about: an object kind, an enterprise's section, or the sync.
ChangeKind = Literal["connecttoteams", "contextsms", "smsUser", "smsGroup", "mapping", "sync"]
Essence = Callable[[Any], dict[str, Any]]


def user_essence(user: SmsUser) -> dict[str, Any]:
    return {
        "userId": user.userId,
        "numbers": sorted(set(user.numbers)),
        "email": user.address,
        "userTag": user.userTag,
        "userType": user.userType,
        "useCallingPhoneNumber": user.useCallingPhoneNumber,
    }


def group_essence(group: SmsGroup) -> dict[str, Any]:
    return {
        "name": group.name,
        "owner": group.owner,
        "numbers": sorted(set(group.numbers)),
        "members": sorted(set(group.members)),
    }


def mapping_essence(mapping: Mapping) -> dict[str, Any]:
    return {
        "phoneNumber": mapping.phoneNumber,
        "messagingAppType": mapping.messagingAppType,
        "messagingAppId": mapping.messagingAppId,
        "name": mapping.name,
    }


def connecttoteams_essence(section: ConnecttoTeamsEnterprise) -> dict[str, Any]:
    return {"enterpriseName": section.enterpriseName, "services": sorted(set(section.services))}


def contextsms_essence(section: ContextSmsEnterprise) -> dict[str, Any]:
    return {
        "cspId": section.cspId,
        "name": section.name,
        "contact": section.contact,
        "number": section.number,
        "email": section.email,
    }


@dataclasses.dataclass(frozen=True)
class Kind:
    """What one kind of object is. `field` names the `state.Enterprise` field holding its
    objects by identity (empty for an enterprise's sections and the sync); `essence`
    gives the fields a plan compares, defaults filled; `attributes`, the fields a create
    shows first, in order."""

    name: str
    label: str  # as people say it: "SMS user"
    order: int  # where its changes sort among an enterprise's of the same phase
    api: str = ""  # the vendor it lives on (reconciler.yaml's providers.<api>)
    model: type[Frozen] | None = None
    field: str = ""
    essence: Essence | None = None
    attributes: tuple[str, ...] = ()
    prunable: bool = False  # deleted when no manifest names it and policy.prune is on
    managed: bool = False  # counts toward policy.maxChangePercent
    holder: str = ""  # the inventory's assignee type when it holds numbers (USER...)
    after_failures: bool = False  # its change runs even when one it waits for failed
    identity: tuple[str, ...] = ()  # the fields that say which object it is

    @property
    def ignorable(self) -> tuple[str, ...]:
        """The fields `policy.ignore` may give to the live side: what a create shows,
        less the identity."""
        return tuple(f for f in self.attributes if f not in self.identity)

    def defaults(self, essence: dict[str, Any]) -> dict[str, Any]:
        """What each field of `essence` would be had the manifest not set it: the
        model's defaults, through the kind's own essence (so an email defaults to the
        userId). Fields without a default are left out."""
        if self.model is None or self.essence is None:
            return {}
        out: dict[str, Any] = {}
        for name, info in self.model.model_fields.items():
            if info.is_required() or name not in essence:
                continue
            unset = {**essence, name: info.get_default(call_default_factory=True)}
            out[name] = self.essence(self.model.model_construct(**unset))[name]
        return out


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            CONTEXTSMS,
            "ContextSMS enterprise",
            0,
            api="contextsms",
            model=ContextSmsEnterprise,
            essence=contextsms_essence,
            attributes=("cspId", "contact", "number", "email"),
            identity=("cspId", "name"),
        ),
        Kind(
            CONNECTTOTEAMS,
            "ConnecttoTeams enterprise",
            1,
            api="connecttoteams",
            model=ConnecttoTeamsEnterprise,
            essence=connecttoteams_essence,
            attributes=("services",),
            identity=("enterpriseName",),
        ),
        Kind(
            SMS_USER,
            "SMS user",
            2,
            api="connecttoteams",
            model=SmsUser,
            field="users",
            essence=user_essence,
            attributes=("numbers", "userTag", "email", "userType", "useCallingPhoneNumber"),
            identity=("userId",),
            prunable=True,
            managed=True,
            holder="USER",
        ),
        Kind(
            SMS_GROUP,
            "SMS group",
            3,
            api="connecttoteams",
            model=SmsGroup,
            field="groups",
            essence=group_essence,
            attributes=("owner", "numbers", "members"),
            identity=("name",),
            prunable=True,
            managed=True,
            holder="SMS_GROUP",
        ),
        Kind(
            MAPPING,
            "mapping",
            4,
            api="contextsms",
            model=Mapping,
            field="mappings",
            essence=mapping_essence,
            attributes=("messagingAppType", "messagingAppId", "name"),
            identity=("phoneNumber",),
            prunable=True,
            managed=True,
        ),
        Kind(SYNC, "Teams app", 5, api="connecttoteams", after_failures=True),
        Kind(NUMBER, "number", 6),
        Kind(CONFLICT, "conflict", 7),
    )
}
OBJECTS = tuple(k for k in KINDS.values() if k.field)  # users, groups, mappings
SECTIONS = (KINDS[CONTEXTSMS], KINDS[CONNECTTOTEAMS])  # an enterprise on each vendor
HOLDERS = {k.holder: k for k in KINDS.values() if k.holder}  # by inventory assignee type
