"""Compile resource changes into vendor calls: which operation, in which phase, with the
body wire/ builds. Every function returns a `Call`; ids not known before apply are
`{"$ref": ...}` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.model import kinds
from reconciler.plan import phases
from reconciler.plan.model import Call
from reconciler.wire import connecttoteams as c2t
from reconciler.wire import contextsms as csms
from reconciler.wire.endpoints import Endpoint


class Compiler:
    """Builds calls for one enterprise, given its ids (values or refs) and the endpoint map."""

    def __init__(
        self,
        endpoints: Mapping[str, Endpoint],
        enterprise_id: Any,
        csms_id: Any,
        reseller_id: int | None,
    ) -> None:
        self.endpoints = endpoints
        self.enterprise_id = enterprise_id
        self.csms_id = csms_id
        self.reseller_id = reseller_id

    def _c2t(self, operation: str, phase: int, body: Any = None, **params: Any) -> Call:
        return _call(c2t.API, self.endpoints[operation], operation, phase, body, params)

    def _csms(self, operation: str, phase: int, body: Any = None, **params: Any) -> Call:
        return _call(csms.API, csms.ENDPOINTS[operation], operation, phase, body, params)

    # --- enterprises ---------------------------------------------------------------------

    def new_enterprise(self, section: kinds.ConnecttoTeamsEnterprise, produces: str) -> Call:
        body = c2t.new_enterprise(section, self.reseller_id)
        call = self._c2t("newEnterprise", phases.CREATE_CONNECTTOTEAMS, body)
        return call.model_copy(update={"produces": {produces: "enterpriseId"}})

    def edit_enterprise(
        self, name: str, services: Iterable[str], settings: Mapping[str, Any]
    ) -> Call:
        body = c2t.edit_enterprise(self.enterprise_id, name, services, settings, self.reseller_id)
        return self._c2t("editEnterprise", phases.SERVICES, body)

    def new_csms_enterprise(self, section: kinds.ContextSmsEnterprise, produces: str) -> Call:
        body = csms.new_enterprise(section)
        call = self._csms("newEnterprise", phases.CREATE_CONTEXTSMS, body, cspId=section.cspId)
        return call.model_copy(update={"produces": {produces: "enterpriseId"}})

    # --- SMS users -----------------------------------------------------------------------

    def enable_user(self, user: kinds.SmsUser, enable: bool = True) -> Call:
        phase = phases.ENABLE_USERS if enable else phases.PRUNE
        return self._c2t("enableUser", phase, c2t.enable_user(self.enterprise_id, user, enable))

    def user_dids(self, user_id: str, did_ids: list[int], assigned: bool) -> Call:
        body = c2t.user_dids(self.enterprise_id, user_id, did_ids, assigned)
        phase = phases.ASSIGN_USER_NUMBERS if assigned else phases.UNASSIGN
        return self._c2t("userDids", phase, body)

    # --- SMS groups ----------------------------------------------------------------------

    def group(
        self,
        group: kinds.SmsGroup,
        group_id: Any,
        *,
        delete: bool = False,
        produces: str = "",
        name_old: str | None = None,
    ) -> Call:
        body = c2t.group(self.enterprise_id, group, group_id, delete, name_old)
        call = self._c2t("group", phases.PRUNE if delete else phases.GROUPS, body)
        return call.model_copy(update={"produces": {produces: "groupId"}}) if produces else call

    def group_dids(
        self, group: kinds.SmsGroup, group_id: Any, did_ids: list[int], assigned: bool
    ) -> Call:
        body = c2t.group_dids(self.enterprise_id, group, group_id, did_ids, assigned)
        phase = phases.GROUP_NUMBERS if assigned else phases.UNASSIGN
        return self._c2t("groupDids", phase, body)

    def members(self, group_id: Any, members: list[str], add: bool, phase: int = 0) -> Call:
        body = c2t.members(self.enterprise_id, group_id, members)
        return self._c2t("addMembers" if add else "removeMembers", phase or phases.MEMBERS, body)

    def sync(self) -> Call:
        return self._c2t("sync", phases.SYNC, None, enterpriseId=self.enterprise_id)

    # --- mappings ------------------------------------------------------------------------

    def add_mapping(self, mapping: kinds.Mapping) -> Call:
        body = csms.add_mapping(mapping)
        return self._csms("addMapping", phases.MAPPINGS_CREATE, body, enterpriseId=self.csms_id)

    def edit_mapping(self, mapping_id: str, messaging_app_id: str) -> Call:
        body = csms.edit_mapping(messaging_app_id)
        return self._csms("editMapping", phases.MAPPINGS_UPDATE, body, mappingId=mapping_id)

    def delete_mapping(self, mapping_id: str) -> Call:
        return self._csms("deleteMapping", phases.MAPPINGS_DELETE, mappingId=mapping_id)


def _call(
    api: str,
    endpoint: Endpoint,
    operation: str,
    phase: int,
    body: Any,
    params: dict[str, Any],
) -> Call:
    return Call(
        api=api,
        operation=operation,
        method=endpoint.method,
        path=endpoint.path,
        pathParams=params,
        body=body,
        phase=phase,
    )
