"""The estate benchmark of issues 12 and 25: N enterprises (200 unless told) x 25 users
x 3 groups x 5 members on a served sandbox at 20 ms per call, parallelism 8 per API
(reported in the README, never asserted).

1. apply from scratch, the whole command (the clock starts when the sandbox answers, not
   when it listens): against `ceil(writes / P) x 20 ms`, against the same bound on every
   request it needs (per API: its writes, and its reads before and after them), and
   against a plain httpx client making as many requests; CPU per call of both processes;
2. a no-op plan: its requests against the documented minimum, its read stage (median of
   three runs, as the run itself times it) against `ceil(reads / P) x 20 ms`, the same
   reads replayed by a plain httpx client after each of them (time and CPU per call),
   and the plan's peak memory;
3. with the sandbox limiting ConnecttoTeams to 50 requests/s and no client limit, an
   apply that changes 6 users' tags per enterprise: the share of 429s and the time
   against `ConnecttoTeams requests / 50`.

    python bench/estate.py [--enterprises 200] [--rows apply,no-op,limited]

Results go to bench/out/estate-N.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def run_cli(*args: str) -> tuple[float, float, subprocess.CompletedProcess[str], float]:
    """Wall seconds, CPU seconds (user + sys) and peak resident MB of the process, and its
    result."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen([*CLI, *args], cwd=OUT / "enterprises", stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        result = subprocess.CompletedProcess([*CLI, *args], code, out.read(), err.read())
    return wall, usage.ru_utime + usage.ru_stime, result, usage.ru_maxrss / 1024


