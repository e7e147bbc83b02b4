"""Serving the sandbox over HTTP with uvicorn (uvloop and httptools when installed)."""

from __future__ import annotations

import pathlib
import socket

import uvicorn

from reconciler.sandbox import app as appmod
from reconciler.sandbox import seed as seedmod
from reconciler.sandbox.faults import FaultRule
from reconciler.sandbox.store import Store


def listen(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one (read it back from getsockname)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(
    sock: socket.socket,
    db: pathlib.Path,
    seed: pathlib.Path | None,
    faults: list[FaultRule],
    log_level: str = "warning",
    *,
    random_seed: int | None = None,
) -> None:
    """Serve on an already listening socket until interrupted; `random_seed` makes the fault
    rates' draws repeat from one serve to the next."""
    app = appmod.create_app(db, seed, faults=faults, rng_seed=random_seed)
    config = uvicorn.Config(app, log_level=log_level, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def reset(db: pathlib.Path, seed: pathlib.Path | None) -> None:
    store = Store(db)
    try:
        store.reset(seedmod.load(seed))
    finally:
        store.close()
