"""Serving the sandbox over HTTP with uvicorn (uvloop and httptools when installed)."""

from __future__ import annotations

import pathlib

import uvicorn

from reconciler.sandbox import app as appmod
from reconciler.sandbox import seed as seedmod
from reconciler.sandbox.faults import FaultRule
from reconciler.sandbox.store import Store


def serve(
    host: str,
    port: int,
    db: pathlib.Path,
    seed: pathlib.Path | None,
    faults: list[FaultRule],
    log_level: str = "warning",
) -> None:
    app = appmod.create_app(db, seed, faults=faults)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)


def reset(db: pathlib.Path, seed: pathlib.Path | None) -> None:
    store = Store(db)
    try:
        store.reset(seedmod.load(seed))
    finally:
        store.close()
