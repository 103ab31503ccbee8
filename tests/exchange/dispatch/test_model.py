"""The delivery record's state machine: the moves it allows, and that no sequence breaks it."""

from __future__ import annotations

import uuid

import attrs
import pendulum
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from edmscore.errors import DispatchStateError, StateError, ValidationError
from edmscore.exchange.dispatch import Attempt, Dispatch, DispatchState
from edmscore.exchange.medo import RefusalReason
from edmscore.testing.dispatch_contract import T0, make_dispatch

LATER = T0.add(hours=3)


def test_sent_delivered_registered() -> None:
    record = make_dispatch()
    uid = record.last.message_uid
    delivered = record.receipt("{" + uid.upper() + "}", LATER, accepted=True, comment=None)
    assert delivered.state is DispatchState.DELIVERED
    assert delivered.last.delivered_at == LATER and delivered.since == LATER
    registered = delivered.registered("01-15/204", pendulum.Date(2026, 3, 3), LATER.add(days=1))
    assert registered.state is DispatchState.REGISTERED
    assert registered.registration is not None
    assert registered.registration.number == "01-15/204"
    assert registered.state.final
    # a duplicate receipt or notification changes nothing
    assert registered.receipt(uid, LATER.add(days=2), accepted=True, comment=None) == registered
    assert registered.registered("01-15/204", pendulum.Date(2026, 3, 3), LATER) == registered


def test_a_registration_before_the_receipt_and_the_late_receipt() -> None:
    record = make_dispatch()
    registered = record.registered("7", None, LATER)
    assert registered.state is DispatchState.REGISTERED
    assert registered.last.delivered_at is None
    late = registered.receipt(
        record.last.message_uid, LATER.add(hours=1), accepted=True, comment=None
    )
    assert late.state is DispatchState.REGISTERED
    assert late.last.delivered_at == LATER.add(hours=1)


def test_not_accepted_then_a_new_attempt_then_refused_then_again() -> None:
    record = make_dispatch()
    failed = record.receipt(record.last.message_uid, LATER, accepted=False, comment="Нет файла")
    assert failed.state is DispatchState.FAILED and failed.last.failure == "Нет файла"
    with pytest.raises(DispatchStateError):
        failed.registered("1", None, LATER)
    with pytest.raises(DispatchStateError):
        failed.receipt(record.last.message_uid, LATER, accepted=True, comment=None)
    second = failed.resent(2, str(uuid.uuid4()), LATER.add(hours=1))
    assert second.state is DispatchState.SENT and [a.number for a in second.attempts] == [1, 2]
    refused = second.refused(RefusalReason.ADDRESSING_ERROR, LATER.add(days=1), "Не нам")
    assert refused.state is DispatchState.REFUSED and refused.refusal is not None
    third = refused.resent(3, str(uuid.uuid4()), LATER.add(days=2))
    assert third.state is DispatchState.SENT and third.refusal is None


def test_illegal_moves_raise_a_typed_error() -> None:
    record = make_dispatch()
    delivered = record.receipt(record.last.message_uid, LATER, accepted=True, comment=None)
    with pytest.raises(DispatchStateError) as caught:
        delivered.resent(2, str(uuid.uuid4()), LATER)
    assert isinstance(caught.value, StateError)
    assert caught.value.state == "delivered" and caught.value.move == "resend"
    with pytest.raises(DispatchStateError):
        delivered.receipt(record.last.message_uid, LATER, accepted=False, comment=None)
    with pytest.raises(DispatchStateError):
        record.resent(1, str(uuid.uuid4()), LATER)  # not after the last attempt
    with pytest.raises(DispatchStateError):
        record.resent(2, record.last.message_uid, LATER)  # its own uid again
    with pytest.raises(DispatchStateError):
        record.receipt(str(uuid.uuid4()), LATER, accepted=True, comment=None)
    registered = record.registered("1", None, LATER)
    with pytest.raises(DispatchStateError):
        registered.registered("2", None, LATER)
    with pytest.raises(DispatchStateError):
        registered.refused(RefusalReason.NO_SIGNATURE, LATER)


