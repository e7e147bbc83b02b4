"""What keeps one enterprise's read from becoming everyone's: its failure becomes its own
Problem (naming the API, the call and the vendor's answer), and a group of calls is
awaited whole."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from typing import TypeVar

from reconciler import errors
from reconciler.model.problem import Problem
from reconciler.providers.telemetry import scoped

T = TypeVar("T")


async def isolated(enterprise: str, work: Awaitable[T]) -> T | Problem:
    """`work`'s result, or the enterprise's Problem when it fails (the run goes on).
    Its calls are recorded (and logged) as the enterprise's."""
    try:
        with scoped(enterprise=enterprise):
            return await work
    except errors.PlanError as exc:  # a missing pin or an ambiguous name
        return Problem(kind="conflict", enterprise=enterprise, message=str(exc))
    except errors.ApiError as exc:
        return problem(enterprise, exc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # An answer of the right type whose contents are not what the contract says.
        return Problem(
            kind="read",
            enterprise=enterprise,
            message=f"cannot read it: an answer is not what the API contract describes "
            f"({type(exc).__name__}: {str(exc)[:120]})",
        )


def problem(enterprise: str, exc: errors.ApiError) -> Problem:
    """A failed read as the enterprise's problem, naming the API, the call and the answer."""
    return Problem(
        kind="read",
        enterprise=enterprise,
        message=f"cannot read it: {exc}",
        api=exc.api,
        operation=exc.operation,
    )


async def all_of(calls: Mapping[str, Awaitable[T]]) -> dict[str, T]:
    """Await every call (none is left running); the first failure, in order, is raised."""
    results = await asyncio.gather(*calls.values(), return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, BaseException):
            raise outcome
    return dict(zip(calls, results, strict=True))  # type: ignore[arg-type]
