"""YAML text -> plain Python values plus the position of every node.

PyYAML silently keeps the last of two equal keys; we compose the node graph
ourselves so duplicates become errors and every value keeps its line and column.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from typing import Any, NamedTuple

import yaml

try:  # libyaml is bundled with PyYAML wheels; the pure-Python loader is the fallback.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"


class Position(NamedTuple):
    """Where a value or key starts (a tuple: one is made for every node of every file)."""

    line: int  # 1-based
    column: int  # 1-based


@dataclasses.dataclass(frozen=True)
class SyntaxProblem:
    position: Position
    path: Path
    message: str


@dataclasses.dataclass
class Document:
    """One YAML document: its value, where each value and each key starts, and problems.

    Where things are is asked only when something is wrong with them, so a document read
    without problems keeps its text instead, and its places are read from it when first
    asked (the same composer, recording)."""

    index: int  # 0-based within the file
    value: Any
    problems: list[SyntaxProblem]
    tables: tuple[dict[Path, Position], dict[Path, Position]] | None = None  # values, keys
    source: str = ""  # the file's text, when `tables` are still to be read

    @property
    def values(self) -> dict[Path, Position]:
        return self._tables()[0]

    @property
    def keys(self) -> dict[Path, Position]:
        return self._tables()[1]

    def _tables(self) -> tuple[dict[Path, Position], dict[Path, Position]]:
        if self.tables is None:
            again = next(d for d in _documents(self.source, _Loader, True) if d.index == self.index)
            self.tables = again.tables
            self.source = ""
        assert self.tables is not None
        return self.tables

    def position(self, path: Path, *, key: bool = False) -> Position:
        """The position of `path` (its key when `key`), else of its nearest ancestor."""
        values, keys = self._tables()
        table = keys if key else values
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in values:
                return values[path]
        return Position(1, 1)


MAX_DEPTH = 64  # manifests nest about 6 deep; far beyond is an accident or an attack
MAX_EXPANSION = 100_000  # values that aliases may add beyond the document's own


class LimitError(yaml.MarkedYAMLError):
    """A document that is too deep or whose aliases expand too far (refused while
    composing, before it can cost memory or stack)."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(problem=message, problem_mark=mark)


class _Unplaced(Exception):
    """A problem met while reading without positions: the text is read again with them."""


