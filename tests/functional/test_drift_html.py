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

from reconciler import __version__
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
    vendor.user_number(78, "erin@sunshinedental.com", "+12025550107", assigned=False)
    # Behind git's back: Tom's number goes to Grace, whom no manifest names.
    vendor.user_number(79, "tom@northwindlegal.com", "+12025550152", assigned=False)
    vendor.c2t_post(
        "/sms/enableSMSServiceForUser",
        {
            "updatedBy": "admin",
            "userId": "grace@northwindlegal.com",
            "email": "grace@northwindlegal.com",
            "enterpriseId": 79,
            "enable": True,
            "useCallingPhoneNumber": False,
            "callingPhoneNumber": 0,
            "userType": "BU",
            "userTag": "",
        },
    )
    vendor.user_number(79, "grace@northwindlegal.com", "+12025550152", assigned=True)
    result = project.run("drift", ".", "--format", "html", "-o", "drift.html")
    assert result.returncode == 1, result.stderr  # the conflict blocks apply
    page = (project.root / "drift.html").as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(
        [browser, *FLAGS, *profile, "--dump-dom", page], capture_output=True, text=True, timeout=120
    )
    rows = re.findall(r"<h1>.*?</h1>|<h2>.*?</h2>|<p .*?</p>|<tr.*?</tr>", dom.stdout)
    unmanaged = (
        "add it to a manifest (reconciler export writes it), or set policy.prune: true to delete it"
    )
    update = "run apply to restore the manifest's value, or write the live value in the manifest"
    header = (
        "<tr><th>object</th><th>field</th><th>git</th><th>live</th><th>apply</th>"
        "<th>what to do</th></tr>"
    )
    conflict = (
        "conflict: +12025550152 is wanted by SMS user 'tom@northwindlegal.com' but held by SMS "
        "user 'grace@northwindlegal.com', which no manifest manages: add it to the manifest, "
        "release the number, or set policy.prune: true"
    )
    sync = (
        '<tr class="sync"><td>Teams Unified App</td><td>synced with Teams</td><td>yes</td>'
        '<td>no</td><td class="action">sync</td><td class="hint">run apply: it syncs the Teams '
        "Unified App</td></tr>"
    )
    assert rows == [
        "<h1>reconciler drift report</h1>",
        '<p class="verdict drift">Drift: 6 differences in 2 of 2 enterprises; 0 in sync.</p>',
        "<h2>northwind-legal (ConnecttoTeams 79, ContextSMS E0000090) "
        '<span class="drift">4 differences</span></h2>',
        header,
        '<tr class="update"><td>SMS user tom@northwindlegal.com</td><td>numbers</td>'
        f'<td>+12025550152</td><td>(none)</td><td class="action">update</td><td class="hint">{update}</td></tr>',
        sync,
        # one row for the unmanaged holder and the number it holds
        '<tr class="unmanaged"><td>SMS user grace@northwindlegal.com</td><td></td><td></td>'
        f'<td>holds +12025550152</td><td class="action">unmanaged</td><td class="hint">{unmanaged}</td></tr>',
        f'<tr class="error"><td>conflict</td><td></td><td></td><td>{conflict}</td>'
        '<td class="action">error</td><td class="hint">free the number or change the manifest, '
        "then plan again</td></tr>",
        "<h2>sunshine-dental (ConnecttoTeams 78, ContextSMS E0000091) "
        '<span class="drift">2 differences</span></h2>',
        header,
        '<tr class="update"><td>SMS user erin@sunshinedental.com</td><td>numbers</td>'
        f'<td>+12025550107</td><td>(none)</td><td class="action">update</td><td class="hint">{update}</td></tr>',
        sync,
    ]
    about = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", dom.stdout))
    assert list(about) == ["Generated", "Tool", "Manifests", "Targets"]
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", about["Generated"])
    assert about["Tool"] == f"reconciler {__version__}"
    assert about["Manifests"] == ". (not in a git work tree)"
    url = project.sandbox.url
    assert about["Targets"] == (
        f"ConnecttoTeams {url}/connecttoteams; ContextSMS {url}/contextsms/api/v2; "
        f"Connectel {url}/connectel/api/v2"
    )
    shot = tmp_path / "drift.png"
    subprocess.run(
        [browser, *FLAGS, *profile, f"--screenshot={shot}", "--window-size=1200,900", page],
        capture_output=True,
        timeout=120,
    )
    assert len(rows_of(shot.read_bytes())) > 20  # text and tables, not a blank page
    keep = os.environ.get("KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
