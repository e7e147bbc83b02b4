"""The manifest document format (apiVersion reconciler/v1, kind Enterprise).

These models are the schema: `schemas/manifest.schema.json` is generated from them,
and validation runs each YAML document through them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictStr

from reconciler.model import kinds, types

API_VERSION = "reconciler/v1"
KINDS = ("Enterprise",)


class Metadata(kinds.Frozen):
    name: types.Name = Field(description="Unique enterprise name, used by --enterprise and plans.")
    labels: dict[StrictStr, StrictStr] = Field(
        default_factory=dict, description="Free labels, matched by --selector key=value."
    )


class EnterpriseSpec(kinds.Frozen):
    connecttoteams: kinds.ConnecttoTeamsEnterprise | None = None
    contextsms: kinds.ContextSmsEnterprise | None = None
    smsUsers: tuple[kinds.SmsUser, ...] = ()
    smsGroups: tuple[kinds.SmsGroup, ...] = ()
    mappings: tuple[kinds.Mapping, ...] = ()
    policy: kinds.Policy = Field(default_factory=kinds.Policy)


class EnterpriseDocument(kinds.Frozen):
    """One enterprise: what it should look like on every platform."""

    model_config = kinds.Frozen.model_config | {"title": "reconciler manifest (Enterprise)"}

    apiVersion: Literal["reconciler/v1"]
    kind: Literal["Enterprise"]
    metadata: Metadata
    spec: EnterpriseSpec = Field(default_factory=EnterpriseSpec)
