"""The estate benchmark of issue 12: 200 enterprises x 25 users x 3 groups x 5 members on
a served sandbox at 20 ms per call, parallelism 8 (reported in the README, never asserted).

1. apply from scratch (the clock starts when the sandbox answers, not when it listens);
2. a no-op plan: its requests against the documented minimum, its read stage (median of
   three runs, as the run itself times it) against `ceil(reads / P) x 20 ms`, and the
   same reads replayed by a plain httpx client with P workers in the same run (time and
   CPU per call);
3. with the sandbox limiting ConnecttoTeams to 50 requests/s and no client limit, an
   apply that changes 6 users' tags per enterprise: the share of 429s and the time
   against `ConnecttoTeams requests / 50`.

    python bench/estate.py [--enterprises 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import pathlib
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx
import yaml

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import run
from generate import CARRIER, numbers, seed_of

OUT = run.WORK / "estate"  # the generated tree (results go to bench/out)
CLI = [sys.executable, "-m", "reconciler.cli"]
LATENCY_MS, P = run.LATENCY_MS, run.PARALLELISM
USERS, GROUPS, MEMBERS, LIMIT = 25, 3, 5, 50
READ_MARKERS = ("get", "oauth/token", "auth/login", "/csp/", "check-payment")


def generate(count: int) -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "enterprises").mkdir(parents=True)
    pool = numbers()
    seeded = []
    for e in range(count):
        users = [f"u{i:02d}@e{e:03d}.example.com" for i in range(USERS)]
        sms_users = [{"userId": u, "numbers": [next(pool)], "userTag": "t0"} for u in users]
        groups = [
            {
                "name": f"Group {g}",
                "owner": users[g],
                "numbers": [next(pool), next(pool)],
                "members": users[g * MEMBERS : (g + 1) * MEMBERS],
            }
            for g in range(GROUPS)
        ]
        mappings = [
            {
                "phoneNumber": g["numbers"][0],
                "messagingAppType": "Teams",
                "messagingAppId": f"19:e{e:03d}g{i}@thread.tacv2",
                "name": f"G{i}",
            }
            for i, g in enumerate(groups)
        ]
        manifest = {
            "apiVersion": "reconciler/v1",
            "kind": "Enterprise",
            "metadata": {"name": f"e{e:03d}"},
            "spec": {
                "connecttoteams": {"enterpriseName": f"E{e:03d}", "services": ["SMS"]},
                "contextsms": {
                    "cspId": "CSP0000003",
                    "name": f"E{e:03d}",
                    "contact": "Admin",
                    "number": "+12025550143",
                    "email": f"admin@e{e:03d}.example.com",
                },
                "smsUsers": sms_users,
                "smsGroups": groups,
                "mappings": mappings,
                "policy": {"maxChangePercent": 100},
            },
        }
        (OUT / "enterprises" / f"e{e:03d}.yaml").write_text(yaml.safe_dump(manifest))
        every = [n for u in sms_users for n in u["numbers"]] + [
            n for g in groups for n in g["numbers"]
        ]
        seeded.append(
            {
                "enterpriseId": 1000 + e,
                "enterpriseName": f"E{e:03d}",
                "resellerId": 54,
                "services": ["SMS"],
                "teamsUsers": users,
                "numbers": [
                    {
                        "number": n,
                        "sms": True,
                        "voice": False,
                        "fax": False,
                        "smsCarrierProfile": CARRIER,
                    }
                    for n in every
                ],
            }
        )
    seed = seed_of(seeded)
    (OUT / "seed.yaml").write_text(yaml.safe_dump(seed))


def serve() -> tuple[subprocess.Popen[str], str]:
    server, url = run.serve(OUT / "served.db", OUT / "seed.yaml")
    (OUT / "enterprises" / "reconciler.yaml").write_text(
        f"""providers:
  connecttoteams: {{url: {url}/connecttoteams, clientId: demo-client, clientSecret: demo-secret,
                   username: api-admin, password: demo-password, resellerId: 54}}
  contextsms: {{url: {url}/contextsms/api/v2, username: ops@csp.example, password: demo-password}}
apply:
  parallelism: {P}
  rateLimit: {{connecttoteams: null, contextsms: null, connectel: null}}
