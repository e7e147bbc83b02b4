"""The engine: one run of a command, below the CLI and above everything else.

It loads config and manifests, scopes them, opens ONE client session (one login per
API, bounded in-flight requests and rate limits for reads and writes alike), reads,
plans, applies and reports. Every enterprise is isolated: its failure is its own.
It is the only layer that composes the others; `cli/` parses options and renders.
"""