class _Composer:
    """Builds values straight from the parser's events (no node graph), with bounded
    depth and alias expansion; with `record`, the position of every value and key too
    (without, any problem stops it: the caller reads the text again, recording).

    Iterating events instead of composing nodes keeps the stack flat however deep the
    text nests (libyaml's own composer recurses and crashes past ~100,000 levels).
    """

    def __init__(self, events: Iterator[Any], record: bool) -> None:  # untyped events
        self._events = events
        self._record = record
        self._resolver = yaml.SafeLoader("")
        self._anchors: dict[str, tuple[Any, int]] = {}  # value, how many values it holds
        self._anchored: dict[str, Position] = {}  # where each anchor was set
        self._open: set[str] = set()
        self._nodes = 0
        self._expanded = 0
        self._plain: dict[tuple[str, Any], Any] = {}  # untagged scalars read in this text

    def document(self, index: int) -> Document | None:
        doc = Document(index=index, value=None, problems=[], tables=({}, {}))
        self._anchors.clear()
        self._anchored.clear()
        first: Any = next(self._events)
        empty = isinstance(first, yaml.ScalarEvent) and first.value == "" and not first.style
        if empty and first.tag is None and first.anchor is None:  # `---` and nothing
            next(self._events)  # DocumentEndEvent
            return None
        if self._record:
            doc.value, _ = self._value(first, (), doc, 0)
        else:
            doc.value, doc.tables = self._quick(first, 0), None
        next(self._events)  # DocumentEndEvent
        return doc

    def _quick(self, event: Any, depth: int) -> Any:
        """The value starting at `event`, the common way: plain mappings, sequences and
        scalars. Anything else (an anchor, an alias, a merge key, a tag on a key, a key
        that is no scalar or comes twice, depth at the limit) is left to `_value`, which
        notes places: raises _Unplaced."""
        kind = type(event)
        if kind is yaml.ScalarEvent and event.anchor is None:
            return self._scalar(event)
        if depth >= MAX_DEPTH or kind is yaml.AliasEvent or event.anchor is not None:
            raise _Unplaced
        events = self._events
        if kind is yaml.SequenceStartEvent:
            items = []
            while type(item := next(events)) is not yaml.SequenceEndEvent:
                items.append(self._quick(item, depth + 1))
            return items
        if kind is not yaml.MappingStartEvent:
            raise _Unplaced
        out: dict[str, Any] = {}
        while type(key_event := next(events)) is not yaml.MappingEndEvent:
            if type(key_event) is not yaml.ScalarEvent or key_event.anchor is not None:
                raise _Unplaced
            plain = _plain(key_event)
            if key_event.tag is not None or (plain and key_event.value == "<<"):
                raise _Unplaced
            key = self._scalar(key_event)
            if plain and isinstance(key, bool | int | float):
                key = key_event.value  # as `_mapping` reads it
            if not isinstance(key, str) or key in out:
                raise _Unplaced
            out[key] = self._quick(next(events), depth + 1)
        return out

    def _problem(self, doc: Document, problem: SyntaxProblem) -> None:
        if not self._record:
            raise _Unplaced
        doc.problems.append(problem)

    def _value(self, event: Any, path: Path, doc: Document, depth: int) -> tuple[Any, int]:
        """The value starting at `event`, and how many values it holds."""
        if self._record:
            doc.values[path] = _pos(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event)
        if depth >= MAX_DEPTH:
            raise LimitError(
                event.start_mark, f"nested deeper than {MAX_DEPTH} levels; flatten the document"
            )
        anchor = event.anchor
        value: Any
        if isinstance(event, yaml.ScalarEvent):  # most values
            value, size = self._scalar(event), 1
        else:
            if anchor is not None:
                self._open.add(anchor)
            if isinstance(event, yaml.MappingStartEvent):
                value, size = self._mapping(path, doc, depth)
            else:
                value, size = self._sequence(path, doc, depth)
        self._nodes += 1
        if anchor is not None:
            self._anchor(anchor, event, value, size)
        return value, size

    def _anchor(self, anchor: str, event: Any, value: Any, size: int) -> None:
        here = _pos(event.start_mark)
        first = self._anchored.setdefault(anchor, here)
        if first != here:
            raise LimitError(
                event.start_mark,
                f"duplicate anchor &{anchor} (first at line {first.line}, column "
                f"{first.column}): rename one of them",
            )
        self._open.discard(anchor)
        self._anchors[anchor] = (value, size)

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
        record = self._record
        while not isinstance(key_event := next(self._events), yaml.MappingEndEvent):
            key_mark = _pos(key_event.start_mark) if record else _NOWHERE
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
                self._problem(
                    doc, SyntaxProblem(key_mark, path, "mapping keys must be plain strings")
                )
                self._value(value_event, (*path, "<value>"), doc, depth + 1)
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                if not record:
                    raise _Unplaced
                first = doc.keys[(*path, key)]
                self._problem(
                    doc,
                    SyntaxProblem(
                        key_mark,
                        (*path, key),
                        f"duplicate key '{key}' (first at line {first.line}): YAML would keep "
                        "only the last one; remove or merge one of them",
                    ),
                )
                self._value(value_event, (*path, "<duplicate>"), doc, depth + 1)
                continue
            if record:
                doc.keys[(*path, key)] = key_mark
            out[key], count = self._value(value_event, (*path, key), doc, depth + 1)
            size += count
        for key_mark, merged in merges:
            self._merge(out, merged, key_mark, path, doc)
        if record:
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
            self._problem(
                doc,
                SyntaxProblem(mark, path, "a merge key (<<) takes a mapping or a list of mappings"),
            )
            return
        for source in sources:
            for key, value in source.items():
                if key not in out:
                    out[key] = value
                    if self._record:
                        doc.keys.setdefault((*path, key), mark)
                        doc.values.setdefault((*path, key), mark)

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None:  # keys and many values recur: resolve each spelling once a text
            key = (event.value, event.implicit)
            if (known := self._plain.get(key, _UNSEEN)) is not _UNSEEN:
                return known
            self._plain[key] = value = self._resolved(event, tag)
            return value
        return self._resolved(event, tag)

    def _resolved(self, event: Any, tag: str | None) -> Any:
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


_NOWHERE = Position(0, 0)  # a key's place, when places are not noted
_UNSEEN = object()  # a spelling not resolved yet in this text
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
    LimitError on a document too deep or with aliases that expand too far.

    The text is read first without noting where each value is (most files have no
    problem, and their places are never asked for); a problem of any kind reads it again,
    noting them, so that the documents and the error come as they are."""
    try:
        docs = list(_documents(text, _Loader, False))
    except (_Unplaced, yaml.YAMLError):
        yield from _placed(text)
        return
    for doc in docs:
        doc.source = text
        yield doc


def _placed(text: str) -> Iterator[Document]:
    """Each document of `text` with the place of every value and key."""
    done = 0
    try:
        for doc in _documents(text, _Loader, True):
            yield doc
            done += 1
    except yaml.MarkedYAMLError as exc:
        if _Loader is yaml.SafeLoader or exc.problem != LIBYAML_TOO_DEEP:
            raise
        # libyaml (in PyYAML 6.0.4's wheels) refuses flow nesting past its own limit while
        # it scans ahead for a key, before any event lets ours (lower) say where the text
        # went too deep. The pure-Python parser scans ahead at most 1,024 characters too,
        # but without that limit: it reads the rest, and our depth check names the place.
        for doc in itertools.islice(_documents(text, yaml.SafeLoader, True), done, None):
            yield doc


LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def _documents(text: str, loader: Any, record: bool) -> Iterator[Document]:
    events = yaml.parse(text, Loader=loader)
    composer = _Composer(events, record)
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
