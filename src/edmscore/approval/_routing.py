"""The author's cycle (``prepare_draft``): starting a cycle on a route, extending the running
route, recalling (withdrawing) the cycle; and the organisation's route configuration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from edmscore.access import ActorRef, Permission
from edmscore.approval import _machine as machine
from edmscore.approval._context import ApprovalContext
from edmscore.approval._enums import StageMode
from edmscore.approval._model import DEFAULT_SIGNING_TERM_DAYS, CoSignatory, Draft
from edmscore.approval._resolve import check_cleared, resolve_participant, resolve_stages
from edmscore.approval._route import (
    MAX_TERM_DAYS,
    ParticipantSpec,
    RouteTemplate,
    SignatorySpec,
    StageSpec,
    Substitution,
    check_signatories,
)
from edmscore.approval._steps import load_for_change, require_author, save
from edmscore.errors import PaperApprovalRequired, RouteError, ValidationError
from edmscore.registry import AccessMark
from edmscore.registry.codec import to_primitive

__all__ = [
    "extend_route",
    "put_route_template",
    "put_substitution",
    "recall",
    "start_approval",
]


def _signing_term(days: int | None) -> int | None:
    """A signing term given to :func:`start_approval`, checked."""
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TERM_DAYS:
        raise RouteError(
            "signing_term_days", f"a term of 1 to {MAX_TERM_DAYS} working days, got {days!r}"
        )
    return days


def _signatory_specs(specs: Sequence[SignatorySpec] | None) -> tuple[SignatorySpec, ...]:
    """The route's co-signatories given to :func:`start_approval`, checked for type."""
    found = tuple(specs or ())
    for spec in found:
        if not isinstance(spec, SignatorySpec):
            raise ValidationError("co_signatories", "must be SignatorySpec values")
    return found


# --- configuration -----------------------------------------------------------------------------


def put_route_template(ctx: ApprovalContext, actor: ActorRef, template: RouteTemplate) -> None:
    """Add or replace a route template of the actor's organisation (``manage_journals``)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_own(template.organisation_id, "a route template")
        me.require(Permission.MANAGE_JOURNALS)
        uow.route_templates.put(template)
        ctx.audit(
            uow, me, now, "route_template.put", "route_template", template.id, {},
            to_primitive(template),
        )  # fmt: skip
        uow.commit()


def put_substitution(ctx: ApprovalContext, actor: ActorRef, substitution: Substitution) -> None:
    """Add or replace a substitution (замещение) of the actor's organisation
    (``administer_users``: it is the directory of officials)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_own(substitution.organisation_id, "a substitution")
        me.require(Permission.ADMINISTER_USERS)
        for official_id in (substitution.official_id, substitution.deputy_id):
            official = uow.directory.official(official_id)
            if official.organisation_id != me.organisation_id:
                raise RouteError("substitution", f"{official.name.full} is of another body")
        uow.substitutions.put(substitution)
        ctx.audit(
            uow, me, now, "substitution.put", "substitution", substitution.id, {},
            to_primitive(substitution),
        )  # fmt: skip
        uow.commit()


# --- the cycle ---------------------------------------------------------------------------------


