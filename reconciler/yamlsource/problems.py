"""Problems found in manifests or config, and how they are rendered for people.

Each problem knows its file, position and path in the document; the report groups
them under one header per document, one line per problem, sorted by position.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from reconciler.yamlsource.tree import Path, Position


def format_path(path: Path) -> str:
    """('spec', 'smsUsers', 3, 'numbers', 0) -> 'spec.smsUsers[3].numbers[0]'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    file: str
    document: int  # 0-based; -1 for problems of the whole file
    position: Position
    path: Path
    message: str
    severity: str = "error"

    def location(self) -> str:
        """`file:line:column`; the file alone for a problem of no place in it (line 0:
        a missing path, an unreadable file)."""
        if self.position.line == 0:
            return self.file
        return f"{self.file}:{self.position.line}:{self.position.column}"

    def render(self) -> str:
        where = f"{self.location()}: "
        if self.document >= 0:
            where += f"{format_path(self.path)}: "
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}{prefix}{self.message}"


def render_report(problems: Iterable[Problem], titles: dict[tuple[str, int], str]) -> str:
    """One header per document (`file: document N (title)`), then its problems indented."""
    ordered = sorted(problems, key=lambda p: (p.file, p.document, p.position, p.path))
    lines: list[str] = []
    current: tuple[str, int] | None = None
    for problem in ordered:
        if problem.position.line == 0:  # of the path itself: one line says it all
            lines.append(problem.render())
            current = None
            continue
        key = (problem.file, problem.document)
        if key != current:
            current = key
            lines.append(_header(problem, titles.get(key)))
        lines.append(f"  {problem.render()}")
    return "\n".join(lines)


def _header(problem: Problem, title: str | None) -> str:
    if problem.document < 0:
        return f"{problem.file}:"
    header = f"{problem.file}: document {problem.document + 1}"
    return f"{header} ({title}):" if title else f"{header}:"
