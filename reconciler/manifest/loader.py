"""Find manifest files, parse and validate every document, and build the desired State.

`load` either returns the whole validated set or raises ManifestError carrying every
problem found (syntax, schema and cross-object) at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import pathlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pydantic
import yaml

from reconciler.errors import ManifestError
from reconciler.manifest import rules
from reconciler.manifest.discovery import CONFIG_NAME, discover
from reconciler.manifest.documents import API_VERSION, KINDS, EnterpriseDocument
from reconciler.model import state
from reconciler.yamlsource import translate
from reconciler.yamlsource import tree as yamltree
from reconciler.yamlsource.problems import Problem, render_report

NOWHERE = yamltree.Position(0, 0)  # a problem of a path, not of a place in a file


@dataclasses.dataclass(frozen=True)
class Manifests:
    """A validated set of manifests and the desired State they describe."""

    files: tuple[str, ...]
    state: state.State
    warnings: tuple[Problem, ...]
    # sha256 over every file's bytes and path within the path it was found under (the
    # same from any directory): what a saved plan is bound to
    digest: str
    skipped: tuple[str, ...] = ()  # YAML files that are not manifests (no apiVersion, no kind)
    ignored: tuple[tuple[str, str], ...] = ()  # (a path discovery left out, why)


def load(paths: Sequence[pathlib.Path], exclude: Iterable[pathlib.Path] = ()) -> Manifests:
    """Load and validate every manifest under `paths`; raise ManifestError on any problem."""
    with _no_cycle_collection():
        return _load(paths, exclude)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Loading makes a value, a position and a model for every node of every file (about
    300 objects an enterprise), none of them in a reference cycle: the cyclic collector,
    which would run hundreds of times meanwhile and walk everything made so far, finds
    nothing to free there but costs 40% of the time. Reference counting frees as usual.

    Afterwards what was made goes straight to the oldest generation (frozen, then thawed
    there): it lives as long as the run, and walking it as young objects at once, then
    again a generation later, cost a tenth of a `validate`. Nothing stays frozen, so a
    long-running agent loses no cyclic garbage."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def _load(paths: Sequence[pathlib.Path], exclude: Iterable[pathlib.Path]) -> Manifests:
    problems: list[Problem] = []
    usable = []
    for path in paths:
        trouble = _unusable(path)
        if trouble:
            problems.append(Problem(str(path), -1, NOWHERE, (), trouble))
        else:
            usable.append(path)
    try:
        discovered = discover(usable, exclude)
    except OSError as exc:
        raise ManifestError(f"{exc.filename}: cannot read it ({exc.strerror})", 1) from None
    files = list(discovered.files)
    if not files and not problems:
        where = ", ".join(str(p) for p in paths)
        problems.append(Problem(where, -1, NOWHERE, (), _nothing_found(discovered.ignored)))
    digest = hashlib.sha256()
    parsed: list[rules.Parsed] = []
    titles: dict[tuple[str, int], str] = {}
    skipped: list[str] = []
    for file in files:
        try:
            data = pathlib.Path(file).read_bytes()
        except OSError as exc:
            problems.append(Problem(file, -1, NOWHERE, (), f"cannot read it ({exc.strerror})"))
            continue
        found = _load_file(file, data, problems, titles)
        if found is None:
            skipped.append(file)
            continue
        digest.update(f"{_named(file, usable)}\0{len(data)}\0".encode())
        digest.update(data)
        parsed += found
    if files and len(skipped) == len(files):
        problems.append(
            Problem(
                ", ".join(str(p) for p in paths),
                -1,
                NOWHERE,
                (),
                f"no manifests found: {len(skipped)} YAML file(s) without apiVersion or kind "
                "(not manifests) and nothing else",
            )
        )
    problems += rules.check(parsed)
    errors = [p for p in problems if p.severity == "error"]
    warnings = tuple(p for p in problems if p.severity == "warning")
    if errors:
        raise ManifestError(render_report(problems, titles), len(errors), problems)
    kept = tuple(f for f in files if f not in set(skipped))
    # the parsed documents (their text, values and models) are not kept: what is planned
    # is the State, and a large estate's documents would double what a run holds
    return Manifests(
        kept,
        _build(parsed),
        warnings,
        digest.hexdigest(),
        tuple(skipped),
        discovered.ignored,
    )


def _nothing_found(ignored: Sequence[tuple[str, str]]) -> str:
    """Why no manifest was found, saying so when git's ignore rules left YAML files out
    (an ignored build or output directory, say): the user would look for them otherwise."""
    message = f"no manifests found (looked for *.yaml and *.yml, except {CONFIG_NAME})"
    by_git = sum(1 for _, why in ignored if why.startswith("ignored by git"))
    if not by_git:
        return message
    some = "1 YAML file here is" if by_git == 1 else f"{by_git} YAML files here are"
    return (
        f"{message}: {some} ignored by git (.gitignore), and inside a git work tree only "
        "files git tracks or would track are manifests; un-ignore them, or name a file "
        "itself as PATH (`validate -v` lists what was left out)"
    )


def _named(file: str, roots: Sequence[pathlib.Path]) -> str:
    """`file` as the digest names it: relative to the PATH it was found under (a file
    given itself: its name), so that the same manifests digest alike from anywhere."""
    path = pathlib.Path(file)
    for root in roots:
        if path == root:
            return path.name
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.as_posix()


def _unusable(path: pathlib.Path) -> str | None:
    """Why `path` cannot be read as manifests (missing, name too long, no permission)."""
    try:
        path.stat()
    except FileNotFoundError:
        return "no such file or directory: check the path"
    except OSError as exc:
        return f"cannot read it ({exc.strerror})"
    return None


def _load_file(
    file: str, data: bytes, problems: list[Problem], titles: dict[tuple[str, int], str]
) -> list[rules.Parsed] | None:
    """The file's manifests; None when it is not a manifest file at all (every document
    a mapping with neither apiVersion nor kind: a CI file, a seed, a chart's values)."""
    origin = yamltree.Position(1, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, -1, origin, (), f"not UTF-8 text (byte {exc.start})"))
        return []
    out: list[rules.Parsed] = []
    docs: list[yamltree.Document] = []
    failure: yaml.YAMLError | None = None
    try:
        for doc in yamltree.parse(text):
            docs.append(doc)
    except yaml.YAMLError as exc:
        failure = exc
    if failure is None and docs and all(_foreign(d) for d in docs):
        return None
    count = 0
    try:
        for doc in docs:
            count += 1
            item = _validate(file, doc, problems)
            if isinstance(doc.value, dict) and isinstance(doc.value.get("metadata"), dict):
                name = doc.value["metadata"].get("name")
                if isinstance(name, str):
                    titles[(file, doc.index)] = f"{doc.value.get('kind', 'document')} {name}"
            if item is not None:
                out.append(item)
        if failure is not None:
            raise failure
    except yaml.YAMLError as exc:
        position, message = yamltree.syntax_error_position(exc, text)
        problems.append(Problem(file, -1, position, (), message))
        return out
    if count == 0:
        problems.append(
            Problem(file, -1, origin, (), "empty file: no manifests in it", severity="warning")
        )
    return out


