"""The manifest document format (apiVersion reconciler/v1, kind Enterprise).

These models are the schema: `schemas/manifest.schema.json` is generated from them,
and validation runs each YAML document through them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictStr
from pydantic.config import JsonDict

from reconciler.model import kinds, types

API_VERSION = "reconciler/v1"
KINDS = ("Enterprise",)


class Metadata(kinds.Frozen):
    name: types.Name = Field(description="Unique enterprise name, used by --enterprise and plans.")
    labels: dict[StrictStr, StrictStr] = Field(
        default_factory=dict, description="Free labels, matched by --selector key=value."
    )


class ManifestSmsGroup(kinds.SmsGroup):
    """An SMS group as a manifest writes it: the group, plus the names it had before."""

    renamedFrom: (
        Annotated[StrictStr, Field(min_length=1)]
        | tuple[Annotated[StrictStr, Field(min_length=1)], ...]
    ) = Field(
        default=(),
        description=(
            "The group's former name (or names). When live has a group of a former name and"
            " none of this name, apply renames it in place (same groupId, numbers and"
            " members) instead of deleting and creating it. Harmless once applied."
        ),
    )

    @property
    def former_names(self) -> tuple[str, ...]:
        return (self.renamedFrom,) if isinstance(self.renamedFrom, str) else self.renamedFrom

    def group(self) -> kinds.SmsGroup:
        return kinds.SmsGroup(
            name=self.name, owner=self.owner, numbers=self.numbers, members=self.members
        )


def _needs_sms(field: str) -> JsonDict:
    """JSON Schema: a non-empty `field` needs SMS in connecttoteams.services."""
    return {
        "if": {"required": [field], "properties": {field: {"minItems": 1}}},
        "then": {
            "required": ["connecttoteams"],
            "properties": {
                "connecttoteams": {
                    "type": "object",  # not null: `required` says nothing of a non-object
                    "required": ["services"],
                    "properties": {"services": {"contains": {"const": "SMS"}}},
                }
            },
        },
    }


class EnterpriseSpec(kinds.Frozen):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={"allOf": [_needs_sms("smsUsers"), _needs_sms("smsGroups")]},
    )

    connecttoteams: kinds.ConnecttoTeamsEnterprise | None = Field(
        default=None, description="The enterprise on ConnecttoTeams. Default: not managed there."
    )
    contextsms: kinds.ContextSmsEnterprise | None = Field(
        default=None, description="The enterprise on ContextSMS. Default: not managed there."
    )
    smsUsers: tuple[kinds.SmsUser, ...] = Field(
        default=(), description="Teams users with SMS, by userId (needs SMS in services)."
    )
    smsGroups: tuple[ManifestSmsGroup, ...] = Field(
        default=(), description="SMS groups, by name (needs SMS in services)."
    )
    mappings: tuple[kinds.Mapping, ...] = Field(
        default=(), description="ContextSMS number -> Teams app mappings, by phoneNumber."
    )
    policy: kinds.Policy = Field(
        default_factory=kinds.Policy,
        description="How the planner may treat the enterprise (prune, safety, payment).",
    )


class EnterpriseDocument(kinds.Frozen):
    """One enterprise: what it should look like on every platform."""

    model_config = kinds.Frozen.model_config | {"title": "reconciler manifest (Enterprise)"}

    apiVersion: Literal["reconciler/v1"] = Field(description="Always reconciler/v1.")
    kind: Literal["Enterprise"] = Field(description="Always Enterprise.")
    metadata: Metadata = Field(description="The enterprise's name and labels.")
    spec: EnterpriseSpec = Field(
        default_factory=EnterpriseSpec, description="What the enterprise should look like."
    )
