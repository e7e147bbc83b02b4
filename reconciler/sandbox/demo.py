"""The demo seed (the examples' sandbox state: the clients, users and numbers the README's
sample requests use), shipped inside the wheel so that `reconciler sandbox serve` in an
empty directory serves it. In a source checkout it is `examples/sandbox-seed.yaml`."""

from __future__ import annotations

import pathlib

PACKAGED = pathlib.Path(__file__).with_name("demo-seed.yaml")  # put there by the wheel build
CHECKOUT = pathlib.Path(__file__).parents[2] / "examples" / "sandbox-seed.yaml"


def seed() -> pathlib.Path | None:
    """The demo seed's path, or None when neither copy exists."""
    return next((p for p in (PACKAGED, CHECKOUT) if p.is_file()), None)
