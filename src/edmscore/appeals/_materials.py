"""Materials and migration information: requests for documents, their receipt, forwarding.

Each needs ``handle_appeals`` for the card's department; each is one unit of work with a version
check and an audit event (:func:`edmscore.appeals._steps.change_appeal`).
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.appeals import _steps as steps
from edmscore.appeals._context import AppealsContext
from edmscore.appeals._model import Appeal, MaterialsRequest, Transfer
from edmscore.appeals._registering import provisional_note
from edmscore.appeals.ports import AppealsUnitOfWork
from edmscore.errors import StateError, ValidationError

__all__ = ["forward_migration_information", "materials_received", "request_materials"]

_HANDLE = Permission.HANDLE_APPEALS


def request_materials(
    ctx: AppealsContext, actor: ActorRef, appeal_id: str, expected_version: int, body: str
) -> Appeal:
    """Record a request for documents and materials to ``body``; due in 15 days (marked
    provisional when the term reaches a year whose decree is not loaded; the audit says so)."""

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        if appeal.is_closed:
            raise StateError(f"appeal {appeal.number} is closed")
        due = ctx.terms.materials.deadline(today, ctx.calendar)
        request = MaterialsRequest(body, today, due.date, due_provisional=due.provisional)
        return attrs.evolve(appeal, materials=(*appeal.materials, request))

    def note(appeal: Appeal) -> str:
        if appeal.materials and appeal.materials[-1].due_provisional:
            return provisional_note([f"materials[{len(appeal.materials)}].due"])
        return ""

    return steps.change_appeal(
        ctx,
        actor,
        appeal_id,
        expected_version,
        "appeal.materials_requested",
        _HANDLE,
        change,
        note=note,
    )


def materials_received(
    ctx: AppealsContext, actor: ActorRef, appeal_id: str, expected_version: int, request: int
) -> Appeal:
    """Record that the materials of request number ``request`` (1, 2, …) arrived today."""

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        if not isinstance(request, int) or not 1 <= request <= len(appeal.materials):
            raise ValidationError("request", f"appeal {appeal.number} has no request {request}")
        asked = appeal.materials[request - 1]
        if asked.answered_on is not None:
            raise StateError(f"appeal {appeal.number}: request {request} already answered")
        materials = list(appeal.materials)
        materials[request - 1] = attrs.evolve(asked, answered_on=today)
        return attrs.evolve(appeal, materials=tuple(materials))

    return steps.change_appeal(
        ctx, actor, appeal_id, expected_version, "appeal.materials_received", _HANDLE, change
    )


def forward_migration_information(
    ctx: AppealsContext, actor: ActorRef, appeal_id: str, expected_version: int, transfer: Transfer
) -> Appeal:
    """Record the forwarding of information on migration violations (due in 5 days)."""

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        if not appeal.migration:
            raise StateError(f"appeal {appeal.number} is not about migration violations")
        if appeal.migration_forward is not None:
            raise StateError(f"appeal {appeal.number}: the information was already forwarded")
        if transfer.date > today or transfer.date < appeal.registered_on:
            raise ValidationError("Transfer.date", "between registration and today")
        return attrs.evolve(appeal, migration_forward=transfer)

    return steps.change_appeal(
        ctx, actor, appeal_id, expected_version, "appeal.migration_forwarded", _HANDLE, change
    )