"""
    )
    return server, url


def log(url: str) -> list[dict[str, Any]]:
    return list(httpx.get(f"{url}/_sandbox/requests", timeout=60).json())


def clear(url: str) -> None:
    httpx.delete(f"{url}/_sandbox/requests", timeout=60)


def is_read(request: dict[str, Any]) -> bool:
    return request["method"] == "GET" or any(m in request["path"] for m in READ_MARKERS)


def run_cli(*args: str) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (user + sys) of the process, and its result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([*CLI, *args], cwd=OUT / "enterprises", capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


def read_stage() -> float:
    """Seconds of the read stage of a no-op run, as the run itself timed it: drift reads
    exactly what plan reads and reports its stages (`run.stages.read` of its JSON)."""
    _, _, drifted = run_cli("drift", "--format", "json", ".")
    assert drifted.returncode == 0, drifted.stdout[-2000:] + drifted.stderr[-2000:]
    return float(json.loads(drifted.stdout)["run"]["stages"]["read"])


async def replay(url: str, reads: list[dict[str, Any]]) -> tuple[float, float]:
    """The same reads with a plain httpx client and P workers: wall and CPU seconds."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        token = (
            await http.post(
                "/connecttoteams/oauth/token",
                auth=("demo-client", "demo-secret"),
                data={
                    "grant_type": "password",
                    "username": "api-admin",
                    "password": "demo-password",
                },
            )
        ).json()
        login = (
            await http.post(
                "/contextsms/api/v2/auth/login",
                json={"username": "ops@csp.example", "password": "demo-password"},
            )
        ).json()
        headers = {
            "connecttoteams": {"Authorization": f"Bearer {token['access_token']}"},
            "contextsms": {"Authorization": f"Bearer {login['accessToken']}"},
        }
        todo = [
            r for r in reads if "oauth/token" not in r["path"] and "auth/login" not in r["path"]
        ]
        queue = iter(todo)
        cpu0, start = time.process_time(), time.perf_counter()

        async def worker() -> None:
            for r in queue:
                body = (
                    json.loads(r["body"])
                    if isinstance(r["body"], str) and r["body"] not in ("", "null")
                    else r["body"]
                )
                # the log keeps paths without their query: the listing's is the reseller
                query = {"resellerId": 54} if "ForReseller" in r["path"] else None
                answer = await http.request(
                    r["method"], r["path"], json=body, params=query, headers=headers[r["api"]]
                )
                answer.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(P)))
        return time.perf_counter() - start, time.process_time() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200)
    args = parser.parse_args()
    generate(args.enterprises)
    server, url = serve()
    results: dict[str, Any] = {"enterprises": args.enterprises, "load": os.getloadavg()[0]}
    try:
        wall, _, applied = run_cli("apply", "--yes", ".")
        assert applied.returncode == 0, applied.stderr[-2000:]
        writes = [r for r in log(url) if not is_read(r)]
        minimum_writes = args.enterprises * (USERS * 2 + GROUPS * 3 + GROUPS + 1 + 1)
        results["apply"] = {
            "seconds": wall,
            "writes": len(writes),
            "minimum": minimum_writes,
            "bound_s": math.ceil(minimum_writes / P) * LATENCY_MS / 1000,
        }
        offline, _, _ = run_cli("validate", ".")  # start-up and loading, without the network
        clear(url)
        wall, cpu, planned = run_cli("plan", "--detailed-exitcode", ".")
        assert planned.returncode == 0, planned.stdout[-2000:] + planned.stderr[-2000:]
        reads = log(url)
        minimum = 1 + 1 + 4 * args.enterprises + 1 + 2
        logins = sum(1 for r in reads if r["path"].endswith(("oauth/token", "auth/login")))
        plain_wall, plain_cpu = asyncio.run(replay(url, reads))
        bound = math.ceil(len(reads) / P) * LATENCY_MS / 1000
        read_s = statistics.median(read_stage() for _ in range(3))
        results["no-op plan"] = {
            "requests": len(reads),
            "minimum": minimum,
            "logins": logins,
            "seconds": wall,
            "validate_s": offline,
            "online_s": wall - offline,
            "bound_s": bound,
            "online_ratio": (wall - offline) / bound,
            "read_s": read_s,
            "ratio": read_s / bound,
            "plain_client_s": plain_wall,
            "plain_ratio": plain_wall / bound,
            "cpu_ms_per_call": 1000 * cpu / len(reads),
            "plain_cpu_ms_per_call": 1000 * plain_cpu / max(1, len(reads) - logins),
        }
        for path in sorted((OUT / "enterprises").glob("e*.yaml")):
            path.write_text(re.sub(r"userTag: t0", "userTag: t1", path.read_text(), count=6))
        rule = {"route": "/connecttoteams/*", "latencyMs": LATENCY_MS, "rateLimitPerSecond": LIMIT}
        httpx.put(f"{url}/_sandbox/faults", json=[rule], timeout=30).raise_for_status()
        clear(url)
        wall, _, limited = run_cli("apply", "--yes", ".")
        assert limited.returncode == 0, limited.stderr[-2000:]
        c2t = [r for r in log(url) if r["path"].startswith("/connecttoteams/")]
        throttled = sum(1 for r in c2t if r["status"] == 429)
        results["apply under 50/s"] = {
            "c2t_requests": len(c2t),
            "answered_429": throttled,
            "share_429": throttled / len(c2t),
            "seconds": wall,
            "bound_s": (len(c2t) - throttled) / LIMIT,
            "ratio": wall / ((len(c2t) - throttled) / LIMIT),
        }
    finally:
        server.terminate()
        server.wait()
    run.OUT.mkdir(exist_ok=True)
    (run.OUT / "estate.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
