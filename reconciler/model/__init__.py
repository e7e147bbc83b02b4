"""The normalized model shared by both sides of the pipeline.

The manifest side and the live readers both produce a `State`; the planner only ever
compares two of them. Everything here is a frozen pydantic model with `extra="forbid"`.
"""
