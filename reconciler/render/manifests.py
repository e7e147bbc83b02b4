"""Manifest documents and a reconciler.yaml skeleton as YAML text, in the design's layout:
keys in order, numbers and member lists inline, numbers always quoted."""

from __future__ import annotations

from typing import Any

import yaml

HEADER = "# Exported by `reconciler export` from the live platforms. Review before committing.\n"


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # block lists indented under their key


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, str) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if value.startswith("+") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(list, _list)
_Dumper.add_representer(str, _str)


SCHEMA = "schemas/manifest.schema.json"  # written next to the exported manifests


def manifest(document: dict[str, Any]) -> str:
    """The document as YAML, first line the editors' schema reference."""
    return (
        f"# yaml-language-server: $schema={SCHEMA}\n"
        + HEADER
        + yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=100, allow_unicode=True)
    )


CONFIG_HEADER = """\
# reconciler.yaml written by `reconciler export`. Secrets are references: export the
# variables before running reconciler (literal secrets are refused for real URLs); the
# embedded sandbox keeps its demo credentials and its database, so this runs as written.
"""
TEMPLATES = {
    "connecttoteams": {
        "clientId": "${C2T_CLIENT_ID}",
        "clientSecret": "${C2T_CLIENT_SECRET}",
        "username": "${C2T_USERNAME}",
        "password": "${C2T_PASSWORD}",
    },
    "contextsms": {"username": "${CSMS_USERNAME}", "password": "${CSMS_PASSWORD}"},
    "connectel": {"token": "${CONNECTEL_TOKEN}"},
}
APPLY = {"parallelism": 8, "rateLimit": {"connecttoteams": 20, "contextsms": 20, "connectel": 5}}


def config(providers: dict[str, dict[str, Any]], sandbox: dict[str, str] | None) -> str:
    """reconciler.yaml for the exported manifests: `providers` as they are to be written,
    the apply defaults, and the sandbox section when one is used."""
    document: dict[str, Any] = {"providers": providers, "apply": APPLY}
    if sandbox:
        document["sandbox"] = sandbox
    body = yaml.dump(document, Dumper=_ConfigDumper, sort_keys=False, width=100)
    return CONFIG_HEADER + body


class _ConfigDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)
