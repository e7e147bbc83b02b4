"""What every sandbox route reaches through `request.app.state.sandbox`."""

from __future__ import annotations

import dataclasses
import pathlib
import random
from typing import Any

from fastapi import Request

from reconciler.sandbox import seed as seedmod
from reconciler.sandbox.clock import Clock
from reconciler.sandbox.faults import Faults
from reconciler.sandbox.store import Store


@dataclasses.dataclass
class Sandbox:
    store: Store
    clock: Clock
    seed_path: pathlib.Path | None
    faults: Faults
    rng: random.Random
    background: set[Any] = dataclasses.field(default_factory=set)
    started_with: list[Any] = dataclasses.field(default_factory=list)  # serve's fault rules

    def seed(self) -> seedmod.Seed:
        return seedmod.load(self.seed_path)


async def sandbox(request: Request) -> Sandbox:
    value: Sandbox = request.app.state.sandbox
    return value
