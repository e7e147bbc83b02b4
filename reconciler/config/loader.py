"""Find, load and check reconciler.yaml; resolve `${VAR}` references when a provider is used.

Checked at load: schema, https (loopback and the sandbox excepted) and that no secret
is written literally. Resolved at use: environment variables, each error naming the
variable and its `file:line`.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import ipaddress
import os
import pathlib
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pydantic
import yaml

from reconciler.config import model
from reconciler.errors import ConfigError
from reconciler.yamlsource import translate
from reconciler.yamlsource import tree as yamltree
from reconciler.yamlsource.problems import Problem, render_report

CONFIG_NAME = "reconciler.yaml"
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# reconciler.yaml's provider sections, in a fixed order, and the vendor's name for people
PROVIDERS = {
    "connecttoteams": "ConnecttoTeams",
    "contextsms": "ContextSMS",
    "connectel": "Connectel",
}
PATH_MAX = 4096  # bytes: the longest path an OS here resolves (Linux; macOS has 1,024)
ENV_PREFIX = {"connecttoteams": "C2T", "contextsms": "CSMS", "connectel": "CONNECTEL"}
ProviderT = TypeVar("ProviderT", bound=pydantic.BaseModel)


@dataclasses.dataclass(frozen=True)
class Config:
    """A loaded reconciler.yaml (or the defaults when there is none)."""

    path: pathlib.Path | None
    settings: model.ProjectConfig
    doc: yamltree.Document | None = None
    searched: tuple[pathlib.Path, ...] = ()  # where it was looked for when not found

    @property
    def not_found(self) -> str:
        """Where a config was looked for and not found."""
        starts = " and ".join(str(p) for p in self.searched) or str(pathlib.Path.cwd())
        return (
            f"no {CONFIG_NAME} in {starts} or any directory above; pass --config FILE or set "
            f"{ENV_CONFIG}"
        )

    @property
    def directory(self) -> pathlib.Path:
        return self.path.parent if self.path else pathlib.Path.cwd()

    @property
    def seed_path(self) -> pathlib.Path | None:
        seed = self.settings.sandbox.seed
        return self.directory / seed if seed else None

    @property
    def not_manifests(self) -> list[pathlib.Path]:
        """Files under the config's directory that are not manifests: the sandbox seed and
        whatever manifests.exclude names."""
        paths = [self.seed_path] if self.seed_path else []
        if self.path is not None:
            paths.append(self.path)  # a config under the manifests' tree is never one
        patterns = self.settings.manifests.exclude
        if patterns:
            for path in self.directory.rglob("*"):
                relative = path.relative_to(self.directory).as_posix()
                if path.is_file() and any(fnmatch.fnmatch(relative, p) for p in patterns):
                    paths.append(path)
        return paths

    @property
    def db_path(self) -> pathlib.Path:
        return self.directory / self.settings.sandbox.db

    def provider(self, name: str, env: Mapping[str, str] | None = None) -> pydantic.BaseModel:
        """The settings of provider `name` with every `${VAR}` replaced from `env`."""
        return self.providers((name,), env)[name]

    def configured(self) -> list[str]:
        """The providers reconciler.yaml configures, in a fixed order."""
        return [n for n in PROVIDERS if getattr(self.settings.providers, n) is not None]

    def targets(self) -> tuple[tuple[str, str], ...]:
        """(vendor, URL) of each configured provider, the URL without any credential."""
        providers = self.settings.providers
        return tuple(
            (PROVIDERS[key], public_url(getattr(providers, key).url)) for key in self.configured()
        )

    def references(self, name: str) -> list[str]:
        """The `${VAR}` names provider `name`'s section uses."""
        section: pydantic.BaseModel | None = getattr(self.settings.providers, name)
        if section is None:
            return []
        return [m for _, v in section if isinstance(v, str) for m in REFERENCE.findall(v)]

    def unset(self, name: str, env: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
        """The `${VAR}`s of provider `name` that `env` lacks, as (variable, where)."""
        section: pydantic.BaseModel | None = getattr(self.settings.providers, name)
        missing: list[tuple[str, str]] = []
        if section is not None:
            _resolve(
                section, ("providers", name), self, os.environ if env is None else env, missing
            )
        return missing

    def providers(
        self, names: Sequence[str], env: Mapping[str, str] | None = None
    ) -> dict[str, pydantic.BaseModel]:
        """The settings of each provider in `names`, resolved; every unset variable of
        all of them is named in one error, so a user exports them all in one go."""
        env = os.environ if env is None else env
        resolved: dict[str, pydantic.BaseModel] = {}
        unset: list[tuple[str, str]] = []
        for name in names:
            section: pydantic.BaseModel | None = getattr(self.settings.providers, name)
            if section is None:
                if self.path is None:
                    raise ConfigError(
                        f"{self.not_found}; or run `reconciler init` to write one (it aims "
                        "at the embedded sandbox)"
                    )
                raise ConfigError(
                    f"provider '{name}' is not configured ({self.path}): add "
                    f"providers.{name} to {CONFIG_NAME}"
                )
            resolved[name] = _resolve(section, ("providers", name), self, env, unset)
        _raise_unset(unset)
        return resolved

    def agent(self, env: Mapping[str, str] | None = None) -> AgentConfig:
        """The agent's settings and notification targets with every `${VAR}` replaced;
        every unset variable of them named in one error."""
        env = os.environ if env is None else env
        unset: list[tuple[str, str]] = []
        settings = _resolve(self.settings.agent, ("agent",), self, env, unset)
        targets = tuple(
            _resolve(n, ("notifications", i), self, env, unset)
            for i, n in enumerate(self.settings.notifications)
        )
        _raise_unset(unset)
        database = pathlib.Path(settings.database)
        return AgentConfig(settings.webhookSecret, settings.token, database, targets)


@dataclasses.dataclass(frozen=True)
class AgentConfig:
    """What `reconciler agent` runs with, resolved (secrets in memory only)."""

    webhook_secret: str | None
    token: str | None
    database: pathlib.Path  # as written: a relative path is under the agent's --state
    notifications: tuple[model.Notification, ...]


ENV_CONFIG = "RECONCILER_CONFIG"


def find(
    explicit: pathlib.Path | None,
    paths: list[pathlib.Path],
    env: Mapping[str, str] | None = None,
) -> pathlib.Path | None:
    """--config FILE, else $RECONCILER_CONFIG, else reconciler.yaml in the first PATH's
    directory or the nearest one above it (as git finds .git), else in the current
    directory or above. None when there is none: see `searched`."""
    env = os.environ if env is None else env
    if explicit is not None:
        if not _is(explicit, "file"):
            raise ConfigError(f"{explicit}: config file not found (given with --config)")
        return explicit
    named = env.get(ENV_CONFIG)
    if named:
        if not _is(pathlib.Path(named), "file"):
            raise ConfigError(f"{named}: config file not found (given with {ENV_CONFIG})")
        return pathlib.Path(named)
    here = pathlib.Path.cwd()
    for start in searched(paths):
        if len(os.fsencode(start)) > PATH_MAX:  # no such directory can exist: not walked
            continue  # (its parents alone would cost memory by the square of its depth)
        for directory in (start, *start.parents):
            candidate = directory / CONFIG_NAME
            if _is(candidate, "file"):  # said as the user would: relative when below here
                return candidate.relative_to(here) if candidate.is_relative_to(here) else candidate
    return None


def searched(paths: list[pathlib.Path]) -> list[pathlib.Path]:
    """Where `find` starts looking (each upwards to the root), absolute, once each."""
    starts = []
    if paths:
        first = paths[0]
        starts.append((first if _is(first, "dir") else first.parent).absolute())
    starts.append(pathlib.Path.cwd())
    return list(dict.fromkeys(starts))


def _is(path: pathlib.Path, kind: str) -> bool:
    """Whether `path` is a directory or file; a path the OS refuses (a name too long) is
    neither, and the manifest loader names it."""
    try:
        return path.is_dir() if kind == "dir" else path.is_file()
    except OSError:
        return False


def load(path: pathlib.Path | None, searched: Sequence[pathlib.Path] = ()) -> Config:
    """Load and check `path`; None gives the defaults (`searched`: where it was looked for)."""
    if path is None:
        return Config(None, model.ProjectConfig(), searched=tuple(searched))
    file = str(path)
    problems: list[Problem] = []
    text = ""
    try:
        text = path.read_text(encoding="utf-8")
        docs = list(yamltree.parse(text))
    except yaml.YAMLError as exc:
        position, message = yamltree.syntax_error_position(exc, text)
        raise ConfigError(render_report([Problem(file, -1, position, (), message)], {})) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read config: {exc}") from None
    if len(docs) > 1:
        raise ConfigError(f"{file}: the config must be a single YAML document")
    doc = docs[0] if docs else None
    raw: Any = doc.value if doc else {}
    if doc is not None:
        problems += [Problem(file, 0, p.position, p.path, p.message) for p in doc.problems]
    if not isinstance(raw, dict):
        problems.append(Problem(file, 0, yamltree.Position(1, 1), (), "expected a mapping"))
    settings = None
    if not problems:
        try:
            settings = model.ProjectConfig.model_validate(raw)
        except pydantic.ValidationError as exc:
            for error in exc.errors(include_url=False):
                assert doc is not None
                position, where, message = translate.translate(error, doc, model.ProjectConfig)
                problems.append(Problem(file, 0, position, where, message))
    if settings is not None and doc is not None:
        problems += _check_providers(file, doc, settings)
        problems += _check_agent(file, doc, settings)
    if problems or settings is None:
        raise ConfigError(render_report(problems, {(file, 0): CONFIG_NAME}))
    return Config(path, settings, doc)


def is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_providers(
    file: str, doc: yamltree.Document, settings: model.ProjectConfig
) -> list[Problem]:
    problems = []
    for name in PROVIDERS:
        section = getattr(settings.providers, name)
        if section is None:
            continue
        base = ("providers", name)
        for field in ("url", "authUrl"):
            url = getattr(section, field, None)
            if url is None or url == "sandbox":
                continue
            message = _userinfo_problem(url) if REFERENCE.search(url) else _url_problem(url)
            if message:
                problems.append(
                    Problem(file, 0, doc.position((*base, field)), (*base, field), message)
                )
        for field, value in section:
            if isinstance(value, str) and "${" in REFERENCE.sub("", value):
                problems.append(
                    Problem(
                        file,
                        0,
                        doc.position((*base, field)),
                        (*base, field),
                        f"{field} holds a ${{ that is not a whole reference (unclosed, or "
                        "not a name): write ${NAME}, NAME of letters, digits and underscores",
                    )
                )
        local = section.url == "sandbox" or is_loopback(section.url)
        for field in model.SECRET_FIELDS:
            value = getattr(section, field, None)
            if value is None or local or REFERENCE.fullmatch(value) or "${" in value:
                continue  # a broken reference is said above
            suggestion = f"{ENV_PREFIX[name]}_{_snake(field).upper()}"
            problems.append(
                Problem(
                    file,
                    0,
                    doc.position((*base, field)),
                    (*base, field),
                    f"{field} holds a literal secret: secrets must come from the environment; "
                    f"write ${{{suggestion}}} and export {suggestion}",
                )
            )
    return problems


def public_url(url: str) -> str:
    """`url` without user, password, query or fragment (where credentials could hide)."""
    if url == "sandbox":
        return "sandbox (in-process)"
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _check_agent(file: str, doc: yamltree.Document, settings: model.ProjectConfig) -> list[Problem]:
    """The agent's secrets are references, always (it may listen beyond loopback); a
    notification's URL is a reference or an https (or loopback) URL."""
    problems = []
    for field, variable in (("webhookSecret", "AGENT_WEBHOOK_SECRET"), ("token", "AGENT_TOKEN")):
        value = getattr(settings.agent, field)
        if value is not None and not REFERENCE.fullmatch(value):
            path: yamltree.Path = ("agent", field)
            problems.append(
                Problem(
                    file,
                    0,
                    doc.position(path),
                    path,
                    f"{field} holds a literal secret: secrets must come from the environment; "
                    f"write ${{{variable}}} and export {variable}",
                )
            )
    for index, target in enumerate(settings.notifications):
        where: yamltree.Path = ("notifications", index, "url")
        message = None if REFERENCE.search(target.url) else _url_problem(target.url)
        if message:
            problems.append(Problem(file, 0, doc.position(where), where, message))
    return problems


def _userinfo_problem(url: str) -> str | None:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return None
    return (
        f"{public_url(url)!r} holds a user or password in the URL (not shown): they would "
        "reach error messages and logs; take them out of the URL and use the provider's "
        "credential fields, as ${VAR} references"
    )


def _url_problem(url: str) -> str | None:
    parts = urllib.parse.urlsplit(url)
    userinfo = _userinfo_problem(url)
    if userinfo is not None:
        return userinfo
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{public_url(url)!r} is not a URL: write 'sandbox' or an https:// URL"
    if parts.scheme == "http" and not is_loopback(url):
        return f"{url!r} uses http: https is required except for loopback addresses"
    return None


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name)


