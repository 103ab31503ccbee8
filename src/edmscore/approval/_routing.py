"""Routes and cycles: route templates, substitutions, starting, extending and recalling a cycle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from edmscore.approval import _machine as machine
from edmscore.approval._model import DEFAULT_SIGNING_TERM_DAYS, Draft
from edmscore.approval._resolve import check_cleared, resolve_participant, resolve_stages
from edmscore.approval._route import (
    MAX_TERM_DAYS,
    ParticipantSpec,
    RouteTemplate,
    StageSpec,
    Substitution,
)
from edmscore.approval._service_base import ApprovalBase
from edmscore.directory import User
from edmscore.errors import AccessDenied, PaperApprovalRequired, RouteError, ValidationError
from edmscore.registry import AccessMark
from edmscore.registry.codec import to_primitive

__all__ = ["ApprovalRouting"]


def _signing_term(days: int | None) -> int | None:
    """A signing term given to :meth:`ApprovalService.start_approval`, checked."""
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TERM_DAYS:
        raise RouteError(
            "signing_term_days", f"a term of 1 to {MAX_TERM_DAYS} working days, got {days!r}"
        )
    return days


class ApprovalRouting(ApprovalBase):
    """Route configuration and approval cycles of :class:`~edmscore.approval.ApprovalService`."""

    # --- configuration -------------------------------------------------------------------------

    def put_route_template(self, actor: User, template: RouteTemplate) -> None:
        """Add or replace a route template of the actor's organisation."""
        self._require_active(actor)
        now = self._now()
        with self._storage.unit_of_work() as uow:
            if template.organisation_id != actor.organisation_id:
                raise AccessDenied("a route template of another organisation")
            uow.route_templates.put(template)
            self._audit(
                uow,
                actor,
                now,
                "route_template.put",
                "route_template",
                template.id,
                {},
                to_primitive(template),
            )
            uow.commit()

    def put_substitution(self, actor: User, substitution: Substitution) -> None:
        """Add or replace a substitution (замещение) of the actor's organisation."""
        self._require_active(actor)
        now = self._now()
        with self._storage.unit_of_work() as uow:
            if substitution.organisation_id != actor.organisation_id:
                raise AccessDenied("a substitution of another organisation")
            for official_id in (substitution.official_id, substitution.deputy_id):
                official = uow.directory.official(official_id)
                if official.organisation_id != actor.organisation_id:
                    raise RouteError("substitution", f"{official.name.full} is of another body")
            uow.substitutions.put(substitution)
            self._audit(
                uow,
                actor,
                now,
                "substitution.put",
                "substitution",
                substitution.id,
                {},
                to_primitive(substitution),
            )
            uow.commit()

    # --- the cycle -----------------------------------------------------------------------------

    def start_approval(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        route: Sequence[StageSpec] | None = None,
        note: str = "",
        *,
        signing_term_days: int | None = None,
    ) -> Draft:
        """Start a cycle of the current version on ``route`` (default: the kind's template).

        The signatory's term is ``signing_term_days`` working days after the last stage; by
        default the template's when the route is the template's, else
        :data:`~edmscore.approval.DEFAULT_SIGNING_TERM_DAYS`.

        A ДСП draft of an organisation that keeps ДСП on paper is refused with
        :class:`~edmscore.errors.PaperApprovalRequired`; where ДСП runs electronically, a route
        naming anyone without clearance is refused with
        :class:`~edmscore.errors.UnclearedParticipant`.
        """
        signing_term = _signing_term(signing_term_days)
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            self._author(actor, draft)
            organisation = uow.directory.organisation(draft.organisation_id)
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
            day = self._today(now, organisation.timezone)
            stages = resolve_stages(uow, organisation.id, route, day, dsp=dsp)
            if dsp:
                check_cleared(uow.directory.official(draft.signatory_id), "signatory_id")
            after = machine.start_cycle(
                draft,
                stages,
                now,
                actor.id,
                note,
                signing_term or DEFAULT_SIGNING_TERM_DAYS,
            )
            return self._save(
                uow,
                actor,
                now,
                "approval.started",
                draft,
                after,
                expected_version,
                note,
                {"route": to_primitive(tuple(route))},
            )

    def extend_route(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        stage_index: int,
        participants: Sequence[ParticipantSpec] = (),
        *,
        new_stage: StageSpec | None = None,
    ) -> Draft:
        """Add participants to a later stage, or insert ``new_stage`` at ``stage_index``.

        Only stages after the current one change: a running route never gains participants in
        the stage under way or before it.
        """
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            self._author(actor, draft)
            organisation = uow.directory.organisation(draft.organisation_id)
            day = self._today(now, organisation.timezone)
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
            return self._save(
                uow,
                actor,
                now,
                "approval.route_extended",
                draft,
                after,
                expected_version,
                "",
                {"added": added},
            )

    def recall(self, actor: User, draft_id: str, expected_version: int, reason: str) -> Draft:
        """The author withdraws the running cycle (before signing)."""
        if not reason.strip():
            raise ValidationError("reason", "a recall needs a reason")
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            self._author(actor, draft)
            after = machine.recall(draft, now, reason)
            return self._save(
                uow, actor, now, "approval.recalled", draft, after, expected_version, reason
            )