def test_inconsistent_records_are_refused_at_construction() -> None:
    record = make_dispatch()
    with pytest.raises(ValidationError, match="registration"):
        attrs.evolve(record, state=DispatchState.REGISTERED)
    with pytest.raises(ValidationError, match="delivered"):
        attrs.evolve(record, state=DispatchState.DELIVERED)
    with pytest.raises(ValidationError, match="compared form"):
        attrs.evolve(record, recipient=record.recipient.upper())
    with pytest.raises(ValidationError, match="increase"):
        attrs.evolve(record, attempts=(record.last, attrs.evolve(record.last, number=1)))
    with pytest.raises(ValidationError, match="at least one"):
        attrs.evolve(record, attempts=())
    with pytest.raises(ValidationError):
        Attempt(1, "x", T0, delivered_at=LATER, failure="both")


_REASONS = st.sampled_from(list(RefusalReason))


class DispatchMachine(RuleBasedStateMachine):
    """Random receipts, notifications and attempts: every move either gives a valid record or
    raises DispatchStateError and leaves the record as it was; the states follow the diagram."""

    def __init__(self) -> None:
        super().__init__()
        self.record = make_dispatch()
        self.clock = T0

    def _tick(self) -> pendulum.DateTime:
        self.clock = self.clock.add(minutes=7)
        return self.clock

    def _try(self, move: str, *args: object, **kwargs: object) -> None:
        before = self.record
        try:
            after = getattr(before, move)(*args, **kwargs)
        except DispatchStateError:
            assert self.record is before
            return
        assert isinstance(after, Dispatch)
        allowed = {
            "receipt": {
                DispatchState.SENT: {
                    DispatchState.SENT,
                    DispatchState.DELIVERED,
                    DispatchState.FAILED,
                },
            },
            "registered": {
                DispatchState.SENT: {DispatchState.REGISTERED},
                DispatchState.DELIVERED: {DispatchState.REGISTERED},
            },
            "refused": {
                DispatchState.SENT: {DispatchState.REFUSED},
                DispatchState.DELIVERED: {DispatchState.REFUSED},
            },
            "resent": {
                s: {DispatchState.SENT}
                for s in (DispatchState.SENT, DispatchState.FAILED, DispatchState.REFUSED)
            },
        }[move]
        if after.state is not before.state:
            assert after.state in allowed.get(before.state, set()), (
                move,
                before.state,
                after.state,
            )
        if move == "resent":
            assert len(after.attempts) == len(before.attempts) + 1
        else:
            assert [a.message_uid for a in after.attempts] == [
                a.message_uid for a in before.attempts
            ]
        self.record = after

    @rule(which=st.integers(0, 5), accepted=st.booleans())
    def receipt(self, which: int, accepted: bool) -> None:
        attempts = self.record.attempts
        uid = attempts[min(which, len(attempts) - 1)].message_uid
        self._try("receipt", uid, self._tick(), accepted=accepted, comment=None)

    @rule(number=st.sampled_from(["1", "01-12/7"]))
    def registered(self, number: str) -> None:
        self._try("registered", number, pendulum.Date(2026, 3, 3), self._tick())

    @rule(reason=_REASONS)
    def refused(self, reason: RefusalReason) -> None:
        self._try("refused", reason, self._tick())

    @rule(step=st.integers(-1, 2))
    def resent(self, step: int) -> None:
        self._try("resent", self.record.last.number + step, str(uuid.uuid4()), self._tick())

    @precondition(lambda self: self.record.state is DispatchState.REGISTERED)
    @rule()
    def registered_is_final_for_sending(self) -> None:
        with pytest.raises(DispatchStateError):
            self.record.resent(self.record.last.number + 1, str(uuid.uuid4()), self._tick())

    @invariant()
    def consistent(self) -> None:
        record = self.record
        # rebuilding the record runs every validator again
        assert attrs.evolve(record) == record
        if record.state is DispatchState.DELIVERED:
            assert record.last.delivered_at is not None
        assert (record.registration is not None) == (record.state is DispatchState.REGISTERED)
        assert (record.refusal is not None) == (record.state is DispatchState.REFUSED)
        assert record.since >= record.last.sent_at or record.state.final


TestDispatchMachine = DispatchMachine.TestCase
TestDispatchMachine.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