def _resolve(
    section: ProviderT,
    base: yamltree.Path,
    config: Config,
    env: Mapping[str, str],
    unset: list[tuple[str, str]],
) -> ProviderT:
    """`section` with its `${VAR}`s replaced; each unset one is added to `unset` as
    (name, where) instead."""
    updates: dict[str, Any] = {}
    for field, value in section:
        if isinstance(value, str) and REFERENCE.search(value):
            path = (*base, field)

            def substitute(match: re.Match[str], path: yamltree.Path = path) -> str:
                name = match.group(1)
                if name in env:
                    return env[name]
                unset.append((name, _where(path, config)))
                return ""

            updates[field] = REFERENCE.sub(substitute, value)
    return section.model_copy(update=updates)


def _raise_unset(unset: list[tuple[str, str]]) -> None:
    """Every unset variable named at once, with where each is used."""
    if len(unset) == 1:
        [(variable, where)] = unset
        raise ConfigError(
            f"environment variable {variable} is not set ({where}): export {variable} "
            "before running reconciler"
        )
    if unset:
        names = list(dict.fromkeys(variable for variable, _ in unset))
        lines = "".join(f"\n  {variable} ({where})" for variable, where in unset)
        if len(names) == 1:
            raise ConfigError(
                f"environment variable {names[0]} is not set (used {len(unset)} times):"
                f"{lines}\nexport {names[0]} before running reconciler"
            )
        raise ConfigError(
            f"{len(names)} environment variables are not set:{lines}\n"
            f"export them before running reconciler"
        )


def _where(path: yamltree.Path, config: Config) -> str:
    where = str(config.path)
    if config.doc is not None:
        where += f":{config.doc.position(path).line}"
    return f"{where}, " + ".".join(str(p) for p in path)