def _foreign(doc: yamltree.Document) -> bool:
    value = doc.value
    return isinstance(value, dict) and "apiVersion" not in value and "kind" not in value


def _validate(file: str, doc: yamltree.Document, problems: list[Problem]) -> rules.Parsed | None:
    found = [Problem(file, doc.index, p.position, p.path, p.message) for p in doc.problems]
    value = doc.value
    if not isinstance(value, dict):
        found.append(
            Problem(
                file,
                doc.index,
                doc.position(()),
                (),
                "a manifest document must be a mapping with apiVersion, kind, metadata and spec",
            )
        )
    else:
        found += _check_header(file, doc, value)
    if found:
        problems += found
        return None
    try:
        model = EnterpriseDocument.model_validate(value)
    except pydantic.ValidationError as exc:
        for error in exc.errors(include_url=False):
            position, path, message = translate.translate(error, doc, EnterpriseDocument)
            problems.append(Problem(file, doc.index, position, path, message))
        return None
    return rules.Parsed(file, doc, model)


def _check_header(file: str, doc: yamltree.Document, value: dict[str, Any]) -> list[Problem]:
    """apiVersion and kind decide which schema applies, so they are checked first."""
    found = []
    for field, expected in (("apiVersion", (API_VERSION,)), ("kind", KINDS)):
        wanted = " or ".join(f"'{e}'" for e in expected)
        if field not in value:
            message = f"missing required field '{field}' (expected {wanted})"
            found.append(Problem(file, doc.index, doc.position(()), (), message))
        elif value[field] not in expected:
            message = f"unknown {field} {value[field]!r}: expected {wanted}"
            found.append(Problem(file, doc.index, doc.position((field,)), (field,), message))
    return found


def _build(parsed: list[rules.Parsed]) -> state.State:
    enterprises = {}
    for item in parsed:
        spec = item.model.spec
        enterprises[item.name] = state.Enterprise(
            name=item.name,
            labels=dict(item.model.metadata.labels),
            connecttoteams=state.normalize_services(spec.connecttoteams),
            contextsms=spec.contextsms,
            users={u.userId: state.normalize_user(u) for u in spec.smsUsers},
            groups={g.name: state.normalize_group(g.group()) for g in spec.smsGroups},
            mappings={m.phoneNumber: m for m in spec.mappings},
            policy=spec.policy,
            renames={g.name: g.former_names for g in spec.smsGroups if g.former_names},
        )
    return state.State(enterprises=enterprises)
