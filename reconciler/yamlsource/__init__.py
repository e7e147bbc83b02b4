"""YAML with positions: the toolkit `manifest/` and `config/` both sit on.

`tree` parses YAML into plain values that remember the line and column of every node
(and refuses duplicate keys); `problems` is a problem at a place and the report that
groups them per document; `translate` turns pydantic's errors into such problems.
"""
