"""Contract tests of the sandbox's ConnecttoTeams API (shared/api/connecttoteams.md)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.unit.sandbox.conftest import BASIC, Api, FakeClock, c2t_token, did_ids, enable_sms

ALICE = "alice@sunshinedental.com"
MARIA = "maria@sunshinedental.com"


def error(answer: Any) -> tuple[int, str]:
    return answer.status_code, answer.json()["code"]


def add_user(c2t: Api, user: str = ALICE, enterprise_id: int = 78) -> Any:
    return c2t.post(
        "/sms/enableSMSServiceForUser",
        {
            "updatedBy": 12345,
            "userId": user,
            "email": user,
            "enterpriseId": enterprise_id,
            "enable": True,
            "useCallingPhoneNumber": False,
            "callingPhoneNumber": 0,
            "userType": "BU",
            "userTag": "optional-tag",
        },
    )


def new_group(c2t: Api, name: str = "Sales Group", owner: str = MARIA) -> Any:
    return c2t.post(
        "/sms/createSMSGroup",
        {
            "groupId": -1,
            "groupRef": None,
            "groupName": name,
            "groupOwner": owner,
            "enterpriseId": 78,
            "enable": True,
            "deleteGroup": False,
            "groupNameOld": None,
        },
    )


def synced(c2t: Api, enterprise_id: int = 78) -> bool:
    return bool(c2t.post(f"/sms/getEnterpriseSMSConfig/{enterprise_id}").json()["appSynced"])


class TestAuth:
    def test_password_grant_answers_oauth2_shape(self, client: TestClient) -> None:
        answer = client.post(
            "/connecttoteams/oauth/token",
            data={"grant_type": "password", "username": "api-admin", "password": "demo-password"},
            headers={"Authorization": BASIC},
        ).json()
        assert set(answer) == {"access_token", "token_type", "expires_in", "refresh_token"}
        assert answer["token_type"] == "bearer"
        assert answer["expires_in"] == 3600

    @pytest.mark.parametrize(
        ("basic", "password"),
        [("Basic ZGVtby1jbGllbnQ6d3Jvbmc=", "demo-password"), (BASIC, "wrong"), (None, "x")],
    )
    def test_bad_credentials_are_401(
        self, client: TestClient, basic: str | None, password: str
    ) -> None:
        headers = {"Authorization": basic} if basic else {}
        answer = client.post(
            "/connecttoteams/oauth/token",
            data={"grant_type": "password", "username": "api-admin", "password": password},
            headers=headers,
        )
        assert error(answer) == (401, "UNAUTHORIZED")

    def test_token_expires_and_refresh_gives_a_new_one(
        self, client: TestClient, clock: FakeClock
    ) -> None:
        answer = client.post(
            "/connecttoteams/oauth/token",
            data={"grant_type": "password", "username": "api-admin", "password": "demo-password"},
            headers={"Authorization": BASIC},
        ).json()
        api = Api(client, "/connecttoteams", answer["access_token"])
        assert api.post("/sms/getSMSUsers/78").status_code == 200
        clock.advance(3601)
        assert error(api.post("/sms/getSMSUsers/78")) == (401, "UNAUTHORIZED")
        refreshed = client.post(
            "/connecttoteams/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": answer["refresh_token"]},
            headers={"Authorization": BASIC},
        ).json()
        assert (
            Api(client, "/connecttoteams", refreshed["access_token"])
            .post("/sms/getSMSUsers/78")
            .status_code
            == 200
        )

    def test_missing_or_wrong_bearer(self, client: TestClient) -> None:
        assert error(client.post("/connecttoteams/sms/getSMSUsers/78")) == (401, "UNAUTHORIZED")
        assert error(Api(client, "/connecttoteams", "nope").post("/sms/getSMSUsers/78")) == (
            401,
            "UNAUTHORIZED",
        )

    def test_authenticated_user(self, client: TestClient) -> None:
        answer = client.put(
            "/connecttoteams/reseller/getAuthenticatedUser",
            content="api-admin",
            headers={"Authorization": f"Bearer {c2t_token(client)}"},
        )
        assert answer.json() == {"username": "api-admin", "type": "RESELLER", "resellerId": 54}


class TestEnterprises:
    def test_list_create_edit(self, c2t: Api) -> None:
        listed = c2t.get("/reseller/v3/getEnterprisesForReseller", resellerId=54).json()
        assert listed["recordsTotal"] == 2
        assert listed["data"][0] == {
            "enterpriseId": 78,
            "enterpriseName": "Sunshine Dental",
            "services": ["PBX"],
            "allowExternalNumbers": False,
            "restrictAdminAccess": False,
            "userLimit": None,
        }
        created = c2t.post(
            "/reseller/newEnterprise",
            {
                "enterpriseName": "Acme",
                "resellerId": 54,
                "services": ["PBX", "SMS"],
                "allowExternalNumbers": False,
                "restrictAdminAccess": True,
                "userLimit": 10,
            },
        ).json()
        assert created == {"enterpriseId": 80, "enterpriseName": "Acme", "services": ["PBX", "SMS"]}
        edited = c2t.post(
            "/reseller/editEnterprise",
            {"enterpriseId": 80, "enterpriseName": "Acme", "resellerId": 54, "services": ["SMS"]},
        ).json()
        assert edited["services"] == ["SMS"]

    @pytest.mark.parametrize(
        ("services", "message"),
        [(["FAX"], "unknown value 'FAX'"), (["CALLAPP"], "CALLAPP needs PBX")],
    )
    def test_bad_services(self, c2t: Api, services: list[str], message: str) -> None:
        answer = c2t.post(
            "/reseller/newEnterprise",
            {"enterpriseName": "X", "resellerId": 54, "services": services},
        )
        assert error(answer) == (400, "BAD_REQUEST")
        assert message in answer.json()["error"]

    def test_unknown_enterprise_is_404(self, c2t: Api) -> None:
        assert error(c2t.post("/sms/getSMSUsers/999")) == (404, "NOT_FOUND")
        body = {"enterpriseId": 999, "enterpriseName": "X", "resellerId": 54, "services": []}
        assert error(c2t.post("/reseller/editEnterprise", body)) == (404, "NOT_FOUND")

    def test_missing_field_is_400_naming_it(self, c2t: Api) -> None:
        answer = c2t.post("/reseller/newEnterprise", {"resellerId": 54})
        assert answer.json() == {
            "error": "Missing required field 'enterpriseName'",
            "code": "BAD_REQUEST",
        }


class TestSmsUsers:
    def test_sms_needs_the_service(self, c2t: Api) -> None:
        assert error(add_user(c2t)) == (409, "SERVICE_NOT_ENABLED")
        assert c2t.post("/sms/getEnterpriseSMSConfig/78").json()["enabled"] is False

    def test_enable_assign_read(self, c2t: Api) -> None:
        enable_sms(c2t)
        assert add_user(c2t).status_code == 200
        ids = did_ids(c2t, 78)
        answer = c2t.post(
            "/sms/addSMSDidsForUser",
            {
                "updatedBy": 12345,
                "enterpriseId": 78,
                "userId": ALICE,
                "assigned": True,
                "smsDID": [str(ids["+12025550101"]), str(ids["+12025550102"])],
            },
        )
        assert answer.status_code == 200
        assert answer.content == b""
        assert c2t.post("/sms/getSMSUsers/78").json() == [
            {
                "userId": ALICE,
                "email": ALICE,
                "enable": True,
                "useCallingPhoneNumber": False,
                "callingPhoneNumber": 0,
                "userType": "BU",
                "userTag": "optional-tag",
                "dids": [
                    {"id": ids["+12025550101"], "did": "2025550101"},
                    {"id": ids["+12025550102"], "did": "2025550102"},
                ],
            }
        ]
        config = c2t.post("/sms/getEnterpriseSMSConfig/78").json()
        assert {
            "id": ids["+12025550101"],
            "did": "2025550101",
            "assigned": True,
            "connected": True,
        } in config["dids"]
        assert config["appSynced"] is False

    def test_user_not_in_scope(self, c2t: Api) -> None:
        enable_sms(c2t)
        assert error(add_user(c2t, "mallory@evil.example")) == (404, "USER_NOT_IN_SCOPE")

    @pytest.mark.parametrize(
        ("number", "code"),
        [("+12025550130", "DID_NOT_SMS_CAPABLE"), ("+12025550131", "DID_NO_CARRIER_PROFILE")],
    )
    def test_number_preconditions(self, c2t: Api, number: str, code: str) -> None:
        enable_sms(c2t)
        add_user(c2t)
        numbers = c2t.post("/enterprise/getPhoneNumbers/78").json()
        [did] = [n["id"] for n in numbers if "+1" + n["phoneNumber"] == number]
        answer = c2t.post(
            "/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": ALICE, "smsDID": [str(did)]}
        )
        assert error(answer) == (409, code)

    def test_did_of_another_enterprise_is_not_in_inventory(self, c2t: Api) -> None:
        enable_sms(c2t)
        add_user(c2t)
        foreign = did_ids(c2t, 79)["+12025550150"]
        answer = c2t.post(
            "/sms/addSMSDidsForUser",
            {"enterpriseId": 78, "userId": ALICE, "smsDID": [str(foreign)]},
        )
        assert error(answer) == (404, "NOT_FOUND")
        assert "not in the inventory of enterprise 78" in answer.json()["error"]

    def test_one_assignee_per_number(self, c2t: Api) -> None:
        enable_sms(c2t)
        add_user(c2t)
        add_user(c2t, "bob@sunshinedental.com")
        did = str(did_ids(c2t, 78)["+12025550101"])
        assert (
            c2t.post(
                "/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": ALICE, "smsDID": [did]}
            ).status_code
            == 200
        )
        again = c2t.post(
            "/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": ALICE, "smsDID": [did]}
        )
        assert again.status_code == 200  # idempotent for the same holder
        answer = c2t.post(
            "/sms/addSMSDidsForUser",
            {"enterpriseId": 78, "userId": "bob@sunshinedental.com", "smsDID": [did]},
        )
        assert error(answer) == (409, "DID_ALREADY_ASSIGNED")
        assert f"assigned to user {ALICE}" in answer.json()["error"]

    def test_unassign_and_disable(self, c2t: Api) -> None:
        enable_sms(c2t)
        add_user(c2t)
        did = str(did_ids(c2t, 78)["+12025550101"])
        c2t.post("/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": ALICE, "smsDID": [did]})
        c2t.post(f"/enterprise/syncUnifiedApp/{78}")
        assert synced(c2t)
        c2t.post(
            "/sms/addSMSDidsForUser",
            {"enterpriseId": 78, "userId": ALICE, "assigned": False, "smsDID": [did]},
        )
        assert c2t.post("/sms/getSMSUsers/78").json()[0]["dids"] == []
        assert not synced(c2t)
        c2t.post("/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": ALICE, "smsDID": [did]})
        body = {"userId": ALICE, "enterpriseId": 78, "enable": False}
        assert c2t.post("/sms/enableSMSServiceForUser", body).status_code == 200
        [user] = c2t.post("/sms/getSMSUsers/78").json()
        assert (user["enable"], user["dids"]) == (False, [])

    def test_bad_did_ids(self, c2t: Api) -> None:
        enable_sms(c2t)
        add_user(c2t)
        answer = c2t.post(
            "/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": ALICE, "smsDID": ["12a"]}
        )
        assert error(answer) == (400, "BAD_REQUEST")


class TestGroups:
    def test_sample_create_answer(self, c2t: Api) -> None:
        enable_sms(c2t)
        assert new_group(c2t).json() == {
            "groupId": 191,
            "groupRef": None,
            "groupName": "Sales Group",
            "groupOwner": MARIA,
            "enterpriseId": 78,
            "enterpriseRef": None,
            "app_sync": True,
            "enable": True,
            "dids": None,
            "members": None,
        }

    def test_duplicate_name(self, c2t: Api) -> None:
        enable_sms(c2t)
        new_group(c2t)
        assert error(new_group(c2t)) == (409, "DUPLICATE_GROUP_NAME")

    def test_dids_members_read_rename_delete(self, c2t: Api) -> None:
        enable_sms(c2t)
        group_id = new_group(c2t).json()["groupId"]
        ids = did_ids(c2t, 78)
        dids = [str(ids["+12025550110"]), str(ids["+12025550111"])]
        answer = c2t.post(
            "/sms/assignSMSDidsForGroup",
            {
                "assigned": True,
                "updatedBy": -1,
                "enterpriseId": 78,
                "groupId": group_id,
                "groupRef": None,
                "groupName": None,
                "groupOwner": None,
                "enterpriseRef": None,
                "smsDID": dids,
            },
        )
        assert answer.status_code == 200
        members = {"groupId": group_id, "enterpriseId": 78, "smsMembers": [ALICE, MARIA]}
        assert c2t.post("/sms/addSMSMembersForGroup", members).status_code == 200
        remove = {"groupId": group_id, "enterpriseId": 78, "smsMembers": [MARIA]}
        assert c2t.post("/sms/removeSMSMembersForGroup", remove).status_code == 200
        [group] = c2t.post("/sms/getSMSGroups/78").json()
        assert group == {
            "groupId": group_id,
            "groupRef": None,
            "groupName": "Sales Group",
            "groupOwner": MARIA,
            "enterpriseId": 78,
            "enable": True,
            "dids": [
                {"id": ids["+12025550110"], "did": "2025550110"},
                {"id": ids["+12025550111"], "did": "2025550111"},
            ],
            "members": [ALICE],
        }
        rename = {
            "groupId": group_id,
            "groupName": "Sales",
            "groupOwner": MARIA,
            "enterpriseId": 78,
            "groupNameOld": None,
        }
        refused = c2t.post("/sms/createSMSGroup", rename)
        assert (refused.status_code, refused.json()) == (
            400,
            {
                "error": f"renaming SMS group {group_id} ('Sales Group') to 'Sales' needs"
                " groupNameOld = 'Sales Group'; got None",
                "code": "BAD_REQUEST",
            },
        )
        renamed = c2t.post("/sms/createSMSGroup", rename | {"groupNameOld": "Sales Group"}).json()
        assert (renamed["groupId"], renamed["groupName"], renamed["members"]) == (
            group_id,
            "Sales",
            [ALICE],
        )
        assert [d["id"] for d in renamed["dids"]] == [
            ids["+12025550110"],
            ids["+12025550111"],
        ]
        c2t.post("/enterprise/syncUnifiedApp/78")
        deleted = c2t.post(
            "/sms/createSMSGroup", {"groupId": group_id, "enterpriseId": 78, "deleteGroup": True}
        )
        assert deleted.status_code == 200
        assert c2t.post("/sms/getSMSGroups/78").json() == []
        assert not synced(c2t)
        numbers = c2t.post("/enterprise/getPhoneNumbers/78").json()
        assert all(n["assignedTo"] is None for n in numbers if n["id"] in map(int, dids))

    def test_member_not_in_scope_and_unknown_group(self, c2t: Api) -> None:
        enable_sms(c2t)
        group_id = new_group(c2t).json()["groupId"]
        answer = c2t.post(
            "/sms/addSMSMembersForGroup",
            {"groupId": group_id, "enterpriseId": 78, "smsMembers": ["x@y.com"]},
        )
        assert error(answer) == (404, "USER_NOT_IN_SCOPE")
        answer = c2t.post(
            "/sms/addSMSMembersForGroup", {"groupId": 5, "enterpriseId": 78, "smsMembers": [ALICE]}
        )
        assert error(answer) == (404, "NOT_FOUND")

    def test_owner_not_in_scope(self, c2t: Api) -> None:
        enable_sms(c2t)
        assert error(new_group(c2t, owner="x@y.com")) == (404, "USER_NOT_IN_SCOPE")

    def test_number_held_by_user_cannot_go_to_group(self, c2t: Api) -> None:
        enable_sms(c2t)
        add_user(c2t)
        did = str(did_ids(c2t, 78)["+12025550101"])
        c2t.post("/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": ALICE, "smsDID": [did]})
        group_id = new_group(c2t).json()["groupId"]
        answer = c2t.post(
            "/sms/assignSMSDidsForGroup", {"enterpriseId": 78, "groupId": group_id, "smsDID": [did]}
        )
        assert error(answer) == (409, "DID_ALREADY_ASSIGNED")


class TestInventoryAndSync:
    def test_phone_numbers_shape(self, c2t: Api) -> None:
        numbers = c2t.post("/enterprise/getPhoneNumbers/78").json()
        by_number = {n["phoneNumber"]: n for n in numbers}
        first = by_number["2025550101"]
        assert first == {
            "id": first["id"],
            "countryCode": "1",
            "phoneNumber": "2025550101",
            "voice": True,
            "sms": True,
            "fax": False,
            "voiceRouteType": "DIRECT_ROUTING",
            "smsCarrierProfile": "Bandwidth(BW for Testing) - (Demo Company)",
            "assignedTo": None,
            "services": [],
        }
        assert by_number["2025550132"]["voiceRouteType"] == "EXTERNAL_TRUNK"

    def test_sms_config_lists_only_sms_capable(self, c2t: Api) -> None:
        config = c2t.post("/sms/getEnterpriseSMSConfig/78").json()
        dids = {d["did"] for d in config["dids"]}
        assert "2025550130" not in dids  # voice only
        assert "2025550131" in dids
        assert set(config) == {"enterpriseId", "enabled", "dids", "appSynced", "templatesEnabled"}

    def test_sync_sets_app_synced(self, c2t: Api) -> None:
        enable_sms(c2t)
        add_user(c2t)
        did = str(did_ids(c2t, 78)["+12025550101"])
        c2t.post("/sms/addSMSDidsForUser", {"enterpriseId": 78, "userId": ALICE, "smsDID": [did]})
        assert not synced(c2t)
        answer = c2t.post("/enterprise/syncUnifiedApp/78")
        assert (answer.status_code, answer.content) == (200, b"")
        assert synced(c2t)
