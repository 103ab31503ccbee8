"""The acquaintance use cases: send a card for acquaintance, acknowledge, report, remind.

Sending needs ``send_for_acquaintance`` for the card's department; everyone listed must be an
active user of the organisation (cleared for ДСП on a ДСП card). Acknowledging is personal: only
the listed person, never a deputy on their behalf; doing it twice changes nothing. The reminder
listing (:func:`reminders_due`) gives, for a host to deliver, each person who has not read a sheet
and whose last notice is ``remind_every_days`` working days old; :func:`record_reminders` notes
the reminders sent so they are not listed again.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import Actor, ActorRef, Permission
from edmscore.control import _steps as s
from edmscore.control._acquaintance import Acknowledgment, AcquaintanceSheet, Reminder
from edmscore.control.ports import ControlUnitOfWork
from edmscore.directory import Clearance
from edmscore.errors import AccessDenied, NotFound, ValidationError
from edmscore.registry import AccessMark

__all__ = [
    "AcquaintanceLine",
    "ReminderDue",
    "acknowledge",
    "record_reminders",
    "reminders_due",
    "report",
    "send",
    "sheets_of_card",
]


@attrs.frozen
class AcquaintanceLine:
    """One line of the acquaintance report: the person and when they read it (None: not yet)."""

    user_id: str
    login: str
    name: str
    acknowledged_at: pendulum.DateTime | None

    @property
    def mark(self) -> str:
        """As printed on the sheet: «Ознакомлен 12.03.2026 10:15» or «Не ознакомлен»."""
        if self.acknowledged_at is None:
            return "Не ознакомлен"
        return f"Ознакомлен {self.acknowledged_at.format('DD.MM.YYYY HH:mm')}"


@attrs.frozen
class ReminderDue:
    """A person a host should remind of a sheet they have not read, and since when."""

    sheet_id: str
    card_id: str
    user_id: str
    last_notice: pendulum.DateTime


def send(
    ctx: s.ControlContext,
    actor: ActorRef,
    card_id: str,
    user_ids: Sequence[str],
    *,
    due: pendulum.Date | None = None,
    note: str = "",
    remind_every_days: int = 1,
    sheet_id: str | None = None,
) -> AcquaintanceSheet:
    """Send the card for acquaintance to ``user_ids``; a retry with the same ``sheet_id``
    answers the stored sheet."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.actor(ctx, uow, actor, now)
        card = s.visible_card(uow, me, card_id, now)
        me.require_own(card.organisation_id, "a card")
        me.require(Permission.SEND_FOR_ACQUAINTANCE, card.details.department_id)
        if sheet_id is not None:
            try:
                stored = uow.acquaintances.get(sheet_id)
            except NotFound:
                pass
            else:
                if stored.card_id == card.id and stored.sent_by == me.id:
                    return stored
                raise ValidationError("sheet_id", "an acquaintance sheet with this id exists")
        day = s.org_today(uow, card.organisation_id, now)
        for user_id in user_ids:
            user = uow.directory.user(user_id)
            if user.organisation_id != card.organisation_id or not user.may_act_on(day):
                raise ValidationError("user_ids", "a listed person is not an active user here")
            if card.details.access is AccessMark.DSP and user.clearance is not Clearance.DSP:
                raise ValidationError("user_ids", "a listed person has no clearance for ДСП")
        sheet = AcquaintanceSheet(
            id=sheet_id or new_id(),
            organisation_id=card.organisation_id,
            card_id=card.id,
            sent_by=me.id,
            sent_at=now,
            user_ids=tuple(user_ids),
            note=note,
            due=due,
            remind_every_days=remind_every_days,
            sent_on_behalf_of=me.on_behalf_of,
        )
        uow.acquaintances.add(sheet)
        s.audit(
            uow, me, now, "acquaintance.sent", ("acquaintance", sheet.id), {},
            s.primitive(sheet), card.id,
        )  # fmt: skip
        uow.commit()
        return sheet


