"""The object kinds of an enterprise, each with its identity key and its essence.

These classes are used verbatim in manifests (camelCase field names are the YAML keys)
and in the live State the providers build, so a converged tenant compares equal.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from reconciler.model import types


class Frozen(BaseModel):
    """Base of every model value: immutable, and a typo is an error, never ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


UserType = Literal["BU"]


class SmsUser(Frozen):
    """A Teams user with SMS enabled. Identity: `userId`."""

    userId: types.Email
    numbers: tuple[types.E164, ...] = ()
    email: types.Email | None = Field(
        default=None, description="Defaults to userId when not given."
    )
    userTag: StrictStr | None = None
    userType: StrictStr = "BU"
    useCallingPhoneNumber: StrictBool = False

    @property
    def identity(self) -> str:
        return self.userId


class SmsGroup(Frozen):
    """An SMS group sharing numbers among members. Identity: `name`."""

    name: Annotated[StrictStr, Field(min_length=1)]
    owner: types.Email
    numbers: tuple[types.E164, ...] = ()
    members: tuple[types.Email, ...] = ()

    @property
    def identity(self) -> str:
        return self.name


class Mapping(Frozen):
    """A ContextSMS number -> Teams app mapping. Identity: `phoneNumber`."""

    phoneNumber: types.E164
    messagingAppType: types.MessagingAppType = "Teams"
    messagingAppId: Annotated[StrictStr, Field(min_length=1)]
    name: Annotated[StrictStr, Field(min_length=1)]

    @property
    def identity(self) -> str:
        return self.phoneNumber


class ConnecttoTeamsEnterprise(Frozen):
    """The enterprise on ConnecttoTeams. Identity: `enterpriseName`; `enterpriseId` is a pin."""

    enterpriseName: Annotated[StrictStr, Field(min_length=1)]
    enterpriseId: StrictInt | None = None
    services: tuple[types.ServiceName, ...] = ()


class ContextSmsEnterprise(Frozen):
    """The enterprise on ContextSMS under a CSP. Identity: (`cspId`, `name`)."""

    cspId: Annotated[StrictStr, Field(pattern=r"^CSP[0-9]{7}$")]
    name: Annotated[StrictStr, Field(min_length=1)]
    enterpriseId: Annotated[StrictStr, Field(pattern=r"^E[0-9]{7}$")] | None = None
    contact: Annotated[StrictStr, Field(min_length=1)]  # required by POST /enterprise/{cspId}
    number: types.E164
    email: types.Email


class Policy(Frozen):
    """How the planner may treat this enterprise."""

    prune: StrictBool = False
    maxChangePercent: Annotated[StrictInt, Field(ge=0, le=100)] = 30
    requirePayment: StrictBool = False
