"""The HTML drift report in a real headless browser: its text, and a non-blank screenshot."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from tests.functional.conftest import Project, Vendor

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed here (apt-get install chromium); CI installs it")
    return found


def rows_of(png: bytes) -> set[bytes]:
    """The distinct scanlines of an 8-bit RGB(A) PNG (enough to tell blank from not)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data, width, channels = 8, b"", 0, 4
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        chunk = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, _, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8
            channels = {2: 3, 6: 4}[color]
        elif kind == b"IDAT":
            data += chunk
        position += length + 12
    raw = zlib.decompress(data)
    stride = width * channels + 1
    return {raw[i + 1 : i + stride] for i in range(0, len(raw), stride)}


def test_html_report_in_headless_chromium(
    project: Project, vendor: Vendor, tmp_path: pathlib.Path
) -> None:
    browser = chromium()
    project.apply()
    did = vendor.did(78, "+12025550107")
    vendor.c2t_post(
        "/sms/addSMSDidsForUser",
        {
            "enterpriseId": 78,
            "userId": "erin@sunshinedental.com",
            "assigned": False,
            "smsDID": [did],
        },
    )
    result = project.run("drift", ".", "--format", "html", "-o", "drift.html")
    assert result.returncode == 2
    page = (project.root / "drift.html").as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(
        [browser, *FLAGS, *profile, "--dump-dom", page], capture_output=True, text=True, timeout=120
    )
    rows = re.findall(r"<h1>.*?</h1>|<h2>.*?</h2>|<tr.*?</tr>", dom.stdout)
    assert rows == [
        '<h1>reconciler drift report: <span class="drift">Drift: 2 differences in 1 of 2 '
        "enterprises.</span></h1>",
        "<h2>northwind-legal (ConnecttoTeams 79, ContextSMS E0000090) "
        '<span class="ok">no differences</span></h2>',
        "<h2>sunshine-dental (ConnecttoTeams 78, ContextSMS E0000091) "
        '<span class="drift">2 differences</span></h2>',
        "<tr><th>object</th><th>field</th><th>git</th><th>live</th><th>apply</th></tr>",
        '<tr class="update"><td>smsUser erin@sunshinedental.com</td><td>numbers</td>'
        '<td>+12025550107</td><td>(none)</td><td class="action">update</td></tr>',
        '<tr class="sync"><td>sync Unified App</td><td>appSynced</td><td>true</td>'
        '<td>false</td><td class="action">sync</td></tr>',
    ]
    shot = tmp_path / "drift.png"
    subprocess.run(
        [browser, *FLAGS, *profile, f"--screenshot={shot}", "--window-size=1000,700", page],
        capture_output=True,
        timeout=120,
    )
    assert len(rows_of(shot.read_bytes())) > 20  # text and tables, not a blank page
