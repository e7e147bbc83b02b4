"""Drift: what changed behind git's back, as data that every report format renders."""
