"""YAML text -> plain Python values plus the position of every node.

PyYAML silently keeps the last of two equal keys; we compose the node graph
ourselves so duplicates become errors and every value keeps its line and column.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from typing import Any

import yaml

try:  # libyaml is bundled with PyYAML wheels; the pure-Python loader is the fallback.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"


@dataclasses.dataclass(frozen=True, order=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclasses.dataclass(frozen=True)
class SyntaxProblem:
    position: Position
    path: Path
    message: str


@dataclasses.dataclass
class Document:
    """One YAML document: its value, where each value and each key starts, and problems."""

    index: int  # 0-based within the file
    value: Any
    values: dict[Path, Position]
    keys: dict[Path, Position]
    problems: list[SyntaxProblem]

    def position(self, path: Path, *, key: bool = False) -> Position:
        """The position of `path` (its key when `key`), else of its nearest ancestor."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return Position(1, 1)


MAX_DEPTH = 64  # manifests nest about 6 deep; far beyond is an accident or an attack
MAX_EXPANSION = 100_000  # values that aliases may add beyond the document's own


class LimitError(yaml.MarkedYAMLError):
    """A document that is too deep or whose aliases expand too far (refused while
    composing, before it can cost memory or stack)."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(problem=message, problem_mark=mark)


class _Composer:
    """Builds values straight from the parser's events (no node graph), recording the
    position of every value and key, with bounded depth and alias expansion.

    Iterating events instead of composing nodes keeps the stack flat however deep the
    text nests (libyaml's own composer recurses and crashes past ~100,000 levels).
    """

    def __init__(self, events: Iterator[Any]) -> None:  # PyYAML's events are untyped
        self._events = events
        self._resolver = yaml.SafeLoader("")
        self._anchors: dict[str, tuple[Any, int]] = {}  # value, how many values it holds
        self._anchored: dict[str, Position] = {}  # where each anchor was set
        self._open: set[str] = set()
        self._nodes = 0
        self._expanded = 0

    def document(self, index: int) -> Document | None:
        doc = Document(index=index, value=None, values={}, keys={}, problems=[])
        self._anchors.clear()
        self._anchored.clear()
        first: Any = next(self._events)
        empty = isinstance(first, yaml.ScalarEvent) and first.value == "" and not first.style
        if empty and first.tag is None and first.anchor is None:  # `---` and nothing
            next(self._events)  # DocumentEndEvent
            return None
        doc.value, _ = self._value(first, (), doc, 0)
        next(self._events)  # DocumentEndEvent
        return doc

    def _value(self, event: Any, path: Path, doc: Document, depth: int) -> tuple[Any, int]:
        """The value starting at `event`, and how many values it holds."""
        doc.values[path] = _pos(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event)
        if depth >= MAX_DEPTH:
            raise LimitError(
                event.start_mark, f"nested deeper than {MAX_DEPTH} levels; flatten the document"
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            first = self._anchored.setdefault(anchor, _pos(event.start_mark))
            if first != _pos(event.start_mark):
                raise LimitError(
                    event.start_mark,
                    f"duplicate anchor &{anchor} (first at line {first.line}, column "
                    f"{first.column}): rename one of them",
                )
            self._open.add(anchor)
        value: Any
        if isinstance(event, yaml.MappingStartEvent):
            value, size = self._mapping(path, doc, depth)
        elif isinstance(event, yaml.SequenceStartEvent):
            value, size = self._sequence(path, doc, depth)
        else:
            value, size = self._scalar(event), 1
        self._nodes += 1
        if anchor is not None:
            self._open.discard(anchor)
            self._anchors[anchor] = (value, size)
        return value, size

    def _alias(self, event: Any) -> tuple[Any, int]:
        name = event.anchor
        if name in self._open:
            raise LimitError(event.start_mark, f"recursive alias *{name}: it refers to itself")
        if name not in self._anchors:
            raise LimitError(event.start_mark, f"undefined alias *{name}")
        value, size = self._anchors[name]
        self._expanded += size
        if self._expanded > max(MAX_EXPANSION, self._nodes):
            raise LimitError(
                event.start_mark,
                f"aliases expand to more than {max(MAX_EXPANSION, self._nodes):,} values "
                "(an alias bomb?); write the values out or use fewer aliases",
            )
        return value, size

    def _sequence(self, path: Path, doc: Document, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        size = 1
        while not isinstance(event := next(self._events), yaml.SequenceEndEvent):
            value, count = self._value(event, (*path, len(out)), doc, depth + 1)
            out.append(value)
            size += count
        return out, size

    def _mapping(self, path: Path, doc: Document, depth: int) -> tuple[dict[Any, Any], int]:
        out: dict[Any, Any] = {}
        size = 1
        merges: list[tuple[Position, Any]] = []
        while not isinstance(key_event := next(self._events), yaml.MappingEndEvent):
            key_mark = _pos(key_event.start_mark)
            if _plain(key_event) and key_event.value == "<<":  # a merge key: merged below
                value_event = next(self._events)
                merged, count = self._value(value_event, (*path, "<merge>"), doc, depth + 1)
                merges.append((key_mark, merged))
                size += count
                continue
            key, _ = self._value(key_event, (*path, "<key>"), doc, depth + 1)
            value_event = next(self._events)
            if _plain(key_event) and isinstance(key, bool | int | float):
                key = key_event.value  # `on:` is the label "on", not True; `1.0:` "1.0"
            if not isinstance(key, str | int | float | bool):  # a collection, or null
                doc.problems.append(
                    SyntaxProblem(key_mark, path, "mapping keys must be plain strings")
                )
                self._value(value_event, (*path, "<value>"), doc, depth + 1)
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                first = doc.keys[(*path, key)]
                doc.problems.append(
                    SyntaxProblem(
                        key_mark,
                        (*path, key),
                        f"duplicate key '{key}' (first at line {first.line}): YAML would keep "
                        "only the last one; remove or merge one of them",
                    )
                )
                self._value(value_event, (*path, "<duplicate>"), doc, depth + 1)
                continue
            doc.keys[(*path, key)] = key_mark
            out[key], count = self._value(value_event, (*path, key), doc, depth + 1)
            size += count
        for key_mark, merged in merges:
            self._merge(out, merged, key_mark, path, doc)
        for placeholder in ("<key>", "<value>", "<duplicate>", "<merge>"):
            doc.values.pop((*path, placeholder), None)
        return out, size

    def _merge(
        self, out: dict[Any, Any], merged: Any, mark: Position, path: Path, doc: Document
    ) -> None:
        """`<<: *base` (or a list of them, the first winning): the keys the mapping does
        not set itself, each placed at the `<<` for problems found in it."""
        sources = merged if isinstance(merged, list) else [merged]
        if not all(isinstance(m, dict) for m in sources):
            doc.problems.append(
                SyntaxProblem(mark, path, "a merge key (<<) takes a mapping or a list of mappings")
            )
            return
        for source in sources:
            for key, value in source.items():
                if key not in out:
                    out[key] = value
                    doc.keys.setdefault((*path, key), mark)
                    doc.values.setdefault((*path, key), mark)

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, event.implicit
            )
            if _literal(tag, event.value):
                return event.value  # YAML 1.1's trap: read as the user typed it
        if tag == _STR:  # most scalars: skip the generic constructor's bookkeeping
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self._resolver.construct_object(node)


_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"


def _plain(event: Any) -> bool:
    """A scalar written without quotes or a tag (whose meaning YAML resolves)."""
    return (
        isinstance(event, yaml.ScalarEvent)
        and event.tag is None
        and not event.style  # libyaml says '', the Python parser None
        and event.implicit[0]
    )


def _literal(tag: str, text: str) -> bool:
    """Whether a plain scalar YAML 1.1 would turn into something its writer hardly meant:
    `yes`, `no`, `on`, `off` as booleans (YAML 1.2 keeps only true and false),
    sexagesimals (`1:20` as 80), octals with a bare leading zero (`0123` as 83) and
    numbers with underscores (`1_000`). Those are read as the text typed; a field that
    wants a boolean or a number then refuses them with their place."""
    if tag == _BOOL:
        return text.lower() not in ("true", "false")
    if tag in (_INT, _FLOAT):
        digits = text.lstrip("+-")
        octal = len(digits) > 1 and digits[0] == "0" and digits[1:2].isdigit()
        return ":" in text or "_" in text or (tag == _INT and octal)
    return False


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def parse(text: str) -> Iterator[Document]:
    """Yield each document of `text`; raises yaml.MarkedYAMLError on a syntax error, and
    LimitError on a document too deep or with aliases that expand too far."""
    done = 0
    try:
        for doc in _documents(text, _Loader):
            yield doc
            done += 1
    except yaml.MarkedYAMLError as exc:
        if _Loader is yaml.SafeLoader or exc.problem != LIBYAML_TOO_DEEP:
            raise
        # libyaml (in PyYAML 6.0.4's wheels) refuses flow nesting past its own limit while
        # it scans ahead for a key, before any event lets ours (lower) say where the text
        # went too deep. The pure-Python parser scans ahead at most 1,024 characters too,
        # but without that limit: it reads the rest, and our depth check names the place.
        for doc in itertools.islice(_documents(text, yaml.SafeLoader), done, None):
            yield doc


LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def _documents(text: str, loader: Any) -> Iterator[Document]:
    events = yaml.parse(text, Loader=loader)
    composer = _Composer(events)
    index = 0
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            doc = composer.document(index)
            index += 1
            if doc is not None:
                yield doc


def _char_at(mark: Any, text: str) -> str:
    """The character of `text` a YAML mark points at ("" when unknown)."""
    lines = text.split("\n")
    line, column = getattr(mark, "line", -1), getattr(mark, "column", -1)
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def syntax_error_position(exc: yaml.YAMLError, text: str = "") -> tuple[Position, str]:
    """Where a YAML syntax error is, and a one-line description of it."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    position = _pos(mark) if mark is not None else Position(1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, LimitError):
        return position, problem
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if mark is not None and _char_at(mark, text) == "\t":
        return position, (
            "YAML syntax error: a tab character; YAML indents with spaces only: replace the "
            "tab with spaces"
        )
    message = f"YAML syntax error: {problem}"
    where = _pos(context_mark) if context_mark is not None else position
    if context and where != position:
        message += f" ({context} started at line {where.line}, column {where.column})"
    elif context:
        message += f" ({context})"
    return position, message
