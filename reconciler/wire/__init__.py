"""Wire: what each vendor's API looks like, as pure data and functions (no I/O).

One module per vendor holds its endpoint table (and the overrides reconciler.yaml may
make), the request bodies, the parsers of its answers into our model, and the lookups
by name that recover a create whose answer was lost. The planner compiles calls with
it; the providers send them and parse the answers with it.
"""
