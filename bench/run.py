"""Benchmarks of design §8, reported in the README (never asserted in tests).

Each measurement runs the real CLI in a fresh process, several times; we report the
median wall time and the peak resident memory of that process.

    python bench/run.py [--runs 5] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).parent
OUT = HERE / "out"
CLI = [sys.executable, "-m", "reconciler.cli"]


def measure(args: list[str], runs: int) -> dict[str, float]:
    """Median seconds and max peak RSS (MB) of `reconciler ARGS` over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"reconciler {' '.join(args)} failed")
    return {"median_s": statistics.median(times), "peak_mb": max(peaks), "runs": runs}


def generate(directory: pathlib.Path, scale: float) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {}
    for scale in (0.1, 1.0):
        directory = OUT / f"large-x{scale}"
        generate(directory, scale)
        results[f"validate x{scale}"] = measure(["validate", str(directory)], args.runs)
    small, large = results["validate x0.1"], results["validate x1.0"]
    results["validate growth (10x objects)"] = {"ratio": large["median_s"] / small["median_s"]}
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print("| benchmark | median | peak memory |")
    print("|---|---|---|")
    for name, r in results.items():
        if "median_s" in r:
            print(f"| {name} | {r['median_s']:.2f} s | {r['peak_mb']:.0f} MB |")
        else:
            print(f"| {name} | {r['ratio']:.1f}x time | |")


if __name__ == "__main__":
    main()
