"""Manifests: YAML files in git -> validated documents -> the desired State.

Loading keeps the position of every node so that each problem is reported as
`file:line:column: path: message`, all at once, before any network call.
"""
