"""State: the normalized picture of enterprises that both manifests and live reads produce.

Objects are keyed by identity and normalized (numbers and members sorted, defaults
filled) so that two States describing the same tenant are equal.
"""

from __future__ import annotations

from pydantic import Field

from reconciler.model import kinds


class Enterprise(kinds.Frozen):
    """One enterprise as the planner sees it; `name` is the manifest's metadata.name."""

    name: str
    labels: dict[str, str] = Field(default_factory=dict)
    connecttoteams: kinds.ConnecttoTeamsEnterprise | None = None
    contextsms: kinds.ContextSmsEnterprise | None = None
    users: dict[str, kinds.SmsUser] = Field(default_factory=dict)
    groups: dict[str, kinds.SmsGroup] = Field(default_factory=dict)
    mappings: dict[str, kinds.Mapping] = Field(default_factory=dict)
    policy: kinds.Policy = Field(default_factory=kinds.Policy)
    renames: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Desired side only: a group's name -> the names it was renamed from.",
    )

    @property
    def numbers(self) -> frozenset[str]:
        """Every number this enterprise assigns to a user or a group."""
        owned = [n for u in self.users.values() for n in u.numbers]
        owned += [n for g in self.groups.values() for n in g.numbers]
        return frozenset(owned)


class State(kinds.Frozen):
    """Enterprises by name."""

    enterprises: dict[str, Enterprise] = Field(default_factory=dict)


def normalize_user(user: kinds.SmsUser) -> kinds.SmsUser:
    """Fill defaults and sort, so that equal essence means equal value."""
    numbers = tuple(sorted(set(user.numbers)))
    if numbers == user.numbers and user.email == user.address:
        return user  # already so (one number and its email given, say): frozen, shared
    return type(user).built(**{**user.__dict__, "numbers": numbers, "email": user.address})


def normalize_group(group: kinds.SmsGroup) -> kinds.SmsGroup:
    # built, not model_copy: a validated model's values, a tenth of the time
    numbers, members = tuple(sorted(set(group.numbers))), tuple(sorted(set(group.members)))
    return type(group).built(**{**group.__dict__, "numbers": numbers, "members": members})


def normalize_services(
    section: kinds.ConnecttoTeamsEnterprise | None,
) -> kinds.ConnecttoTeamsEnterprise | None:
    if section is None:
        return None
    return section.model_copy(update={"services": tuple(sorted(set(section.services)))})
