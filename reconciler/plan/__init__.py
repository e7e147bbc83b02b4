"""Planning: a pure diff of two States into an ordered Plan (no I/O, no clock, no httpx)."""
