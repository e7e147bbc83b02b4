"""The wheel as a user gets it: built, installed in a fresh venv, run in an empty
directory far from this repository: `python -m reconciler`, `sandbox serve` with the
demo seed inside the wheel, and the README's first sample request against it."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys
import sysconfig
import zipfile

import httpx

from reconciler import __version__

ROOT = pathlib.Path(__file__).parents[2]


def test_the_wheel_installs_and_runs_init_plan_apply_and_serve_in_an_empty_directory(
    tmp_path: pathlib.Path,
) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    [wheel] = dist.glob("*.whl")
    assert wheel.name == f"teams_sms_reconciler-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "reconciler/sandbox/demo-seed.yaml",
        "reconciler/starter/enterprise.yaml",
        "reconciler/starter/github-workflow.yml",
        "reconciler/py.typed",
    } <= names
    assert not any(n.startswith(("tests/", "examples/", "bench/")) for n in names)

    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(fresh)], check=True, timeout=300)
    python = fresh / "bin" / "python"
    # The dependencies come from this environment (no network in tests); reconciler
    # itself only from the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (pathlib.Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    empty = tmp_path / "empty"
    empty.mkdir()
    version = subprocess.run(
        [str(python), "-m", "reconciler", "--version"], cwd=empty, capture_output=True, text=True
    )
    assert version.stdout == f"reconciler, version {__version__}\n", version.stderr
    where = subprocess.run(
        [str(python), "-c", "import reconciler; print(reconciler.__file__)"],
        cwd=empty, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert where.startswith(site), where  # the wheel's copy, not this checkout

    serve = subprocess.Popen(
        [str(fresh / "bin" / "reconciler"), "sandbox", "serve", "--port", "0"],
        cwd=empty, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert serve.stderr is not None
        line = serve.stderr.readline()
        match = re.search(
            r"listening on (http://\S+) \(db \S+/empty/\.reconciler/sandbox\.db", line
        )
        assert match, line
        token = httpx.post(
            match.group(1) + "/connecttoteams/oauth/token",
            data={"grant_type": "password", "username": "api-admin", "password": "demo-password"},
            auth=("demo-client", "demo-secret"),
            timeout=10,
        )
        assert token.status_code == 200 and token.json()["token_type"] == "bearer"
    finally:
        serve.terminate()
        serve.wait(timeout=20)
    assert (empty / ".reconciler" / "sandbox.db").is_file()

    reconciler = str(fresh / "bin" / "reconciler")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [reconciler, *args], cwd=empty / "project", capture_output=True, text=True, timeout=300
        )

    (empty / "project").mkdir()
    started = run("init")
    assert started.returncode == 0, started.stderr
    assert started.stdout.endswith(
        "next:\n  reconciler validate\n  reconciler plan\n  reconciler apply\n"
    )
    assert run("validate").stdout == (
        "northwind-legal: 6 SMS users, 1 SMS group, 8 numbers, 3 mappings\n"
        "ok: 1 enterprise in 1 file\n"
    )
    planned = run("plan")
    assert planned.stdout.endswith("Plan: 11 to create, 0 to update, 0 to delete, 1 sync.\n")
    applied = run("apply", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert "Apply complete: 12 applied, 0 failed, 0 skipped" in applied.stdout
    assert run("plan").stdout.endswith("Plan: 0 to create, 0 to update, 0 to delete, 0 syncs.\n")
    again = run("init")
    assert again.returncode == 1 and "nothing was written" in again.stderr
