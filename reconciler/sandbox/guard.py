"""The sandbox's first look at every vendor request body, before any handler: what a
real API's front door refuses with a 400 in the vendor's own shape rather than a crash.

Refused: a body over 1 MB, JSON nested deeper than 32 levels, and any text holding a NUL
byte, a lone surrogate (invalid Unicode that cannot be stored) or more than 4,096
characters (the fields' own, smaller limits are the routes' models').
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

MAX_BODY = 1024 * 1024
MAX_DEPTH = 32
MAX_TEXT = 4096
_BAD = re.compile("[\x00\ud800-\udfff]")


def problem(raw: bytes, content_type: str) -> str | None:
    """Why the body is refused, naming the field; None when it may pass."""
    if len(raw) > MAX_BODY:
        return f"body is larger than {MAX_BODY} bytes"
    if not raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"body is not UTF-8 (byte {exc.start})"
    if "form" in content_type:
        return _walk(dict(urllib.parse.parse_qsl(text)))
    if "json" not in content_type:
        return _text("body", text)
    if depth(text) > MAX_DEPTH:
        return f"body is nested deeper than {MAX_DEPTH} levels"
    try:
        value = json.loads(text)
    except ValueError:
        return None  # malformed JSON: the route answers it in its own words
    return _walk(value)


def depth(text: str) -> int:
    """The deepest nesting of brackets outside strings, found without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _walk(value: Any, path: str = "body") -> str | None:
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            found = _text(where, item)
            if found:
                return found
        elif isinstance(item, dict):
            for key, child in item.items():
                found = _text(f"{where} key", str(key))
                if found:
                    return found
                stack.append((f"{where}.{key}" if where != "body" else str(key), child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", child) for i, child in enumerate(item))
    return None


def _text(where: str, text: str) -> str | None:
    if len(text) > MAX_TEXT:
        return f"field '{where}' is longer than {MAX_TEXT} characters"
    bad = _BAD.search(text)
    if bad:
        what = "a NUL byte" if bad.group() == "\x00" else "invalid Unicode (a lone surrogate)"
        return f"field '{where}' holds {what}"
    return None


def clean(value: Any, depth: int = 0) -> Any:
    """`value` made safe to store and show: lone surrogates replaced, depth bounded."""
    if depth > MAX_DEPTH:
        return "…"
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8") if _BAD.search(value) else value
    if isinstance(value, dict):
        return {clean(str(k)): clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v, depth + 1) for v in value]
    return value
