"""What `validate` found, for people: per enterprise what its manifests hold, then the
count of enterprises and files (or the problems, rendered where they were found)."""

from __future__ import annotations

from reconciler.model import kinds
from reconciler.render.values import plural
from reconciler.reports.validation import Validation


def summary(found: Validation, *, verbose: bool = False) -> list[str]:
    """The lines of a valid set of manifests (the skipped files first; `verbose`: what
    discovery left out too, and why)."""
    lines = [f"ignored {path}: {why}" for path, why in found.ignored] if verbose else []
    lines += [f"skipped {file}: no apiVersion or kind, not a manifest" for file in found.skipped]
    label = {k: kinds.KINDS[k].label for k in (kinds.SMS_USER, kinds.SMS_GROUP, kinds.MAPPING)}
    for enterprise in found.enterprises.values():
        counts = [
            plural(len(enterprise.users), label[kinds.SMS_USER]),
            plural(len(enterprise.groups), label[kinds.SMS_GROUP]),
            plural(len(enterprise.numbers), kinds.KINDS[kinds.NUMBER].label),
            plural(len(enterprise.mappings), label[kinds.MAPPING]),
        ]
        lines.append(f"{enterprise.name}: {', '.join(counts)}")
    count = f"{plural(len(found.enterprises), 'enterprise')} in {plural(len(found.files), 'file')}"
    return [*lines, f"ok: {count}"]


def failed(found: Validation) -> list[str]:
    """The lines of an invalid set: every problem, then how many."""
    return [found.report, f"validation failed: {plural(found.errors, 'problem')}"]