def start_approval(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    route: Sequence[StageSpec] | None = None,
    note: str = "",
    *,
    signing_term_days: int | None = None,
    co_signatories: Sequence[SignatorySpec] | None = None,
    signing_order: StageMode | None = None,
) -> Draft:
    """Start (or restart, on a new version) a cycle of the current version on ``route``.

    The author only, with ``prepare_draft`` for the card's department; see
    :meth:`ApprovalService.start_approval` for the terms and the ДСП rules.
    """
    signing_term = _signing_term(signing_term_days)
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, _ = load_for_change(ctx, uow, me, draft_id, now, Permission.PREPARE_DRAFT)
        require_author(me, draft)
        organisation = me.organisation
        dsp = draft.access is AccessMark.DSP
        if dsp and not organisation.dsp_electronic:
            raise PaperApprovalRequired(
                f"{organisation.short_name or organisation.name} approves ДСП documents on "
                "paper: record the paper approval (record_paper_approval) instead"
            )
        if route is None:
            template = uow.route_templates.for_kind(organisation.id, draft.document_kind)
            if template is None:
                raise RouteError("route", f"no route template for «{draft.document_kind}»")
            route = template.stages
            signing_term = signing_term or template.signing_term_days
            if co_signatories is None:
                co_signatories = template.co_signatories
                signing_order = signing_order or template.signing_order
        specs = _signatory_specs(co_signatories)
        check_signatories(draft.signatory_id, specs)
        day = ctx.today(now, organisation.timezone)
        stages = resolve_stages(uow, organisation.id, route, day, dsp=dsp)
        if dsp:
            check_cleared(uow.directory.official(draft.signatory_id), "signatory_id")
        resolved = []
        for spec in specs:
            official = uow.directory.official(spec.official_id)
            if official.organisation_id != organisation.id:
                raise RouteError("co_signatories", f"{official.name.full} is of another body")
            if dsp:
                check_cleared(official, "co_signatories")
            resolved.append(
                CoSignatory(
                    official.id,
                    official.name.surname_initials,
                    official.position,
                    spec.countersigns,
                )
            )
        after = machine.start_cycle(
            draft, stages, now, me.id, note, signing_term or DEFAULT_SIGNING_TERM_DAYS,
            tuple(resolved), signing_order or StageMode.PARALLEL,
        )  # fmt: skip
        extra: dict[str, Any] = {"route": to_primitive(tuple(route))}
        if specs:
            extra["co_signatories"] = to_primitive(specs)
        return save(
            ctx, uow, me, now, "approval.started", draft, after, expected_version, note, extra
        )


def extend_route(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    stage_index: int,
    participants: Sequence[ParticipantSpec] = (),
    *,
    new_stage: StageSpec | None = None,
) -> Draft:
    """Add participants to a later stage, or insert ``new_stage`` at ``stage_index``.

    The author only, with ``prepare_draft``; only stages after the current one change.
    """
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, _ = load_for_change(ctx, uow, me, draft_id, now, Permission.PREPARE_DRAFT)
        require_author(me, draft)
        organisation = me.organisation
        day = ctx.today(now, organisation.timezone)
        dsp = draft.access is AccessMark.DSP
        if new_stage is not None:
            (stage,) = resolve_stages(uow, organisation.id, (new_stage,), day, dsp=dsp)
            after = machine.insert_stage(draft, stage_index, stage)
            added: Any = to_primitive(new_stage)
        else:
            cycle = draft.cycle
            if cycle is None or not 0 <= stage_index < len(cycle.stages):
                raise RouteError("stage_index", f"no stage {stage_index + 1}")
            subs = uow.substitutions.in_force(organisation.id, day)
            term = cycle.stages[stage_index].term_days
            assignments = tuple(
                resolve_participant(uow, organisation.id, p, term, subs, day, dsp=dsp)
                for p in participants
            )
            after = machine.extend_stage(draft, stage_index, assignments)
            added = to_primitive(tuple(participants))
        return save(
            ctx, uow, me, now, "approval.route_extended", draft, after, expected_version, "",
            {"added": added},
        )  # fmt: skip


def recall(
    ctx: ApprovalContext, actor: ActorRef, draft_id: str, expected_version: int, reason: str
) -> Draft:
    """The author withdraws the running cycle before signing (``prepare_draft``)."""
    if not reason.strip():
        raise ValidationError("reason", "a recall needs a reason")
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, _ = load_for_change(ctx, uow, me, draft_id, now, Permission.PREPARE_DRAFT)
        require_author(me, draft)
        after = machine.recall(draft, now, reason)
        return save(ctx, uow, me, now, "approval.recalled", draft, after, expected_version, reason)
