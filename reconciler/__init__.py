"""reconciler: GitOps for SMS in Microsoft Teams.

The pipeline is manifest -> model -> providers -> plan -> apply -> render; the engine
composes it, `reconciler.api` is its public door (the CLI, `reconciler.cli`, is one
client of it), and the sandbox emulates the vendors.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