def _sheet(
    uow: ControlUnitOfWork, me: Actor, sheet_id: str, now: pendulum.DateTime
) -> AcquaintanceSheet:
    found = uow.acquaintances.get(sheet_id)
    s.visible_card(uow, me, found.card_id, now, ("acquaintance", sheet_id))
    return found


def acknowledge(ctx: s.ControlContext, actor: ActorRef, sheet_id: str) -> AcquaintanceSheet:
    """The actor's «ознакомлен» on a sheet that lists them (once; a repeat changes nothing)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        if me.represented is not None:
            raise AccessDenied("acquaintance is personal: a deputy cannot acknowledge for another")
        found = _sheet(uow, me, sheet_id, now)
        if me.id not in found.user_ids:
            raise AccessDenied(f"user {me.login!r} is not on this acquaintance sheet")
        if found.acknowledged(me.id) is not None:
            return found
        after = attrs.evolve(
            found, acknowledgments=(*found.acknowledgments, Acknowledgment(me.id, now))
        )
        stored = uow.acquaintances.update(after, found.version)
        s.audit(
            uow, me, now, "acquaintance.acknowledged", ("acquaintance", found.id),
            {"acknowledged": False}, {"acknowledged": True}, found.card_id,
        )  # fmt: skip
        uow.commit()
        return stored


def report(ctx: s.ControlContext, actor: ActorRef, sheet_id: str) -> list[AcquaintanceLine]:
    """Who has read the card and when, in the list's order (the not-yet-read have no time)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        found = _sheet(uow, me, sheet_id, now)
        timezone = uow.directory.organisation(found.organisation_id).timezone
        lines = []
        for user_id in found.user_ids:
            user = uow.directory.user(user_id)
            name = user.login
            if user.official_id is not None:
                name = uow.directory.official(user.official_id).name.surname_initials
            done = found.acknowledged(user_id)
            at = None if done is None else done.at.in_timezone(timezone)
            lines.append(AcquaintanceLine(user_id, user.login, name, at))
        uow.commit()
        return lines


def sheets_of_card(ctx: s.ControlContext, actor: ActorRef, card_id: str) -> list[AcquaintanceSheet]:
    """The card's acquaintance sheets."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        s.visible_card(uow, me, card_id, now)
        uow.commit()
        return list(uow.acquaintances.of_card(card_id))


def reminders_due(ctx: s.ControlContext, actor: ActorRef) -> list[ReminderDue]:
    """Everyone of the actor's organisation due a reminder now: not yet acknowledged, last
    notified (sent or reminded) ``remind_every_days`` working days ago or more, on the
    production calendar. Needs ``send_for_acquaintance`` somewhere."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now, Permission.SEND_FOR_ACQUAINTANCE)
        organisation = me.organisation
        today = s.org_today(uow, organisation.id, now)
        scope = me.scope()
        due: list[ReminderDue] = []
        for sheet in uow.acquaintances.open_sheets(organisation.id):
            if not scope.permits(uow.cards.get(sheet.card_id)):
                continue
            for user_id in sheet.pending:
                last = sheet.last_reminded(user_id)
                since = last.in_timezone(organisation.timezone).date()
                next_day = ctx.calendar.add_working_days(since, sheet.remind_every_days)
                if next_day <= today:
                    due.append(ReminderDue(sheet.id, sheet.card_id, user_id, last))
        return due


def record_reminders(
    ctx: s.ControlContext, actor: ActorRef, sheet_id: str, user_ids: Sequence[str]
) -> AcquaintanceSheet:
    """Note that the listed people were reminded now (each keeps only their last reminder)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now, Permission.SEND_FOR_ACQUAINTANCE)
        found = _sheet(uow, me, sheet_id, now)
        wanted = set(user_ids)
        if not wanted <= set(found.user_ids):
            raise ValidationError("user_ids", "a person not on the sheet")
        kept = tuple(r for r in found.reminders if r.user_id not in wanted)
        fresh = tuple(Reminder(u, now) for u in found.user_ids if u in wanted)
        after = attrs.evolve(found, reminders=(*kept, *fresh))
        stored = uow.acquaintances.update(after, found.version)
        uow.commit()
        return stored
