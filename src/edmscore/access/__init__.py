"""Who acts and what they may see and do: principals, actors, roles, permissions, the policy.

See ``docs/access.md``: a host hands each use case the identity it vouches for
(:class:`Principal` or a user id); the use case loads the :class:`Actor` from the directory,
checks the :class:`Permission` the operation needs under the installation's
:class:`AccessPolicy`, and filters every listing by the actor's :class:`AccessScope`.
"""

from __future__ import annotations

from edmscore.access._actor import Actor, ActorRef, Principal, resolve_actor, substitutions_of
from edmscore.access._permissions import Permission
from edmscore.access._policy import AccessPolicy, AccessScope, may_see
from edmscore.access._roles import BUILTIN_ROLES, LEGACY_FULL_ACCESS, Role

__all__ = [
    "BUILTIN_ROLES",
    "LEGACY_FULL_ACCESS",
    "AccessPolicy",
    "AccessScope",
    "Actor",
    "ActorRef",
    "Permission",
    "Principal",
    "Role",
    "may_see",
    "resolve_actor",
    "substitutions_of",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
