"""`reconciler init`: a starter project that plans against the sandbox at once, written
only where nothing is in the way (every file is checked before any is written).

The example enterprise and the GitHub workflow are the repository's own
(`examples/enterprises/northwind-legal.yaml`, `examples/ci/github-actions.yml`), shipped
inside the wheel under `reconciler/starter/` so that an installed reconciler has them too.
"""

from __future__ import annotations

import dataclasses
import pathlib

from reconciler import schemas
from reconciler.errors import ReconcilerError

PACKAGE = pathlib.Path(__file__).parents[1]
CHECKOUT = PACKAGE.parent / "examples"
SOURCES = {  # packaged name -> where it is in a source checkout
    "enterprise.yaml": CHECKOUT / "enterprises" / "northwind-legal.yaml",
    "github-workflow.yml": CHECKOUT / "ci" / "github-actions.yml",
}
CONFIG = """\
# yaml-language-server: $schema=schemas/config.schema.json
# Every provider is the embedded sandbox (state in .reconciler/, seeded with the demo
# data), so `reconciler plan` works now, with no account. These are the sandbox's demo
# credentials, not secrets. For production, set each url to the vendor's and every
# credential to a ${VARIABLE} reference: literal secrets are refused for real URLs.
providers:
  connecttoteams:
    url: sandbox
    clientId: demo-client
    clientSecret: demo-secret
    username: api-admin
    password: demo-password
    resellerId: 54
  contextsms:
    url: sandbox
    username: ops@csp.example
    password: demo-password
  connectel:
    url: sandbox
    token: demo-token
apply:
  parallelism: 8
"""


def source(name: str) -> pathlib.Path:
    packaged = PACKAGE / "starter" / name
    return packaged if packaged.is_file() else SOURCES[name]


def files() -> dict[str, str]:
    """Each file of the starter project (relative path -> text)."""
    enterprise = source("enterprise.yaml").read_text(encoding="utf-8")
    first, _, rest = enterprise.partition("\n")
    if first.startswith("# yaml-language-server:"):
        enterprise = rest
    enterprise = "# yaml-language-server: $schema=../schemas/manifest.schema.json\n" + enterprise
    found = {
        "reconciler.yaml": CONFIG,
        "enterprises/northwind-legal.yaml": enterprise,
        ".gitignore": ".reconciler/\n",
        ".github/workflows/reconciler.yml": source("github-workflow.yml").read_text("utf-8"),
    }
    found |= {f"schemas/{name}": text for name, text in schemas.generate().items()}
    return found


@dataclasses.dataclass(frozen=True)
class Scaffolded:
    """What `init` did to each file of the starter project."""

    written: tuple[pathlib.Path, ...] = ()
    merged: tuple[pathlib.Path, ...] = ()  # .gitignore: the lines it lacked appended
    kept: tuple[pathlib.Path, ...] = ()  # there already (--skip-existing)


def init(directory: pathlib.Path, *, skip_existing: bool = False) -> Scaffolded:
    """Write the starter project into `directory`. An existing .gitignore gets the lines
    it lacks; any other file that exists already makes it refuse, writing nothing,
    unless `skip_existing` (then it is kept as it is)."""
    wanted = {directory / name: text for name, text in files().items()}
    ignore = directory / ".gitignore"
    taken = sorted(str(p) for p in wanted if p.exists() and p != ignore)
    if taken and not skip_existing:
        raise ReconcilerError(
            f"{len(taken)} file(s) of the starter project exist already, so nothing was "
            "written: " + ", ".join(taken) + "; choose an empty directory (reconciler init "
            "DIR), or pass --skip-existing to keep them and write the rest"
        )
    written: list[pathlib.Path] = []
    merged: list[pathlib.Path] = []
    kept: list[pathlib.Path] = []
    for path, text in wanted.items():
        if path == ignore and path.exists():
            (merged if _merge_lines(path, text) else kept).append(path)
            continue
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return Scaffolded(tuple(written), tuple(merged), tuple(kept))


def _merge_lines(path: pathlib.Path, text: str) -> bool:
    """Append to `path` the lines of `text` it lacks; whether any were."""
    current = path.read_text(encoding="utf-8")
    have = {line.strip() for line in current.splitlines()}
    lacking = [line for line in text.splitlines() if line.strip() not in have]
    if not lacking:
        return False
    joined = "" if not current or current.endswith("\n") else "\n"
    path.write_text(current + joined + "\n".join(lacking) + "\n", encoding="utf-8")
    return True
