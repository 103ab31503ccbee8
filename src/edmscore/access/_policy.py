"""Who may see what: the access scope every listing applies, and the installation's policy.

The visibility rule, in one place (adapters translate it into their query language and must agree
with :meth:`AccessScope.permits`):

1. *Organisation.* A card is visible to users of the organisation that owns it, to users of an
   organisation it was shared with (delivered inside the installation or over MEDO), to users of
   an organisation that supervises the owner under the policy's supervision rule (with the
   ``supervise`` permission), and to anyone on its access list. A user whose ``read`` permission
   is limited to departments sees only their own organisation's cards of those departments.
2. *ДСП.* A card marked ДСП is visible, among those, only to users cleared for ДСП and to users on
   its access list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from edmscore.access._permissions import Permission
from edmscore.access._roles import BUILTIN_ROLES, LEGACY_FULL_ACCESS, Role
from edmscore.directory import Clearance, User
from edmscore.errors import ValidationError
from edmscore.registry import AccessMark, RegistrationCard

__all__ = ["AccessPolicy", "AccessScope", "may_see"]


def _ids(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def _id_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class AccessScope:
    """What a storage adapter needs to filter a search for one actor.

    ``organisation_id`` None means no organisation filter (trusted internal scans and scopes built
    by hand in older code); an actor's scope always names the organisation. ``department_ids``
    limits the own organisation's cards to those departments; ``supervised_ids`` are the
    organisations whose cards the actor may read under supervision; ``reader_ids`` are the user ids
    whose place on an access list counts (the actor and, for a deputy, the person replaced).
    """

    user_id: str
    dsp_cleared: bool
    organisation_id: str | None = None
    department_ids: frozenset[str] | None = attrs.field(default=None, converter=_ids)
    supervised_ids: frozenset[str] = attrs.field(default=frozenset(), converter=_id_set)
    also_reader_ids: frozenset[str] = attrs.field(default=frozenset(), converter=_id_set)

    @classmethod
    def of(cls, user: User) -> AccessScope:
        """The scope of ``user`` as stored in the directory (their organisation, no departments)."""
        return cls(
            user_id=user.id,
            dsp_cleared=user.clearance is Clearance.DSP and user.active,
            organisation_id=user.organisation_id,
        )

    @classmethod
    def everything(cls) -> AccessScope:
        """A scope that permits every card: for the library's own scans, never for a person."""
        return cls(user_id="", dsp_cleared=True)

    @property
    def reader_ids(self) -> frozenset[str]:
        """The user ids whose place on a card's access list lets this scope see the card."""
        return self.also_reader_ids | {self.user_id}

    def listed(self, card: RegistrationCard) -> bool:
        """Whether the card's access list names the actor (or the person they replace)."""
        access_list = card.details.access_list
        return bool(access_list) and not access_list.isdisjoint(self.reader_ids)

    def reaches(self, card: RegistrationCard) -> bool:
        """Whether the card is within the scope's organisations (rule 1, ДСП aside)."""
        if self.organisation_id is None:
            return True
        owner = card.organisation_id
        if owner == self.organisation_id:
            return self.department_ids is None or card.details.department_id in self.department_ids
        if owner in self.supervised_ids:
            return True
        return self.organisation_id in card.details.shared_with

    def permits(self, card: RegistrationCard) -> bool:
        """Whether the card is visible within this scope."""
        listed = self.listed(card)
        if not listed and not self.reaches(card):
            return False
        return card.details.access is AccessMark.OPEN or self.dsp_cleared or listed


def may_see(user: User, card: RegistrationCard) -> bool:
    """Whether ``user`` (as stored) may see ``card`` (an inactive user sees nothing)."""
    return user.active and AccessScope.of(user).permits(card)


def _roles(value: Mapping[str, Role] | Iterable[Role]) -> Mapping[str, Role]:
    items = value.values() if isinstance(value, Mapping) else value
    merged = dict(BUILTIN_ROLES)
    for role in items:
        if not isinstance(role, Role):
            raise ValidationError("AccessPolicy.roles", f"not a Role: {role!r}")
        merged[role.name] = role
    merged.setdefault(LEGACY_FULL_ACCESS.name, LEGACY_FULL_ACCESS)
    return MappingProxyType(merged)


def _supervision(value: Mapping[str, Iterable[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({k: frozenset(v) for k, v in value.items()})


@attrs.frozen
class AccessPolicy:
    """The installation's access rules: its roles, what role-less users get, who supervises whom.

    ``roles`` holds the built-in roles plus the host's own (a host role with a built-in name
    replaces it). ``default_roles`` are given to a user whose directory entry names no role: empty
    under :meth:`strict` (such a user may do nothing), every permission under
    :meth:`legacy_permissive`. ``supervision`` maps an organisation id to the organisations whose
    cards its users with the ``supervise`` permission may read (never by default).
    """

    roles: Mapping[str, Role] = attrs.field(factory=dict, converter=_roles)
    default_roles: tuple[str, ...] = attrs.field(default=(), converter=_names)
    supervision: Mapping[str, frozenset[str]] = attrs.field(factory=dict, converter=_supervision)
    name: str = "strict"

    def __attrs_post_init__(self) -> None:
        for role in self.default_roles:
            self.role(role)

    @classmethod
    def strict(
        cls,
        roles: Iterable[Role] = (),
        supervision: Mapping[str, Iterable[str]] | None = None,
    ) -> AccessPolicy:
        """The policy for a real installation: users may do only what their roles allow."""
        return cls(roles=tuple(roles), supervision=dict(supervision or {}), name="strict")

    @classmethod
    def legacy_permissive(cls) -> AccessPolicy:
        """The migration default: a user with no roles may do everything (one organisation).

        Organisations are kept apart and ДСП is enforced all the same; only the permissions are
        wide open for users the directory gives no role. Hosts move to :meth:`strict` by giving
        their users roles.
        """
        return cls(default_roles=(LEGACY_FULL_ACCESS.name,), name="legacy_permissive")

    def role(self, name: str) -> Role:
        """The role called ``name``; :class:`ValidationError` for a name the policy lacks."""
        try:
            return self.roles[name]
        except KeyError:
            raise ValidationError("role", f"no role {name!r} in the access policy") from None

    def supervised_by(self, organisation_id: str) -> frozenset[str]:
        """The organisations ``organisation_id`` supervises (empty unless configured)."""
        return self.supervision.get(organisation_id, frozenset())

    def grants(self, user: User) -> dict[Permission, frozenset[str] | None]:
        """Each permission the user holds, with the departments it is limited to (None: all)."""
        held: dict[Permission, frozenset[str] | None] = {}
        grants: tuple[Any, ...] = user.roles or tuple(_Grant(name) for name in self.default_roles)
        for grant in grants:
            role = self.roles.get(grant.role)
            if role is None:  # a role the policy no longer has grants nothing
                continue
            for permission in role.permissions:
                held[permission] = _widen(held, permission, grant.department_id)
        return held


@attrs.frozen
class _Grant:
    role: str
    department_id: str | None = None


def _widen(
    held: Mapping[Permission, frozenset[str] | None], permission: Permission, department: str | None
) -> frozenset[str] | None:
    if department is None:
        return None
    if permission in held:
        current = held[permission]
        return None if current is None else current | {department}
    return frozenset({department})
