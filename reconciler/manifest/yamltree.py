"""YAML text -> plain Python values plus the position of every node.

PyYAML silently keeps the last of two equal keys; we compose the node graph
ourselves so duplicates become errors and every value keeps its line and column.
"""

from __future__ import annotations

import dataclasses
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


class _Builder:
    def __init__(self) -> None:
        self._constructor = yaml.SafeLoader("")

    def document(self, index: int, root: yaml.Node) -> Document:
        doc = Document(index=index, value=None, values={}, keys={}, problems=[])
        doc.value = self._node(root, (), doc)
        return doc

    def _node(self, node: yaml.Node, path: Path, doc: Document) -> Any:
        doc.values[path] = _pos(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, doc)
        if isinstance(node, yaml.SequenceNode):
            return [self._node(item, (*path, i), doc) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path, doc: Document) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str | int | float | bool) or key is None:
                doc.problems.append(
                    SyntaxProblem(
                        _pos(key_node.start_mark), path, "mapping keys must be plain strings"
                    )
                )
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                first = doc.keys[(*path, key)]
                doc.problems.append(
                    SyntaxProblem(
                        _pos(key_node.start_mark),
                        (*path, key),
                        f"duplicate key '{key}' (first at line {first.line}): YAML would keep "
                        "only the last one; remove or merge one of them",
                    )
                )
                continue
            doc.keys[(*path, key)] = _pos(key_node.start_mark)
            out[key] = self._node(value_node, (*path, key), doc)
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR:  # most scalars: skip the generic constructor's bookkeeping
            return node.value
        return self._constructor.construct_object(node)


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def parse(text: str) -> Iterator[Document]:
    """Yield each document of `text`; raises yaml.MarkedYAMLError on a syntax error."""
    builder = _Builder()
    for index, root in enumerate(yaml.compose_all(text, Loader=_Loader)):
        if root is None or _is_empty(root):
            continue
        yield builder.document(index, root)


def _is_empty(node: yaml.Node) -> bool:
    """A document with nothing in it (`---` followed by nothing)."""
    return isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style


def syntax_error_position(exc: yaml.YAMLError) -> tuple[Position, str]:
    """Where a YAML syntax error is, and a one-line description of it."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    position = _pos(mark) if mark is not None else Position(1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    message = f"YAML syntax error: {problem}"
    where = _pos(context_mark) if context_mark is not None else position
    if context and where != position:
        message += f" ({context} started at line {where.line}, column {where.column})"
    elif context:
        message += f" ({context})"
    return position, message
