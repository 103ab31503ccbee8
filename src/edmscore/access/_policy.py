"""Who may see a card: the access policy every use case and every adapter's search applies."""

from __future__ import annotations

import attrs

from edmscore.directory import Clearance, User
from edmscore.registry import AccessMark, RegistrationCard

__all__ = ["AccessScope", "may_see"]


@attrs.frozen
class AccessScope:
    """What a storage adapter needs to filter a search for one user.

    An open card is visible to everyone; a ДСП card only to a user cleared for ДСП or named on the
    card's access list. Adapters translate this into their query language; :meth:`permits` is the
    reference rule they must agree with.
    """

    user_id: str
    dsp_cleared: bool

    @classmethod
    def of(cls, user: User) -> AccessScope:
        """The scope of ``user``."""
        return cls(user_id=user.id, dsp_cleared=user.clearance is Clearance.DSP and user.active)

    def permits(self, card: RegistrationCard) -> bool:
        """Whether the card is visible within this scope."""
        details = card.details
        if details.access is AccessMark.OPEN:
            return True
        return self.dsp_cleared or self.user_id in details.access_list


def may_see(user: User, card: RegistrationCard) -> bool:
    """Whether ``user`` may see ``card`` (an inactive user sees nothing)."""
    return user.active and AccessScope.of(user).permits(card)
