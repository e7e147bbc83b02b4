"""Checks on the suite itself: every test has an id of its own, and a command run in-process
leaves logging as it found it.

pytest-xdist's `--dist loadfile` (what `make test` runs) schedules by test id, so tests
that share one run once between them, and the rest pass without running. Schemathesis
4's items shared one id under pytest 9 (46 of the 47 sandbox fuzz tests never ran in CI),
hence pytest's upper bound in pyproject.toml; this check makes the next such change loud."""

from __future__ import annotations

import collections
import logging
from collections.abc import Iterator

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    counts = collections.Counter(item.nodeid for item in items)
    shared = sorted(nodeid for nodeid, count in counts.items() if count > 1)
    if shared:
        raise pytest.UsageError(
            f"{len(shared)} test ids are shared by several tests, which pytest-xdist would "
            f"run only once: {', '.join(shared[:3])}"
        )


@pytest.fixture(autouse=True)
def reconciler_logger_restored() -> Iterator[None]:
    """A command run in-process (`main.run`) gives the `reconciler` logger a handler of its
    own and stops it propagating, which hides its records from every later test's caplog."""
    logger = logging.getLogger("reconciler")
    handlers, propagate, level = list(logger.handlers), logger.propagate, logger.level
    yield
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.propagate, logger.level = propagate, level
