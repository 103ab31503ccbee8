"""Who acts: the identity a host vouches for, resolved against the directory into an :class:`Actor`.

A host authenticates its user its own way (a password, ЕСИА, a certificate, Kerberos) and hands
the library a :class:`Principal` — the user's id and how they were authenticated — or just the id.
Every use case loads that user from the directory inside its unit of work: a user the directory
does not know, a blocked or a dismissed one is refused; clearance, organisation and roles come
from the directory alone, so nothing a host builds in memory can widen them. A ``User`` value
passed where an actor is expected counts only as its id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeAlias

import attrs
import pendulum

from edmscore._validate import non_empty_text, optional_text
from edmscore.access._permissions import Permission
from edmscore.access._policy import AccessPolicy, AccessScope
from edmscore.directory import (
    Clearance,
    Organisation,
    Power,
    Substitution,
    SubstitutionSource,
    User,
    acting_official,
)
from edmscore.errors import ActorBlocked, NotFound, PermissionDenied, UnknownActor
from edmscore.registry import RegistrationCard

__all__ = ["Actor", "ActorRef", "Principal", "resolve_actor", "substitutions_of"]


@attrs.frozen
class Principal:
    """The identity a host vouches for: a user id, how it was authenticated, whom it replaces.

    ``on_behalf_of`` names a user the acting user replaces as deputy (исполняющий обязанности):
    the directory must list that user in the actor's ``deputy_for``, or a
    :class:`~edmscore.directory.Substitution` in force on the day of the action must make the
    actor's official the deputy of that user's official, with the power the use case needs.
    """

    user_id: str = attrs.field(validator=non_empty_text(64))
    authenticated_by: str = attrs.field(default="host", validator=non_empty_text(64))
    on_behalf_of: str | None = attrs.field(default=None, validator=optional_text(64))


_SEAL = object()


@attrs.frozen(eq=False)
class Actor:
    """A user as the directory knows them, with their permissions, acting now.

    Built only by :func:`resolve_actor`. It answers the same questions as a ``User``
    (``id``, ``organisation_id``, ``clearance``…) and adds permission checks and the access scope.
    """

    user: User
    organisation: Organisation
    grants: Mapping[Permission, frozenset[str] | None]
    supervised_ids: frozenset[str]
    represented: User | None
    authenticated_by: str
    _seal: object = attrs.field(repr=False)
    #: The substitution the actor replaces ``represented`` under (None: ``deputy_for``).
    substitution: Substitution | None = None

    @property
    def id(self) -> str:
        """The acting user's id (the real person, even when replacing someone)."""
        return self.user.id

    @property
    def login(self) -> str:
        """The acting user's login."""
        return self.user.login

    @property
    def organisation_id(self) -> str:
        """The organisation the actor works for."""
        return self.user.organisation_id

    @property
    def official_id(self) -> str | None:
        """The official the user acts as, if any."""
        return self.user.official_id

    @property
    def clearance(self) -> Clearance:
        """The acting user's own ДСП clearance (a deputy never borrows it)."""
        return self.user.clearance

    @property
    def active(self) -> bool:
        """Always True: blocked and dismissed users never become actors."""
        return True

    @property
    def on_behalf_of(self) -> str | None:
        """The id of the user this actor replaces, if any."""
        return None if self.represented is None else self.represented.id

    @property
    def dsp_cleared(self) -> bool:
        """Whether the actor may see ДСП documents."""
        return self.user.clearance is Clearance.DSP

    def has(self, permission: Permission, department_id: str | None = None) -> bool:
        """Whether the actor holds ``permission`` (for ``department_id`` when one is given)."""
        if permission not in self.grants:
            return False
        departments = self.grants[permission]
        return departments is None or (department_id is not None and department_id in departments)

    def require(self, permission: Permission, department_id: str | None = None) -> None:
        """Raise :class:`PermissionDenied` unless the actor holds ``permission`` there."""
        if not self.has(permission, department_id):
            where = f"in department {department_id!r}" if department_id else ""
            raise PermissionDenied(permission.value, where)

    def require_somewhere(self, permission: Permission) -> None:
        """Raise :class:`PermissionDenied` unless the actor holds ``permission`` at all (in some
        department at least); for listings, which the scope then narrows."""
        if permission not in self.grants:
            raise PermissionDenied(permission.value)

    def require_own(self, organisation_id: str, what: str) -> None:
        """Refuse changes to another organisation's ``what`` (:class:`PermissionDenied`)."""
        if organisation_id != self.organisation_id:
            raise PermissionDenied(
                "own_organisation",
                message=f"{what} of another organisation cannot be changed by {self.login!r}",
            )

    def scope(self) -> AccessScope:
        """The access scope listings of this actor are filtered by."""
        # READ limited to departments narrows the own organisation's cards; without READ at
        # all the use cases refuse reading, and changes are gated by their own permissions.
        departments = self.grants.get(Permission.READ)
        supervised = self.supervised_ids if Permission.SUPERVISE in self.grants else frozenset()
        also = frozenset() if self.represented is None else {self.represented.id}
        return AccessScope(
            user_id=self.user.id,
            dsp_cleared=self.dsp_cleared,
            organisation_id=self.organisation_id,
            department_ids=departments,
            supervised_ids=supervised,
            also_reader_ids=also,
        )

    def may_see(self, card: RegistrationCard) -> bool:
        """Whether the card is visible to the actor."""
        return self.scope().permits(card)


