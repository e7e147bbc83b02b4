"""The seed file: the sandbox's starting state (format in the README, 'Sandbox')."""

from __future__ import annotations

import pathlib
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Client(_Seed):
    clientId: str
    clientSecret: str


class C2TUser(_Seed):
    username: str
    password: str
    resellerId: int


class SeedNumber(_Seed):
    id: int | None = None  # the DID id; kept by `reconciler sandbox clone`
    number: str
    sms: bool = True
    voice: bool = True
    fax: bool = False
    voiceRouteType: Literal["DIRECT_ROUTING", "EXTERNAL_TRUNK", "OPERATOR_CONNECT"] | None = None
    smsCarrierProfile: str | None = None
    # {"type": "USER", "id": userId} (with services ["SMS"]: the SMS user's number), or
    # {"type": "SMS_GROUP", "id": "<groupId>"}, or another holder ({"type": "TRUNK", ...}).
    assignedTo: dict[str, str] | None = None
    services: list[str] = Field(default_factory=list)  # e.g. ["PBX"], ["CALLAPP"], ["ET"]


class SeedSmsUser(_Seed):
    userId: str
    email: str | None = None
    enable: bool = True
    useCallingPhoneNumber: bool = False
    userType: str | None = "BU"
    userTag: str | None = None


class SeedGroup(_Seed):
    groupId: int
    groupName: str
    groupOwner: str
    enable: bool = True
    members: list[str] = Field(default_factory=list)


class SeedEnterprise(_Seed):
    enterpriseId: int
    enterpriseName: str
    resellerId: int
    services: list[Literal["PBX", "SMS", "CALLAPP"]] = Field(default_factory=list)
    teamsUsers: list[str] = Field(default_factory=list)
    numbers: list[SeedNumber] = Field(default_factory=list)
    appSynced: bool = True
    smsUsers: list[SeedSmsUser] = Field(default_factory=list)
    smsGroups: list[SeedGroup] = Field(default_factory=list)


class ConnecttoTeams(_Seed):
    clients: list[Client] = Field(default_factory=list)
    users: list[C2TUser] = Field(default_factory=list)
    tokenTtlSeconds: int = 3600
    enterprises: list[SeedEnterprise] = Field(default_factory=list)


class CsmsUser(_Seed):
    username: str
    password: str
    cspId: str


class Csp(_Seed):
    cspUserId: str
    name: str
    email: str | None = None
    carrier: str | None = None
    productName: str | None = None
    favicon: str | None = None
    logo: str | None = None
    color: str | None = None


class Payment(_Seed):
    email: str
    paid: bool
    subscriptionStatus: str = "active"


class SeedMapping(_Seed):
    numberToMessageAppMapId: str
    phoneNumber: str
    messagingAppType: str = "Teams"
    messagingAppId: str
    name: str | None = None


class CsmsEnterprise(_Seed):
    enterpriseId: str
    cspId: str
    name: str
    contact: str | None = None
    number: str | None = None
    email: str | None = None
    createdDate: int = 0  # epoch milliseconds
    mappings: list[SeedMapping] = Field(default_factory=list)


class ContextSms(_Seed):
    users: list[CsmsUser] = Field(default_factory=list)
    csps: list[Csp] = Field(default_factory=list)
    enterprises: list[CsmsEnterprise] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    stripeWebhookSecret: str = "whsec_sandbox"
    tokenTtlSeconds: int = 3600


class ConnectelToken(_Seed):
    token: str
    callbackUrl: str | None = None


class Connectel(_Seed):
    tokens: list[ConnectelToken] = Field(default_factory=list)
    deliveryDelaySeconds: float = 0
    rejectRecipients: list[str] = Field(default_factory=list)  # globs on the digits
    expireRecipients: list[str] = Field(default_factory=list)


class Seed(_Seed):
    connecttoteams: ConnecttoTeams = Field(default_factory=ConnecttoTeams)
    contextsms: ContextSms = Field(default_factory=ContextSms)
    connectel: Connectel = Field(default_factory=Connectel)


def load(path: pathlib.Path | None) -> Seed:
    """The seed at `path`, or an empty one."""
    if path is None:
        return Seed()
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Seed.model_validate(data)
