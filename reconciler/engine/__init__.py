"""The engine: the workflows below the public API (`reconciler.api`), above everything else.

A workflow loads config and manifests, scopes them, opens ONE client session (one login
per API, bounded in-flight requests and rate limits for reads and writes alike), reads,
plans, applies and reports, and returns a value. Every enterprise is isolated: its
failure is its own. It is the only layer that composes the others; `api/` is its door
and `cli/` one client of it.
"""
