"""Generate the large enterprise of design §8: 5,000 SMS users, 500 groups of 20 members,
10,000 numbers, with a reconciler.yaml and a sandbox seed whose inventory holds every number.

    python bench/generate.py OUT_DIR [--users 5000 --groups 500 --members 20]
"""

from __future__ import annotations

import argparse
import pathlib
from collections.abc import Iterator

import phonenumbers
import yaml

CARRIER = "Bandwidth(BW for Testing) - (Demo Company)"


def numbers() -> Iterator[str]:
    """Distinct valid NANP numbers in Washington DC exchanges, deterministic."""
    for exchange in range(200, 1000):
        for line in range(0, 10000, 7):
            text = f"+1202{exchange:03d}{line:04d}"
            if phonenumbers.is_valid_number(phonenumbers.parse(text)):
                yield text


def seed_of(enterprises: list[dict[str, object]]) -> dict[str, object]:
    """A sandbox seed of these ConnecttoTeams enterprises, with the demo credentials and
    one CSP (CSP0000003) on ContextSMS."""
    return {
        "connecttoteams": {
            "clients": [{"clientId": "demo-client", "clientSecret": "demo-secret"}],
            "users": [{"username": "api-admin", "password": "demo-password", "resellerId": 54}],
            "enterprises": enterprises,
        },
        "contextsms": {
            "users": [
                {"username": "ops@csp.example", "password": "demo-password", "cspId": "CSP0000003"}
            ],
            "csps": [
                {
                    "cspUserId": "CSP0000003",
                    "name": "Demo CSP",
                    "email": "ops@csp.example",
                    "carrier": "BANDWIDTH",
                }
            ],
        },
        "connectel": {"tokens": [{"token": "demo-token"}]},
    }


def build(users: int, groups: int, members: int) -> tuple[dict[str, object], dict[str, object]]:
    pool = numbers()
    user_ids = [f"user{i:05d}@large.example.com" for i in range(users)]
    per_group = max(1, (2 * users - users) // max(groups, 1))  # 10,000 numbers in all
    sms_users = [
        {"userId": u, "numbers": [next(pool)], "userTag": f"team-{i % 50}"}
        for i, u in enumerate(user_ids)
    ]
    sms_groups = []
    mappings = []
    for g in range(groups):
        group_numbers = [next(pool) for _ in range(per_group)]
        sms_groups.append(
            {
                "name": f"Group {g:04d}",
                "owner": user_ids[g % users],
                "numbers": group_numbers,
                "members": [user_ids[(g * members + m) % users] for m in range(members)],
            }
        )
        mappings.append(
            {
                "phoneNumber": group_numbers[0],
                "messagingAppType": "Teams",
                "messagingAppId": f"19:group{g:04d}@thread.tacv2",
                "name": f"Group{g:04d}",
            }
        )
    manifest = {
        "apiVersion": "reconciler/v1",
        "kind": "Enterprise",
        "metadata": {"name": "large-enterprise", "labels": {"tier": "bench"}},
        "spec": {
            "connecttoteams": {"enterpriseName": "Large Enterprise", "services": ["PBX", "SMS"]},
            "contextsms": {
                "cspId": "CSP0000003",
                "name": "Large Enterprise",
                "contact": "Bench Admin",
                "number": "+12025550143",
                "email": "admin@large.example.com",
            },
            "smsUsers": sms_users,
            "smsGroups": sms_groups,
            "mappings": mappings,
            "policy": {"prune": False, "maxChangePercent": 100},
        },
    }
    every_number = [n for u in sms_users for n in u["numbers"]] + [  # type: ignore[attr-defined]
        n
        for g in sms_groups
        for n in g["numbers"]  # type: ignore[attr-defined]
    ]
    seed = seed_of(
        [
            {
                "enterpriseId": 1000,
                "enterpriseName": "Large Enterprise",
                "resellerId": 54,
                "services": ["PBX", "SMS"],
                "teamsUsers": user_ids,
                "numbers": [
                    {
                        "number": n,
                        "sms": True,
                        "voice": True,
                        "fax": False,
                        "voiceRouteType": "DIRECT_ROUTING",
                        "smsCarrierProfile": CARRIER,
                    }
                    for n in every_number
                ],
            }
        ]
    )
    return manifest, seed


CONFIG = """\
providers:
  connecttoteams: {url: sandbox, clientId: demo-client, clientSecret: demo-secret,
                   username: api-admin, password: demo-password, resellerId: 54}
  contextsms: {url: sandbox, username: ops@csp.example, password: demo-password}
  connectel: {url: sandbox, token: demo-token}
apply:
  parallelism: 8
  rateLimit: {connecttoteams: null, contextsms: null, connectel: null}
sandbox:
  seed: sandbox-seed.yaml
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--members", type=int, default=20)
    args = parser.parse_args()
    manifest, seed = build(args.users, args.groups, args.members)
    args.out.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(manifest, Dumper=dumper, sort_keys=False, width=120)
    (args.out / "large-enterprise.yaml").write_text(text)
    (args.out / "sandbox-seed.yaml").write_text(yaml.dump(seed, Dumper=dumper, sort_keys=False))
    (args.out / "reconciler.yaml").write_text(CONFIG)


if __name__ == "__main__":
    main()
