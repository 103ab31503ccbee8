"""The delivery record of a letter sent over MEDO to one recipient, and its state machine.

A :class:`Dispatch` follows one outgoing card to one recipient (a MEDO participant): every
attempt sent (message uid, time), the receipt (квитанция) of each attempt, and the recipient's
answer about the document — registered with their number and date, or refused with a reason::

    SENT ──receipt──▶ DELIVERED ──«зарегистрирован»──▶ REGISTERED
      │ └──receipt "not accepted"──▶ FAILED       └──«отказано в регистрации»──▶ REFUSED
      └────────────── «зарегистрирован» / «отказано» (before the receipt) ──────────▶

A new attempt (:meth:`Dispatch.resent`) is allowed from SENT (no receipt came), FAILED and
REFUSED, and starts over at SENT. Every move returns a new frozen value; a move the state does
not allow raises :class:`~edmscore.errors.DispatchStateError`. A duplicate receipt, or a receipt
arriving after the recipient's answer, only fills in the time of delivery.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    aware_datetime,
    instance_of,
    non_empty_text,
    optional,
    optional_text,
    positive_int,
    to_tuple,
    tuple_of,
)
from edmscore.errors import ConflictError, DispatchStateError, ValidationError
from edmscore.exchange.medo import RefusalReason, uid_key

__all__ = [
    "MAX_LISTED",
    "Attempt",
    "Dispatch",
    "DispatchState",
    "Refusal",
    "TheirRegistration",
    "check_limit",
    "checked_update",
]

#: The most records one listing returns.
MAX_LISTED = 1000


class DispatchState(enum.Enum):
    """Where a sent letter stands with its recipient."""

    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    REGISTERED = "registered"
    REFUSED = "refused"

    @property
    def final(self) -> bool:
        """Whether the recipient has answered (nothing more is awaited)."""
        return self in (DispatchState.REGISTERED, DispatchState.REFUSED)


#: The states a new attempt may be sent from.
RESENDABLE = frozenset({DispatchState.SENT, DispatchState.FAILED, DispatchState.REFUSED})


def check_limit(limit: int) -> None:
    """Refuse a listing size outside 1..:data:`MAX_LISTED` (a :class:`ValidationError`)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LISTED:
        raise ValidationError("limit", f"must be 1..{MAX_LISTED}, got {limit!r}")


def checked_update(stored: Dispatch, changed: Dispatch, expected_version: int) -> Dispatch:
    """``changed`` as a repository stores it over ``stored``: its version bumped.

    The rules every adapter keeps: the stored version must be ``expected_version``
    (ConflictError), the card, recipient, organisation and document never change, and attempts
    once sent are never removed (ValidationError).
    """
    if stored.version != expected_version:
        raise ConflictError("dispatch", stored.id, expected_version, stored.version)
    fixed = ("organisation_id", "card_id", "recipient", "document_uid")
    if any(getattr(stored, name) != getattr(changed, name) for name in fixed):
        raise ValidationError("dispatch", "the card, recipient and organisation cannot change")
    if not {a.message_uid for a in stored.attempts} <= {a.message_uid for a in changed.attempts}:
        raise ValidationError("attempts", "attempts sent cannot be removed")
    return attrs.evolve(changed, version=stored.version + 1)


