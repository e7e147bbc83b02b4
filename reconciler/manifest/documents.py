"""The manifest document format (apiVersion reconciler/v1, kind Enterprise).

These models are the schema: `schemas/manifest.schema.json` is generated from them,
and validation runs each YAML document through them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictStr

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


class EnterpriseSpec(kinds.Frozen):
    connecttoteams: kinds.ConnecttoTeamsEnterprise | None = None
    contextsms: kinds.ContextSmsEnterprise | None = None
    smsUsers: tuple[kinds.SmsUser, ...] = ()
    smsGroups: tuple[ManifestSmsGroup, ...] = ()
    mappings: tuple[kinds.Mapping, ...] = ()
    policy: kinds.Policy = Field(default_factory=kinds.Policy)


class EnterpriseDocument(kinds.Frozen):
    """One enterprise: what it should look like on every platform."""

    model_config = kinds.Frozen.model_config | {"title": "reconciler manifest (Enterprise)"}

    apiVersion: Literal["reconciler/v1"]
    kind: Literal["Enterprise"]
    metadata: Metadata
    spec: EnterpriseSpec = Field(default_factory=EnterpriseSpec)
