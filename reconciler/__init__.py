"""reconciler: GitOps for SMS in Microsoft Teams.

The pipeline is manifest -> model -> providers -> plan -> apply -> render; the
CLI (`reconciler.cli`) ties it together and the sandbox emulates the vendors.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
