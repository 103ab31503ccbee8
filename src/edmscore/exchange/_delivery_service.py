"""The delivery-control use cases of :class:`~edmscore.exchange.service.ExchangeService`.

Kept apart so the exchange module stays small: applying a receipt (квитанция) to the record of
the message it acknowledges, a card's delivery records, and what waits too long on the
production calendar. The pure steps are in :mod:`edmscore.exchange._delivery`.
"""

from __future__ import annotations

from edmscore.access import may_see
from edmscore.calendar import ProductionCalendar, russian_calendar
from edmscore.directory import User
from edmscore.errors import AccessDenied
from edmscore.exchange._delivery import Stuck, apply_receipt, hash_checks, repository, stuck
from edmscore.exchange.dispatch import Dispatch, DispatchState
from edmscore.exchange.medo import Acknowledgment, Message
from edmscore.records._base import ServiceBase
from edmscore.records.ports import UnitOfWork
from edmscore.registry import RegistrationCard

__all__ = ["DeliveryUseCases"]


class DeliveryUseCases(ServiceBase):
    """Receipts, a card's delivery records and the overdue listing (a base of ExchangeService)."""

    _calendar: ProductionCalendar | None = None

    @property
    def calendar(self) -> ProductionCalendar:
        """The production calendar :meth:`overdue` counts working days on."""
        if self._calendar is None:
            self._calendar = russian_calendar(include_provisional=True)
        return self._calendar

    def receipt_received(self, actor: User, receipt: Message) -> Dispatch | None:
        """Apply a receipt (квитанция) to the delivery record of the message it acknowledges.

        An accepting receipt marks the letter delivered, one that says "not accepted" marks it
        failed (a new attempt may then be sent). Anything but a receipt, a receipt of a message
        this organisation did not send, or one not from that message's recipient gives None; a
        storage that keeps no delivery records too. A changed record is audited on the card as
        ``medo.receipt_received``, with the receipt's ``hashCodes`` checked against the card's
        files (``hash_codes``: file name → ``match``, ``mismatch``…; a mismatch is reported, not
        raised); a receipt contradicting what is known raises
        :class:`~edmscore.errors.DispatchStateError` and changes nothing.
        """
        self._require_active(actor)
        if not isinstance(receipt.content, Acknowledgment):
            return None
        now = self._now()
        with self.storage.unit_of_work() as uow:
            records = repository(uow)
            moved = (
                None if records is None else apply_receipt(records, actor.organisation_id, receipt)
            )
            if moved is None:
                return None
            before, after = moved
            card = self._visible(uow, actor, after.card_id)
            if after != before:
                self._audit(
                    uow,
                    actor,
                    now,
                    "medo.receipt_received",
                    "card",
                    after.card_id,
                    {"state": before.state.value},
                    {
                        "state": after.state.value,
                        "dispatch": after.id,
                        "from": receipt.header.source.uid,
                        "message_uid": receipt.content.message_uid,
                        "accepted": receipt.content.accepted,
                        "time": receipt.content.time.isoformat(),
                        "hash_codes": hash_checks(uow.blobs, card, receipt.content),
                    },
                    receipt.content.comment or "",
                )
            uow.commit()
            return after

    # --- delivery control ----------------------------------------------------------------------

    def dispatches(self, actor: User, card_id: str) -> tuple[Dispatch, ...]:
        """The delivery records of an outgoing card, one per addressee, by first sending.

        Empty when nothing was sent (or the storage keeps no records); AccessDenied for a card
        the user may not see or of another organisation.
        """
        self._require_active(actor)
        with self.storage.unit_of_work() as uow:
            card = self._visible(uow, actor, card_id)
            if card.organisation_id != actor.organisation_id:
                raise AccessDenied("a card of another organisation")
            records = repository(uow)
            return () if records is None else tuple(records.of_card(card.id))

    def overdue(
        self,
        actor: User,
        *,
        delivery_days: int = 1,
        registration_days: int = 3,
        limit: int = 1000,
    ) -> tuple[Stuck, ...]:
        """Letters of the user's organisation waiting too long, most overdue first.

        Sent with no receipt ``delivery_days`` working days after the day they were sent, or
        delivered but not registered by the recipient ``registration_days`` working days after
        delivery, on the production calendar (:attr:`calendar`), days taken in the
        organisation's time zone. Records of cards the user may not see (ДСП) are left out.
        """
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            records = repository(uow)
            if records is None:
                return ()
            organisation = uow.directory.organisation(actor.organisation_id)
            today = self._today(now, organisation.timezone)
            found: list[Stuck] = []
            for record, due, late in stuck(
                records,
                organisation,
                self.calendar,
                today,
                delivery_days=delivery_days,
                registration_days=registration_days,
                limit=limit,
            ):
                card = uow.cards.get(record.card_id)
                if may_see(actor, card):
                    found.append(Stuck(record, card, due, late))
            return tuple(found)

    def failed(self, actor: User, *, limit: int = 1000) -> tuple[Dispatch, ...]:
        """Letters of the user's organisation a recipient's system did not accept (its receipt
        said so), awaiting a new attempt (:meth:`send` with the next ``attempt``), oldest first.

        Records of cards the user may not see (ДСП) are left out.
        """
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            records = repository(uow)
            if records is None:
                return ()
            waiting = records.in_state(
                actor.organisation_id, DispatchState.FAILED, now, limit=limit
            )
            return tuple(r for r in waiting if may_see(actor, uow.cards.get(r.card_id)))

    def _visible(self, uow: UnitOfWork, actor: User, card_id: str) -> RegistrationCard:
        card = uow.cards.get(card_id)
        if not may_see(actor, card):
            raise AccessDenied(f"user {actor.login!r} may not see card {card_id!r}")
        return card