def _uid(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    name = f"{type(owner).__name__}.{attribute.name}"
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise ValidationError(name, "must be a message uid of 1..64 characters")
    if value != uid_key(value):
        raise ValidationError(name, "must be in the compared form (lower case, no braces)")


def _date(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise ValidationError(f"{type(owner).__name__}.{attribute.name}", "must be a date")


@attrs.frozen
class TheirRegistration:
    """The recipient's registration of the document: their number and date, when it came."""

    number: str = attrs.field(validator=non_empty_text(64))
    date: pendulum.Date | None = attrs.field(validator=_date)
    at: pendulum.DateTime = attrs.field(validator=aware_datetime)


@attrs.frozen
class Refusal:
    """The recipient's refusal to register, with the reason from the closed list."""

    reason: RefusalReason = attrs.field(validator=instance_of(RefusalReason))
    at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    comment: str | None = attrs.field(default=None, validator=optional_text(2047))


@attrs.frozen
class Attempt:
    """One sending of the letter: its number, message uid, time, and the receipt's outcome.

    ``failure`` is the receipt's comment (or a default text) when the receipt said the message
    was not accepted; ``delivered_at`` the time of an accepting receipt.
    """

    number: int = attrs.field(validator=positive_int)
    message_uid: str = attrs.field(validator=_uid)
    sent_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    delivered_at: pendulum.DateTime | None = attrs.field(
        default=None, validator=optional(aware_datetime)
    )
    failure: str | None = attrs.field(default=None, validator=optional_text(2047))

    def __attrs_post_init__(self) -> None:
        if self.delivered_at is not None and self.failure is not None:
            raise ValidationError("Attempt.failure", "a delivered attempt cannot have failed")


def _check_attempts(owner: Dispatch, attribute: attrs.Attribute[Any], value: object) -> None:
    tuple_of(Attempt)(owner, attribute, value)
    attempts: tuple[Attempt, ...] = value  # type: ignore[assignment]
    if not attempts:
        raise ValidationError("Dispatch.attempts", "a dispatch has at least one attempt")
    numbers = [a.number for a in attempts]
    if numbers != sorted(set(numbers)):
        raise ValidationError("Dispatch.attempts", "attempt numbers must increase")
    if len({a.message_uid for a in attempts}) != len(attempts):
        raise ValidationError("Dispatch.attempts", "every attempt has its own message uid")


@attrs.frozen
class Dispatch:
    """The delivery record of one outgoing card to one recipient (see the module docstring).

    ``recipient`` is the recipient's MEDO participant id in compared form (lower case, no
    braces); ``recipient_id`` its directory organisation. ``registration`` is set exactly in
    state REGISTERED, ``refusal`` in REFUSED; the last attempt's ``failure`` in FAILED and its
    ``delivered_at`` in DELIVERED. ``version`` counts stored changes (1 when first stored).
    """

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    card_id: str = attrs.field(validator=non_empty_text(64))
    document_uid: str = attrs.field(validator=_uid)
    recipient: str = attrs.field(validator=_uid)
    recipient_id: str | None = attrs.field(validator=optional_text(64))
    recipient_name: str = attrs.field(validator=non_empty_text(511))
    attempts: tuple[Attempt, ...] = attrs.field(converter=to_tuple, validator=_check_attempts)
    state: DispatchState = attrs.field(
        default=DispatchState.SENT, validator=instance_of(DispatchState)
    )
    registration: TheirRegistration | None = attrs.field(
        default=None, validator=optional(instance_of(TheirRegistration))
    )
    refusal: Refusal | None = attrs.field(default=None, validator=optional(instance_of(Refusal)))
    version: int = attrs.field(default=1, validator=positive_int)

    def __attrs_post_init__(self) -> None:
        last, state = self.attempts[-1], self.state
        expected = {
            "registration": state is DispatchState.REGISTERED,
            "refusal": state is DispatchState.REFUSED,
            "failure": state is DispatchState.FAILED,
        }
        present = {
            "registration": self.registration is not None,
            "refusal": self.refusal is not None,
            "failure": last.failure is not None,
        }
        for name, wanted in expected.items():
            if present[name] != wanted:
                verb = "needs" if wanted else "cannot have"
                raise ValidationError(f"Dispatch.{name}", f"state {state.value} {verb} a {name}")
        if state is DispatchState.DELIVERED and last.delivered_at is None:
            raise ValidationError("Dispatch.state", "delivered without a receipt time")
        if state is DispatchState.SENT and last.delivered_at is not None:
            raise ValidationError("Dispatch.state", "a delivered attempt is not merely sent")

    # --- reading ---------------------------------------------------------------------------

    @property
    def last(self) -> Attempt:
        """The latest attempt."""
        return self.attempts[-1]

    @property
    def since(self) -> pendulum.DateTime:
        """When the record entered its state: the time overdue checks count from."""
        last = self.attempts[-1]
        if self.registration is not None:
            return self.registration.at
        if self.refusal is not None:
            return self.refusal.at
        if self.state is DispatchState.DELIVERED and last.delivered_at is not None:
            return last.delivered_at
        return last.sent_at

    def attempt_of(self, message_uid: str) -> Attempt | None:
        """The attempt that sent the message ``message_uid`` (any letter case), if any."""
        key = uid_key(message_uid)
        return next((a for a in self.attempts if a.message_uid == key), None)

    # --- moves -----------------------------------------------------------------------------

    def _refuse(self, move: str, message: str) -> DispatchStateError:
        return DispatchStateError(self.state.value, move, f"dispatch {self.id}: {message}")

    def _with_attempt(self, attempt: Attempt, **changes: Any) -> Dispatch:
        attempts = tuple(attempt if a.number == attempt.number else a for a in self.attempts)
        return attrs.evolve(self, attempts=attempts, **changes)

    def receipt(
        self, message_uid: str, at: pendulum.DateTime, *, accepted: bool, comment: str | None
    ) -> Dispatch:
        """A receipt (квитанция) for one of the attempts' messages came.

        An accepting receipt of the last attempt moves SENT to DELIVERED; a refusing one moves
        SENT to FAILED. A receipt of an earlier attempt, a duplicate, or one arriving after the
        recipient's answer only records the outcome on its attempt. A receipt that contradicts
        what is known (not accepted after delivery or after the recipient's answer, accepted
        after "not accepted") is refused.
        """
        attempt = self.attempt_of(message_uid)
        if attempt is None:
            raise self._refuse("receipt", f"message {message_uid} is none of its attempts")
        is_last = attempt.number == self.last.number
        if not accepted:
            if attempt.failure is not None:
                return self  # a duplicate
            if attempt.delivered_at is not None or (is_last and self.state.final):
                raise self._refuse("receipt", "a receipt says the message was not accepted")
            failed = attrs.evolve(attempt, failure=comment or "сообщение не принято")
            if is_last:
                return self._with_attempt(failed, state=DispatchState.FAILED)
            return self._with_attempt(failed)
        if attempt.failure is not None:
            raise self._refuse("receipt", "the message was reported not accepted before")
        if attempt.delivered_at is not None:
            return self  # a duplicate
        delivered = attrs.evolve(attempt, delivered_at=at)
        if is_last and self.state is DispatchState.SENT:
            return self._with_attempt(delivered, state=DispatchState.DELIVERED)
        return self._with_attempt(delivered)

    def registered(
        self, number: str, date: pendulum.Date | None, at: pendulum.DateTime
    ) -> Dispatch:
        """«Зарегистрирован»: the recipient registered the document under ``number`` and ``date``.

        Allowed from SENT and DELIVERED; a repeat of the same registration changes nothing.
        """
        registration = TheirRegistration(number, date, at)
        known = self.registration
        if known is not None and (known.number, known.date) == (number, date):
            return self  # a repeat
        if self.state not in (DispatchState.SENT, DispatchState.DELIVERED):
            raise self._refuse("register", "the recipient has already answered or refused it")
        return attrs.evolve(self, state=DispatchState.REGISTERED, registration=registration)

    def refused(
        self, reason: RefusalReason, at: pendulum.DateTime, comment: str | None = None
    ) -> Dispatch:
        """«Отказано в регистрации» with ``reason``; allowed from SENT and DELIVERED."""
        refusal = Refusal(reason, at, comment)
        if self.refusal is not None and self.refusal.reason is reason:
            return self  # a repeat
        if self.state not in (DispatchState.SENT, DispatchState.DELIVERED):
            raise self._refuse("refuse", "the recipient has already answered or it failed")
        return attrs.evolve(self, state=DispatchState.REFUSED, refusal=refusal)

    def resent(self, number: int, message_uid: str, at: pendulum.DateTime) -> Dispatch:
        """A new attempt ``number`` (greater than the last) with its own message uid.

        Allowed from SENT (no receipt came), FAILED and REFUSED; the record starts over at SENT
        (the earlier attempts stay, the refusal is dropped — the audit keeps it).
        """
        if self.state not in RESENDABLE:
            raise self._refuse("resend", "the letter was delivered; nothing to send again")
        if number <= self.last.number:
            raise self._refuse("resend", f"attempt {number} is not after {self.last.number}")
        attempt = Attempt(number, uid_key(message_uid), at)
        if self.attempt_of(message_uid) is not None:
            raise self._refuse("resend", f"message {message_uid} was already sent")
        return attrs.evolve(
            self,
            attempts=(*self.attempts, attempt),
            state=DispatchState.SENT,
            refusal=None,
        )
