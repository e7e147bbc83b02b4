"""The vendor endpoint maps: the ONE table of paths per API, by operation name.

Data only: the providers send requests with it and the planner compiles changes into
calls with it, so a plan shows exactly the paths that apply will use.

Assumed paths (the vendor's public docs do not show them) can be overridden from
reconciler.yaml (`providers.connecttoteams.endpoints`), as `"/new/path/{enterpriseId}"`
or `"POST /new/path/{enterpriseId}"`, so a deployment with the vendor's full reference
corrects them without code changes.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Mapping
from typing import Any

from reconciler.errors import ConfigError


@dataclasses.dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    documented: bool

    def format(self, **values: Any) -> str:
        return self.path.format(**values)

    def placeholders(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.path) if name}


ENDPOINTS: dict[str, Endpoint] = {
    "token": Endpoint("POST", "/oauth/token", True),
    "authenticatedUser": Endpoint("PUT", "/reseller/getAuthenticatedUser", True),
    "newEnterprise": Endpoint("POST", "/reseller/newEnterprise", True),
    "listEnterprises": Endpoint("GET", "/reseller/v3/getEnterprisesForReseller", False),
    "editEnterprise": Endpoint("POST", "/reseller/editEnterprise", False),
    "smsConfig": Endpoint("POST", "/sms/getEnterpriseSMSConfig/{enterpriseId}", True),
    "enableUser": Endpoint("POST", "/sms/enableSMSServiceForUser", True),
    "userDids": Endpoint("POST", "/sms/addSMSDidsForUser", True),
    "group": Endpoint("POST", "/sms/createSMSGroup", True),
    "groupDids": Endpoint("POST", "/sms/assignSMSDidsForGroup", True),
    "addMembers": Endpoint("POST", "/sms/addSMSMembersForGroup", True),
    "removeMembers": Endpoint("POST", "/sms/removeSMSMembersForGroup", False),
    "listUsers": Endpoint("POST", "/sms/getSMSUsers/{enterpriseId}", False),
    "listGroups": Endpoint("POST", "/sms/getSMSGroups/{enterpriseId}", False),
    "sync": Endpoint("POST", "/enterprise/syncUnifiedApp/{enterpriseId}", False),
    "phoneNumbers": Endpoint("POST", "/enterprise/getPhoneNumbers/{enterpriseId}", False),
}

_OVERRIDE = re.compile(r"^(?:(GET|POST|PUT|DELETE|PATCH)\s+)?(/\S*)$")


CONTEXTSMS: dict[str, Endpoint] = {
    "login": Endpoint("POST", "/auth/login", True),
    "refresh": Endpoint("POST", "/auth/getaccesstoken", True),
    "newEnterprise": Endpoint("POST", "/enterprise/{cspId}", True),
    "getEnterprise": Endpoint("GET", "/enterprise/getenterprise/{enterpriseId}", True),
    "listEnterprises": Endpoint("GET", "/csp/enterprises/{cspId}", True),
    "addMapping": Endpoint("POST", "/mapping/add/{enterpriseId}", True),
    "listMappings": Endpoint("GET", "/numbertomessageappmapping/enterprise/{enterpriseId}", True),
    "editMapping": Endpoint("PUT", "/mapping/{mappingId}", True),
    "deleteMapping": Endpoint("DELETE", "/mapping/{mappingId}", True),
    "checkPayment": Endpoint("POST", "/stripe/check-payment", True),
}


def resolve(overrides: Mapping[str, str], where: str = "reconciler.yaml") -> dict[str, Endpoint]:
    """The endpoint map with `overrides` applied; an unknown name or bad path is an error."""
    table = dict(ENDPOINTS)
    for name, value in overrides.items():
        if name not in table:
            known = ", ".join(sorted(ENDPOINTS))
            raise ConfigError(
                f"{where}: providers.connecttoteams.endpoints.{name}: unknown operation; "
                f"expected one of {known}"
            )
        match = _OVERRIDE.match(value.strip())
        if not match:
            raise ConfigError(
                f"{where}: providers.connecttoteams.endpoints.{name}: {value!r} is not "
                "'/path' or 'METHOD /path'"
            )
        endpoint = Endpoint(match.group(1) or table[name].method, match.group(2), False)
        if endpoint.placeholders() != table[name].placeholders():
            wanted = ", ".join("{" + p + "}" for p in sorted(table[name].placeholders())) or "none"
            raise ConfigError(
                f"{where}: providers.connecttoteams.endpoints.{name}: the path must use the "
                f"placeholders {wanted}"
            )
        table[name] = endpoint
    return table