def cpu_of(pid: int) -> float:
    """CPU seconds (user + sys) a running process has used so far."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def latency(url: str, ms: float) -> None:
    """Every route of the sandbox at `ms` per call (and no other fault)."""
    rules = [{"route": "/*", "latencyMs": ms}] if ms else []
    httpx.put(f"{url}/_sandbox/faults", json=rules, timeout=30).raise_for_status()


def read_stage() -> tuple[float, float]:
    """Seconds and CPU seconds of the read stage of a no-op run, as the run itself timed
    them: drift reads exactly what plan reads and reports its stages (`run.stages.read`
    and `run.cpu.read` of its JSON)."""
    _, _, drifted, _ = run_cli("drift", "--format", "json", ".")
    assert drifted.returncode == 0, drifted.stdout[-2000:] + drifted.stderr[-2000:]
    run = json.loads(drifted.stdout)["run"]
    return float(run["stages"]["read"]), float(run["cpu"]["read"])


async def replay(url: str, reads: list[dict[str, Any]]) -> tuple[float, float]:
    """The same requests with a plain httpx client, P workers per API, each answer parsed:
    wall and CPU seconds."""
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
        queues = {api: iter([r for r in todo if r["api"] == api]) for api in headers}
        cpu0, start = time.process_time(), time.perf_counter()

        async def worker(api: str) -> None:
            for r in queues[api]:
                body = (
                    json.loads(r["body"])
                    if isinstance(r["body"], str) and r["body"] not in ("", "null")
                    else r["body"]
                )
                # the log keeps paths without their query: the listing's is the reseller
                query = {"resellerId": 54} if "ForReseller" in r["path"] else None
                answer = await http.request(
                    r["method"], r["path"], json=body, params=query, headers=headers[api]
                )
                answer.raise_for_status()
                answer.json()  # a client that reads parses what it read

        # P in flight per API, as the reconciler's session allows
        await asyncio.gather(*(worker(api) for api in queues for _ in range(P)))
        return time.perf_counter() - start, time.process_time() - cpu0


def floor(url: str, made: list[dict[str, Any]]) -> tuple[float, float]:
    """What the apply's requests cost a plain httpx client (P workers per API, no
    planning, no bookkeeping): as many requests per API as the apply made, each a small
    read of that API logged during the apply (its answers are as small as a write's).
    The sandbox holds every answer for its latency, a write's as a read's."""
    probe = {
        "connecttoteams": next(r for r in made if "getEnterpriseSMSConfig" in r["path"]),
        "contextsms": next(r for r in made if "check-payment" in r["path"]),
    }
    same = [probe[r["api"]] for r in made if r["api"] in probe and not _login(r)]
    return asyncio.run(replay(url, same))


def _login(request: dict[str, Any]) -> bool:
    return request["path"].endswith(("oauth/token", "auth/login"))


def per_api_bound(requests: list[dict[str, Any]]) -> float:
    """`ceil(requests / P) x latency` for the API with the most (P in flight per API)."""
    count: dict[str, int] = {}
    for r in requests:
        count[r["api"]] = count.get(r["api"], 0) + 1
    return max(math.ceil(n / P) for n in count.values()) * LATENCY_MS / 1000


def bench_apply(url: str, enterprises: int, sandbox: int) -> dict[str, Any]:
    """Apply from scratch: the whole command against the bound on its writes, against the
    bound on every request it needs (its writes, its reads before and after, one per API
    at a time: the twin looks and logins left out) and against a plain client making as
    many requests."""
    clear(url)
    served = cpu_of(sandbox)
    wall, cpu, applied, peak = run_cli("apply", "--yes", "--json", ".")
    served = cpu_of(sandbox) - served
    assert applied.returncode == 0, applied.stderr[-2000:]
    run_info = json.loads(applied.stdout.splitlines()[-1])["run"]
    made = log(url)
    writes = [r for r in made if not is_read(r)]
    # the twin rule's looks: the reseller's ContextSMS listing, read again after creates
    listings = [r for r in made if "/csp/enterprises/" in r["path"]]
    looks = {r["seq"] for r in listings[1:]}
    needed = [r for r in made if not _login(r) and r["seq"] not in looks]
    minimum_writes = enterprises * (USERS * 2 + GROUPS * 3 + GROUPS + 1 + 1)
    writes_bound = math.ceil(minimum_writes / P) * LATENCY_MS / 1000
    bound = per_api_bound(needed)
    plain_wall, plain_cpu = floor(url, made)
    return {
        "seconds": wall,
        "stages": run_info["stages"],
        "writes": len(writes),
        "minimum": minimum_writes,
        "bound_s": writes_bound,
        "ratio": wall / writes_bound,
        "requests": len(made),
        "twin_looks": len(listings) - 1,
        "requests_bound_s": bound,
        "requests_ratio": wall / bound,
        "plain_client_s": plain_wall,
        "plain_ratio": plain_wall / bound,
        "versus_plain": wall / plain_wall,
        "cpu_ms_per_call": 1000 * cpu / len(made),
        # the apply stage's own CPU (as the run measured it) for what it sends: the writes
        # and the twin looks
        "apply_stage_cpu_ms_per_call": 1000 * run_info["cpu"]["apply"] / (len(writes) + len(looks)),
        "plain_cpu_ms_per_call": 1000 * plain_cpu / len([r for r in made if not _login(r)]),
        "sandbox_cpu_ms_per_call": 1000 * served / len(made),
        "peak_mb": peak,
    }


def bench_noop(url: str, enterprises: int) -> dict[str, Any]:
    """A no-op plan: its requests against the documented minimum, its read stage against
    `ceil(reads / P) x latency`, its CPU per call and memory, and a plain client's."""
    # start-up and loading, without the network: the median of 5 validates
    offline, offline_cpu, _, _ = sorted(run_cli("validate", ".") for _ in range(5))[2]
    clear(url)
    wall, cpu, planned, peak = run_cli("plan", "--detailed-exitcode", ".")
    assert planned.returncode == 0, planned.stdout[-2000:] + planned.stderr[-2000:]
    reads = log(url)
    minimum = 1 + 1 + 4 * enterprises + 1 + 2
    logins = sum(1 for r in reads if _login(r))
    bound = math.ceil(len(reads) / P) * LATENCY_MS / 1000
    # three rounds, each the run's read stage then the plain client's replay of the same
    # reads, so that both meet the machine in the same state (its speed drifts by a fifth
    # within minutes); the medians, and the median of each round's CPU ratio
    rounds = []
    for _ in range(3):
        read_s, read_cpu = read_stage()
        plain_wall, plain_cpu = asyncio.run(replay(url, reads))
        ours = 1000 * read_cpu / len(reads)
        plain = 1000 * plain_cpu / max(1, len(reads) - logins)
        rounds.append((read_s, plain_wall, ours, plain, ours / plain))
    columns = zip(*rounds, strict=True)
    read_s, plain_wall, ours, plain, cpu_ratio = (statistics.median(x) for x in columns)
    return {
        "requests": len(reads),
        "minimum": minimum,
        "logins": logins,
        "seconds": wall,
        "peak_mb": peak,
        "validate_s": offline,
        "online_s": wall - offline,
        "bound_s": bound,
        "online_ratio": (wall - offline) / bound,
        "read_s": read_s,
        "ratio": read_s / bound,
        "plain_client_s": plain_wall,
        "plain_ratio": plain_wall / bound,
        "cpu_ms_per_call": 1000 * cpu / len(reads),
        # the plan process's CPU less what start-up and loading take (validate's)
        "online_cpu_ms_per_call": 1000 * (cpu - offline_cpu) / len(reads),
        # the read stage's own, as the run measured it (drift's `run.cpu.read`)
        "read_cpu_ms_per_call": ours,
        "plain_cpu_ms_per_call": plain,
        "read_cpu_ratio": cpu_ratio,
        "rounds": [[round(x, 3) for x in r] for r in rounds],
    }


def bench_limited(url: str) -> dict[str, Any]:
    """With the sandbox limiting ConnecttoTeams to LIMIT requests/s and no client limit,
    an apply that retags 6 users per enterprise: the share of 429s and the time."""
    for path in sorted((OUT / "enterprises").glob("e*.yaml")):
        path.write_text(re.sub(r"userTag: t0", "userTag: t1", path.read_text(), count=6))
    rule = {"route": "/connecttoteams/*", "latencyMs": LATENCY_MS, "rateLimitPerSecond": LIMIT}
    httpx.put(f"{url}/_sandbox/faults", json=[rule], timeout=30).raise_for_status()
    clear(url)
    wall, _, limited, _ = run_cli("apply", "--yes", ".")
    assert limited.returncode == 0, limited.stderr[-2000:]
    c2t = [r for r in log(url) if r["path"].startswith("/connecttoteams/")]
    throttled = sum(1 for r in c2t if r["status"] == 429)
    return {
        "c2t_requests": len(c2t),
        "answered_429": throttled,
        "share_429": throttled / len(c2t),
        "seconds": wall,
        "bound_s": (len(c2t) - throttled) / LIMIT,
        "ratio": wall / ((len(c2t) - throttled) / LIMIT),
    }


ROWS = ("apply", "no-op", "limited")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument(
        "--rows",
        default=",".join(ROWS),
        help="which rows, comma-separated; without apply, the estate is applied first "
        "with the sandbox at no latency (not measured)",
    )
    args = parser.parse_args()
    rows = args.rows.split(",")
    run.compile_package()
    generate(args.enterprises)
    server, url = serve()
    results: dict[str, Any] = {"enterprises": args.enterprises, "load": os.getloadavg()[0]}
    try:
        if "apply" in rows:
            results["apply"] = bench_apply(url, args.enterprises, server.pid)
        else:
            latency(url, 0)
            _, _, made, _ = run_cli("apply", "--yes", ".")
            assert made.returncode == 0, made.stderr[-2000:]
            latency(url, LATENCY_MS)
        if "no-op" in rows:
            results["no-op plan"] = bench_noop(url, args.enterprises)
        if "limited" in rows:
            results["apply under 50/s"] = bench_limited(url)
    finally:
        server.terminate()
        server.wait()
    results["load_after"] = os.getloadavg()[0]
    run.OUT.mkdir(exist_ok=True)
    name = f"estate-{args.enterprises}.json"
    (run.OUT / name).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
