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
    rng_seed: int | None = None  # serve's --random-seed

    def seed(self) -> seedmod.Seed:
        return seedmod.load(self.seed_path)

    def start_over(self, seed: seedmod.Seed) -> None:
        """Reset or reseed: the state, the fault rules and, when seeded, the draws restart."""
        self.store.reset(seed)
        self.faults.set(self.started_with, self.clock.now())
        if self.rng_seed is not None:
            self.rng.seed(self.rng_seed)


async def sandbox(request: Request) -> Sandbox:
    value: Sandbox = request.app.state.sandbox
    return value
