"""The vendors, each registered once as a Provider: its section of reconciler.yaml, its
name, where the embedded sandbox serves it, how its client is made, and the reader of
its part of the live state (none for Connectel, which only sends test messages).

The session makes clients from here and the read stage iterates the readers, so a
new vendor is one more entry, not one more `if` in each."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from reconciler.config.loader import PROVIDERS as NAMES
from reconciler.model import live, state
from reconciler.providers import http
from reconciler.providers.connectel import client as connectel
from reconciler.providers.connecttoteams import client as connecttoteams
from reconciler.providers.connecttoteams import reader as connecttoteams_reader
from reconciler.providers.contextsms import client as contextsms
from reconciler.providers.contextsms import reader as contextsms_reader

ClientT = TypeVar("ClientT", bound=http.VendorClient)
Reader = Callable[[Any, Sequence[state.Enterprise]], Awaitable[live.VendorRead]]


@dataclasses.dataclass(frozen=True)
class Provider(Generic[ClientT]):
    key: str  # providers.<key> in reconciler.yaml; the State field of its section
    sandbox_path: str  # where the embedded sandbox serves it
    connect: Callable[[http.Link], ClientT]
    read: Reader | None = None  # its part of the live state of enterprises

    @property
    def name(self) -> str:
        """The vendor's name, as people say it."""
        return NAMES[self.key]

    def wanted_by(self, enterprise: state.Enterprise) -> bool:
        """Whether the enterprise's manifest has a section for this vendor."""
        return getattr(enterprise, self.key, None) is not None


CONNECTTOTEAMS = Provider(
    "connecttoteams", "/connecttoteams", connecttoteams.connect, connecttoteams_reader.read
)
CONTEXTSMS = Provider(
    "contextsms", "/contextsms/api/v2", contextsms.connect, contextsms_reader.read
)
CONNECTEL = Provider("connectel", "/connectel/api/v2", connectel.connect)

PROVIDERS: tuple[Provider[Any], ...] = (CONNECTTOTEAMS, CONTEXTSMS, CONNECTEL)
BY_KEY = {p.key: p for p in PROVIDERS}
