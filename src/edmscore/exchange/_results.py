"""What the exchange use cases return: a received card, a sending, a linked reply."""

from __future__ import annotations

import attrs

from edmscore.exchange.dispatch import Dispatch
from edmscore.exchange.medo import IncomingDraft, Message, Notification, OutgoingLetter
from edmscore.registry import RegistrationCard

__all__ = ["Received", "ReplyLink", "Sent"]


@attrs.frozen
class Received:
    """A registered incoming card, the notification to send back, and what the check found."""

    card: RegistrationCard
    notification: Message
    incoming: IncomingDraft

    @property
    def classification_review_needed(self) -> bool:
        """The letter's restriction mark was not recognised: the card was registered ДСП and a
        person must read the mark (the card's ``notes`` say so; the audit event too)."""
        return self.incoming.classification_review_needed


@attrs.frozen
class Sent:
    """The letters of one sending, and the addressees that need another delivery method.

    ``already_delivered`` names (by MEDO id) the addressees a later attempt leaves out because
    their delivery record says the letter reached them.
    """

    card: RegistrationCard
    letters: tuple[OutgoingLetter, ...]
    without_medo: tuple[str, ...]
    already_delivered: tuple[str, ...] = ()


@attrs.frozen
class ReplyLink:
    """A notification that came back, the outgoing card it is about, and its delivery record.

    ``dispatch`` is the record of the card to the notification's sender as it is now (None when
    the storage keeps no records or none matches).
    """

    card: RegistrationCard
    notification: Notification
    dispatch: Dispatch | None = None
