"""Resolving a route's specs into assignments through the directory and the substitutions.

A position is resolved to the one official of the organisation who holds it (in a department,
when given); a replaced official's deputy gets the assignment, recorded as acting for them
(замещение). On a ДСП draft everyone named and everyone acting must be cleared for ДСП.
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from edmscore.approval._model import Assignment, Stage
from edmscore.approval._route import ParticipantSpec, StageSpec, Substitution, acting_official
from edmscore.approval.ports import ApprovalUnitOfWork
from edmscore.directory import Clearance, Official, Power
from edmscore.errors import NotFound, RouteError, UnclearedParticipant

__all__ = ["check_cleared", "resolve_participant", "resolve_stages"]


def _named(uow: ApprovalUnitOfWork, organisation_id: str, spec: ParticipantSpec) -> Official:
    if spec.official_id is not None:
        try:
            official = uow.directory.official(spec.official_id)
        except NotFound as exc:
            raise RouteError("participant", f"no official {spec.official_id!r}") from exc
        if official.organisation_id != organisation_id:
            raise RouteError("participant", f"{official.name.full} is of another organisation")
        return official
    assert spec.position is not None
    wanted = spec.position.casefold().strip()
    holders = [
        o
        for o in uow.directory.officials(organisation_id)
        if o.position.casefold().strip() == wanted
        and (spec.department_id is None or o.department_id == spec.department_id)
    ]
    if not holders:
        raise RouteError("participant", f"nobody holds the position «{spec.position}»")
    if len(holders) > 1:
        raise RouteError(
            "participant",
            f"{len(holders)} officials hold «{spec.position}»: name one or a department",
        )
    return holders[0]


def check_cleared(official: Official, role: str) -> None:
    """Refuse an official without ДСП clearance on a ДСП draft's route."""
    if official.clearance is not Clearance.DSP:
        raise UnclearedParticipant(
            role, f"{official.name.full} ({official.position}) has no clearance for ДСП documents"
        )


def resolve_participant(
    uow: ApprovalUnitOfWork,
    organisation_id: str,
    spec: ParticipantSpec,
    term_days: int,
    substitutions: Sequence[Substitution],
    day: pendulum.Date,
    *,
    dsp: bool,
) -> Assignment:
    """The assignment for ``spec``: the official, or their deputy acting for them."""
    named = _named(uow, organisation_id, spec)
    acting_id, replaced = acting_official(named.id, day, substitutions, Power.APPROVAL)
    acting = named if acting_id == named.id else uow.directory.official(acting_id)
    if dsp:
        check_cleared(named, "participant")
        check_cleared(acting, "participant")
    return Assignment(
        official_id=acting.id,
        name=acting.name.surname_initials,
        position=acting.position,
        optional=spec.optional,
        term_days=spec.term_days or term_days,
        acting_for=replaced,
        acting_for_name=named.name.surname_initials if replaced else "",
    )


def resolve_stages(
    uow: ApprovalUnitOfWork,
    organisation_id: str,
    specs: Sequence[StageSpec],
    day: pendulum.Date,
    *,
    dsp: bool,
) -> tuple[Stage, ...]:
    """Fresh stages for ``specs`` as of ``day``."""
    if not specs:
        raise RouteError("stages", "a route needs at least one stage")
    substitutions = uow.substitutions.in_force(organisation_id, day)
    stages = []
    for spec in specs:
        assignments = tuple(
            resolve_participant(
                uow, organisation_id, p, spec.term_days, substitutions, day, dsp=dsp
            )
            for p in spec.participants
        )
        ids = [a.official_id for a in assignments]
        if len(set(ids)) != len(ids):
            raise RouteError("participants", f"stage «{spec.name}» names someone twice")
        stages.append(
            Stage(
                name=spec.name,
                mode=spec.mode,
                quorum=spec.quorum,
                term_days=spec.term_days,
                assignments=assignments,
            )
        )
    return tuple(stages)
