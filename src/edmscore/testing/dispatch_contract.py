"""The dispatch repository contract: one suite every storage that keeps delivery records passes.

Subclass :class:`DispatchContract` in a pytest module, name the subclass ``Test…`` and implement
the one factory hook::

    from edmscore.testing.dispatch_contract import DispatchContract

    class TestMyDispatches(DispatchContract):
        def make_storage(self):
            return MyStorage(dsn=...)      # fresh and empty, its units of work keep dispatches

:func:`make_dispatch` builds a valid record sent once. Needs the ``testing`` extra (pytest).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    import pytest
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

import uuid

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessScope
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.exchange.dispatch import Attempt, Dispatch, DispatchState, DispatchStorage
from edmscore.exchange.medo import RefusalReason
from edmscore.registry import AccessMark
from edmscore.testing._builders import make_card

__all__ = ["DispatchContract", "make_dispatch"]

#: The moment the contract's records are first sent.
T0 = pendulum.datetime(2026, 3, 2, 9, 30, tz="Europe/Moscow")


def make_dispatch(
    *,
    organisation_id: str = "org",
    card_id: str | None = None,
    recipient: str | None = None,
    sent_at: pendulum.DateTime = T0,
) -> Dispatch:
    """A valid record of a card sent once (attempt 1) to a recipient, in state SENT."""
    return Dispatch(
        id=new_id(),
        organisation_id=organisation_id,
        card_id=card_id or new_id(),
        document_uid=str(uuid.uuid4()),
        recipient=recipient or str(uuid.uuid4()),
        recipient_id=None,
        recipient_name="Министерство финансов Амурской области",
        attempts=(Attempt(1, str(uuid.uuid4()), sent_at),),
    )


class DispatchContract:
    """The dispatch repository contract; subclasses implement :meth:`make_storage`."""

    def make_storage(self) -> DispatchStorage:
        """Return a fresh, empty storage whose units of work keep dispatch records."""
        raise NotImplementedError

    def _stored(self, storage: DispatchStorage, *records: Dispatch) -> None:
        with storage.unit_of_work() as uow:
            for record in records:
                uow.dispatches.add(record)
            uow.commit()

    def test_add_then_get_find_and_by_message_in_any_letter_case(self) -> None:
        storage = self.make_storage()
        record = make_dispatch()
        self._stored(storage, record)
        uid = record.last.message_uid
        with storage.unit_of_work() as uow:
            assert uow.dispatches.get(record.id) == record
            assert uow.dispatches.by_message("{" + uid.upper() + "}") == record
            assert uow.dispatches.find(record.card_id, record.recipient.upper()) == record
            assert uow.dispatches.of_card(record.card_id) == [record]
            assert uow.dispatches.by_message(str(uuid.uuid4())) is None
            assert uow.dispatches.find(record.card_id, str(uuid.uuid4())) is None
            assert list(uow.dispatches.of_card("nope")) == []

    def test_missing_record_is_not_found(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.dispatches.get("nope")

    def test_taken_id_pair_or_message_conflicts(self) -> None:
        storage = self.make_storage()
        record = make_dispatch()
        self._stored(storage, record)
        with storage.unit_of_work() as uow:
            with pytest.raises(ConflictError):
                uow.dispatches.add(record)
            with pytest.raises(ConflictError):
                uow.dispatches.add(
                    make_dispatch(card_id=record.card_id, recipient=record.recipient)
                )
            other = make_dispatch()
            stolen = attrs.evolve(other, attempts=(Attempt(1, record.last.message_uid, T0),))
            with pytest.raises(ConflictError):
                uow.dispatches.add(stolen)

    def test_update_checks_and_bumps_the_version_and_indexes_new_messages(self) -> None:
        storage = self.make_storage()
        record = make_dispatch()
        self._stored(storage, record)
        failed = record.receipt(
            record.last.message_uid, T0.add(minutes=5), accepted=False, comment="Нет подписи"
        )
        again = failed.resent(2, str(uuid.uuid4()), T0.add(hours=2))
        with storage.unit_of_work() as uow:
            stored = uow.dispatches.update(again, 1)
            uow.commit()
        assert stored.version == 2 and stored.state is DispatchState.SENT
        with storage.unit_of_work() as uow:
            assert uow.dispatches.get(record.id) == stored
            assert uow.dispatches.by_message(again.last.message_uid) == stored
            assert uow.dispatches.by_message(record.last.message_uid) == stored
            with pytest.raises(ConflictError) as caught:
                uow.dispatches.update(again, 1)
            assert caught.value.actual == 2
            moved = attrs.evolve(stored, card_id="another")
            with pytest.raises(ValidationError):
                uow.dispatches.update(moved, 2)
            with pytest.raises(ValidationError, match="removed"):
                uow.dispatches.update(attrs.evolve(record, attempts=stored.attempts[1:]), 2)

    def test_rollback_undoes_add_and_update(self) -> None:
        storage = self.make_storage()
        kept = make_dispatch()
        self._stored(storage, kept)
        dropped = make_dispatch()
        resent = kept.resent(2, str(uuid.uuid4()), T0.add(days=1))
        with storage.unit_of_work() as uow:
            uow.dispatches.add(dropped)
            uow.dispatches.update(resent, 1)
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.dispatches.get(dropped.id)
            assert uow.dispatches.by_message(dropped.last.message_uid) is None
            assert uow.dispatches.find(dropped.card_id, dropped.recipient) is None
            assert uow.dispatches.by_message(resent.last.message_uid) is None
            assert uow.dispatches.get(kept.id) == kept

    def test_of_card_lists_by_first_sending(self) -> None:
        storage = self.make_storage()
        later = make_dispatch(card_id="card-1", sent_at=T0.add(hours=1))
        earlier = make_dispatch(card_id="card-1")
        self._stored(storage, later, earlier, make_dispatch(card_id="card-2"))
        with storage.unit_of_work() as uow:
            assert [d.id for d in uow.dispatches.of_card("card-1")] == [earlier.id, later.id]

    def test_in_state_lists_what_entered_the_state_before_a_moment(self) -> None:
        storage = self.make_storage()
        old = make_dispatch(sent_at=T0)
        new = make_dispatch(sent_at=T0.add(days=3))
        elsewhere = make_dispatch(organisation_id="org2")
        answered = make_dispatch(sent_at=T0.subtract(days=1))
        self._stored(storage, new, old, elsewhere, answered)
        registered = answered.registered("01-12/7", pendulum.Date(2026, 3, 3), T0.add(days=1))
        delivered = old.receipt(old.last.message_uid, T0.add(days=2), accepted=True, comment=None)
        with storage.unit_of_work() as uow:
            uow.dispatches.update(registered, 1)
            uow.dispatches.update(delivered, 1)
            uow.commit()
        cut = T0.add(days=10)
        with storage.unit_of_work() as uow:
            sent = uow.dispatches.in_state("org", DispatchState.SENT, cut)
            waiting = uow.dispatches.in_state("org", DispatchState.DELIVERED, cut)
            early = uow.dispatches.in_state("org", DispatchState.DELIVERED, T0.add(days=2))
            done = uow.dispatches.in_state("org", DispatchState.REGISTERED, cut)
            first = uow.dispatches.in_state("org", DispatchState.SENT, cut, limit=1)
            with pytest.raises(ValidationError):
                uow.dispatches.in_state("org", DispatchState.SENT, cut, limit=0)
        assert [d.id for d in sent] == [new.id]
        assert [d.id for d in waiting] == [old.id]
        assert list(early) == []
        assert [d.registration for d in done] == [registered.registration]
        assert [d.id for d in first] == [new.id]

    def test_in_state_within_a_scope_lists_only_records_of_permitted_cards(self) -> None:
        storage = self.make_storage()
        open_card = make_card("j", "1", card_id=new_id())
        dsp_card = make_card("j", "2", card_id=new_id(), access=AccessMark.DSP)
        foreign = make_card("j", "3", card_id=new_id(), organisation_id="org2")
        with storage.unit_of_work() as uow:
            for card in (open_card, dsp_card, foreign):
                uow.cards.add(card)
            uow.commit()
        hidden = make_dispatch(card_id=dsp_card.id, sent_at=T0)
        shown = make_dispatch(card_id=open_card.id, sent_at=T0.add(hours=1))
        of_foreign = make_dispatch(card_id=foreign.id, sent_at=T0.add(hours=2))
        cardless = make_dispatch(sent_at=T0.add(hours=3))
        self._stored(storage, hidden, shown, of_foreign, cardless)
        cut = T0.add(days=1)
        uncleared = AccessScope(user_id="u", dsp_cleared=False, organisation_id="org")
        cleared = AccessScope(user_id="u", dsp_cleared=True, organisation_id="org")
        stranger = AccessScope(user_id="x", dsp_cleared=True, organisation_id="org3")

        def ids(scope: AccessScope | None, limit: int = 1000) -> list[str]:
            with storage.unit_of_work() as uow:
                found = uow.dispatches.in_state(
                    "org", DispatchState.SENT, cut, limit=limit, scope=scope
                )
                return [d.id for d in found]

        assert ids(None) == [hidden.id, shown.id, of_foreign.id, cardless.id]
        assert ids(uncleared) == [shown.id]
        assert ids(uncleared, limit=1) == [shown.id]  # filtered before the limit
        assert ids(cleared) == [hidden.id, shown.id]
        assert ids(stranger) == []

    def test_a_refusal_reads_back_equal(self) -> None:
        storage = self.make_storage()
        record = make_dispatch()
        self._stored(storage, record)
        refused = record.refused(RefusalReason.ADDRESSING_ERROR, T0.add(days=1), "Не по адресу")
        with storage.unit_of_work() as uow:
            stored = uow.dispatches.update(refused, 1)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.dispatches.get(record.id) == stored
            assert stored.refusal is not None and stored.refusal.comment == "Не по адресу"
