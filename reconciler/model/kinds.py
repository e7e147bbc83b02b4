"""The object kinds of an enterprise, each with its identity key and its essence.

These classes are used verbatim in manifests (camelCase field names are the YAML keys)
and in the live State the providers build, so a converged tenant compares equal.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from pydantic.config import JsonDict

from reconciler.model import types


class Frozen(BaseModel):
    """Base of every model value: immutable, and a typo is an error, never ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


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


class Policy(Frozen):
    """How the planner may treat this enterprise."""

    prune: StrictBool = Field(
        default=False,
        description="Delete live users, groups and mappings no manifest names. Default: "
        "false (they are reported as unmanaged and left alone).",
    )
    maxChangePercent: Annotated[StrictInt, Field(ge=0, le=100)] = Field(
        default=30,
        description="The plan fails (unless --force) when deletes and updates exceed this "
        "share of the enterprise's managed objects (with at least 10). Default: 30.",
    )
    requirePayment: StrictBool = Field(
        default=False,
        description="Hold the enterprise's changes while ContextSMS says its contact has "
        "not paid. Default: false.",
    )
