"""Fields the live side owns (`spec.policy.ignore: [kind.field]`, Terraform's
`ignore_changes`, Flux's `.spec.ignore`): before an enterprise is planned, each such field
of each desired object takes the live object's value. So it is never planned nor reported
as drift, and a change made for another field carries the live value rather than
overwriting it; a new object (nothing live yet) takes the manifest's value. Pure."""

from __future__ import annotations

from collections import defaultdict

from reconciler.model import kinds, state


def owned(desired: state.Enterprise, found: state.Enterprise | None) -> state.Enterprise:
    """`desired` with every ignored field of every object that exists live set to the
    live value."""
    if not desired.policy.ignore or found is None:
        return desired
    fields: dict[str, list[str]] = defaultdict(list)
    for rule in desired.policy.ignore:
        kind_name, field = rule.split(".")
        fields[kind_name].append(field)
    update: dict[str, object] = {}
    for name, names in fields.items():
        kind = kinds.KINDS[name]
        if kind.field:  # objects by identity
            have = getattr(found, kind.field)
            wanted = getattr(desired, kind.field)
            update[kind.field] = {key: _keep(o, have.get(key), names) for key, o in wanted.items()}
        else:  # an enterprise's section on one vendor (the attribute is the kind's name)
            update[name] = _keep(getattr(desired, name), getattr(found, name), names)
    return desired.model_copy(update=update)


def _keep(
    wanted: kinds.Frozen | None, live: kinds.Frozen | None, fields: list[str]
) -> kinds.Frozen | None:
    if wanted is None or live is None:
        return wanted
    return wanted.model_copy(update={f: getattr(live, f) for f in fields})
