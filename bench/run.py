"""Benchmarks of design §8, reported in the README (never asserted in tests).

Each measurement runs the real CLI in a fresh process; we report the median wall time of
several runs and the peak resident memory of that process.

    python bench/run.py [--runs 5] [--skip-apply]
"""

from __future__ import annotations

import argparse
import compileall
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

HERE = pathlib.Path(__file__).parent
OUT = HERE / "out"  # results
# The trees the benchmarks generate and run in: outside this repository, whose .gitignore
# would hide them from discovery (inside a git work tree only what git tracks is read).
WORK = pathlib.Path(os.environ.get("BENCH_WORK") or tempfile.gettempdir()) / "reconciler-bench"
CLI = [sys.executable, "-m", "reconciler.cli"]
LATENCY_MS = 20
PARALLELISM = 8
READS = (
    "getEnterpriseSMSConfig",
    "getSMSUsers",
    "getSMSGroups",
    "getPhoneNumbers",
    "getEnterprisesForReseller",
    "/auth/",
    "oauth/token",
    "numbertomessageappmapping",
    "/mapping/csp/",
    "/csp/enterprises/",
    "check-payment",
)


def measure(args: list[str], runs: int, cwd: pathlib.Path | None = None) -> dict[str, float]:
    """Median seconds and max peak RSS (MB) of `reconciler ARGS` over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"reconciler {' '.join(args)} failed")
    return {"median_s": statistics.median(times), "peak_mb": max(peaks), "runs": runs}


def generate(directory: pathlib.Path, scale: float) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    counts = [str(round(5000 * scale)), str(round(500 * scale)), "20"]
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            str(directory),
            "--users",
            counts[0],
            "--groups",
            counts[1],
            "--members",
            counts[2],
        ],
        check=True,
    )


def minimum_calls(manifest: dict[str, Any]) -> int:
    """The fewest writes that build the enterprise from nothing (design §8): one enable and
    one batched DID call per user, create + DIDs + members per group, one call per mapping,
    the ContextSMS enterprise, and one Sync."""
    spec = manifest["spec"]
    users = sum(1 + bool(u.get("numbers")) for u in spec["smsUsers"])
    groups = sum(1 + bool(g.get("numbers")) + bool(g.get("members")) for g in spec["smsGroups"])
    return users + groups + len(spec["mappings"]) + 1 + 1


TAIL_RATE, TAIL_MS = 0.01, 1000  # a heavy tail: 1% of calls take a second more


def serve(db: pathlib.Path, seed: pathlib.Path, *flags: str) -> tuple[subprocess.Popen[str], str]:
    """`sandbox serve` in its own process at LATENCY_MS per call, once it answers."""
    command = [*CLI, "sandbox", "serve", "--port", "0", "--db", str(db), "--seed", str(seed)]
    server = subprocess.Popen(
        [*command, "--latency-ms", str(LATENCY_MS), *flags], stderr=subprocess.PIPE, text=True
    )
    assert server.stderr is not None
    url = re.search(r"listening on (\S+)", server.stderr.readline()).group(1)  # type: ignore[union-attr]
    wait_until_answering(url)
    return server, url


def compile_package() -> None:
    """Start-up as installed: pip writes the package's bytecode, but a shell that sets
    PYTHONDONTWRITEBYTECODE would have every measured run compile the sources again."""
    compileall.compile_dir(HERE.parent / "reconciler", quiet=1)


def wait_until_answering(url: str) -> None:
    """A fresh database seeds after the socket listens: the clock starts when it answers."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_sandbox/requests", timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"the sandbox at {url} never answered")


def bench_apply(directory: pathlib.Path, *, tail: bool = False) -> dict[str, Any]:
    """Apply the large enterprise from scratch against a served sandbox (its own process)
    with LATENCY_MS per call (with `tail`, plus TAIL_MS on TAIL_RATE of the calls),
    parallelism 8 and no client rate limit. The bound is at the mean latency."""
    import yaml

    db = directory / "served.db"
    for stale in directory.glob("served.db*"):
        stale.unlink()
    extra = ["--slow-rate", str(TAIL_RATE), "--slow-ms", str(TAIL_MS)] if tail else []
    server, url = serve(db, directory / "sandbox-seed.yaml", *extra)
    config = (directory / "reconciler.yaml").read_text().replace("url: sandbox", f"url: {url}/X")
    config = config.replace(f"{url}/X, clientId", f"{url}/connecttoteams, clientId", 1)
    config = config.replace(f"{url}/X, username", f"{url}/contextsms/api/v2, username", 1)
    config = config.replace(f"{url}/X, token", f"{url}/connectel/api/v2, token", 1)
    served = directory / "served"
    served.mkdir(exist_ok=True)
    shutil.copy(directory / "large-enterprise.yaml", served)
    (served / "reconciler.yaml").write_text(config)
    try:
        start = time.perf_counter()
        process = subprocess.Popen(
            [*CLI, "apply", "--yes", "--json", "--parallelism", str(PARALLELISM), "."],
            cwd=served,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        first = last = None
        for line in process.stdout:
            event = json.loads(line)
            if first is None and event["event"] == "start":
                first = time.perf_counter()
            if event["event"] == "summary":
                last = time.perf_counter()
                summary = event
        process.wait()
        total = time.perf_counter() - start
        import urllib.request

        with urllib.request.urlopen(f"{url}/_sandbox/requests") as answer:
            log = json.load(answer)
    finally:
        server.terminate()
        server.wait()
    writes = [r for r in log if not any(part in r["path"] for part in READS)]
    manifest = yaml.safe_load((directory / "large-enterprise.yaml").read_text())
    minimum = minimum_calls(manifest)
    execution = (last or 0) - (first or 0)
    mean_ms = LATENCY_MS + (TAIL_RATE * TAIL_MS if tail else 0)
    bound = math.ceil(minimum / PARALLELISM) * mean_ms / 1000
    return {
        "failed": summary["failed"],
        "writes": len(writes),
        "minimum": minimum,
        "execution_s": execution,
        "total_s": total,
        "bound_s": bound,
        "ratio": execution / bound,
        "ratio_total": total / bound,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-apply", action="store_true")
    parser.add_argument(
        "--apply-only", action="store_true", help="only the apply benchmarks (after a full run)"
    )
    args = parser.parse_args()
    compile_package()
    results: dict[str, Any] = {}
    for scale in () if args.apply_only else (0.1, 1.0):
        directory = WORK / f"large-x{scale}"
        generate(directory, scale)
        results[f"validate x{scale}"] = measure(["validate", str(directory)], args.runs)
        converge = subprocess.run([*CLI, "apply", "--yes", "."], cwd=directory, capture_output=True)
        assert converge.returncode == 0, converge.stderr
        results[f"no-op plan x{scale}"] = measure(["plan", "."], args.runs, cwd=directory)
    for kind in () if args.apply_only else ("validate", "no-op plan"):
        results[f"{kind} growth"] = {
            "ratio": results[f"{kind} x1.0"]["median_s"] / results[f"{kind} x0.1"]["median_s"]
        }
    if not args.skip_apply:
        results["apply x1.0"] = bench_apply(WORK / "large-x1.0")
        results["apply x1.0, heavy tail"] = bench_apply(WORK / "large-x1.0", tail=True)
    OUT.mkdir(exist_ok=True)
    name = "results-apply.json" if args.apply_only else "results.json"
    (OUT / name).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
