"""Project configuration (`reconciler.yaml`): endpoints, credentials by reference, limits.

Secrets are written as `${ENV_VAR}` and resolved only when a provider is used, so
`validate` runs offline with no credentials at all.
"""