#: What a use case accepts as "who acts": a principal, a user id, a ``User`` (only its id is
#: used) or an :class:`Actor` already resolved by the library.
ActorRef: TypeAlias = "Principal | User | str | Actor"


def _principal(who: ActorRef) -> Principal:
    if isinstance(who, Principal):
        return who
    if isinstance(who, str):
        return Principal(who)
    if isinstance(who, User):
        return Principal(who.id)
    raise TypeError(f"not an actor: {who!r}")


class _UserSource(Protocol):
    """What resolving an actor reads from the directory (a subset of the Directory port)."""

    def user(self, user_id: str) -> User:
        """The user, or NotFound."""
        ...

    def organisation(self, organisation_id: str) -> Organisation:
        """The organisation, or NotFound."""
        ...


def _load(directory: _UserSource, user_id: str) -> User:
    try:
        return directory.user(user_id)
    except NotFound:
        raise UnknownActor(user_id) from None


def substitutions_of(uow: object) -> SubstitutionSource | None:
    """The unit of work's substitutions repository, if its storage keeps substitutions."""
    found = getattr(uow, "substitutions", None)
    return None if found is None else _Substitutions(found)


@attrs.frozen
class _Substitutions:
    repo: Any

    def in_force(self, organisation_id: str, day: pendulum.Date) -> Sequence[Substitution]:
        found: Sequence[Substitution] = self.repo.in_force(organisation_id, day)
        return found


def _standing_in(
    user: User,
    represented: User,
    on: pendulum.Date,
    substitutions: SubstitutionSource | None,
    power: Power | None,
) -> Substitution | None:
    """The substitution in force on ``on`` that makes ``user`` the deputy of ``represented``."""
    if substitutions is None or user.official_id is None or represented.official_id is None:
        return None
    subs = [s for s in substitutions.in_force(user.organisation_id, on) if s.grants(power)]
    acting, replaced = acting_official(represented.official_id, on, subs)
    if replaced is None or acting != user.official_id:
        return None
    return next(s for s in subs if s.official_id == represented.official_id and s.covers(on))


def resolve_actor(
    directory: _UserSource,
    who: ActorRef,
    policy: AccessPolicy,
    on: pendulum.Date,
    *,
    substitutions: SubstitutionSource | None = None,
    power: Power | None = None,
) -> Actor:
    """Load the acting user from ``directory`` and give them their permissions under ``policy``.

    :class:`UnknownActor` for an id the directory lacks; :class:`ActorBlocked` for a user blocked
    or dismissed on ``on``, or who claims to replace someone the directory does not let them
    replace: another organisation's user, or one neither in their ``deputy_for`` nor replaced by
    them under a substitution of ``substitutions`` in force on ``on`` handing over ``power``.
    """
    if isinstance(who, Actor):
        if who._seal is not _SEAL:
            raise TypeError("an Actor must come from resolve_actor")
        return who
    principal = _principal(who)
    user = _load(directory, principal.user_id)
    if not user.may_act_on(on):
        raise ActorBlocked(f"user {user.login!r} is blocked or dismissed")
    organisation = directory.organisation(user.organisation_id)
    grants = policy.grants(user)
    represented = substitution = None
    if principal.on_behalf_of is not None:
        represented = _load(directory, principal.on_behalf_of)
        same = represented.organisation_id == user.organisation_id and represented.active
        if same and represented.id not in user.deputy_for:
            substitution = _standing_in(user, represented, on, substitutions, power)
        if not same or (represented.id not in user.deputy_for and substitution is None):
            raise ActorBlocked(f"user {user.login!r} may not act for {represented.login!r}")
        for permission, departments in policy.grants(represented).items():
            mine = grants.get(permission, frozenset())
            grants[permission] = None if mine is None or departments is None else mine | departments
    return Actor(
        user=user,
        organisation=organisation,
        grants=grants,
        supervised_ids=policy.supervised_by(organisation.id),
        represented=represented,
        authenticated_by=principal.authenticated_by,
        seal=_SEAL,
        substitution=substitution,
    )
