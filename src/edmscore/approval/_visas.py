"""The participants' step: a visa on the current version, given in person or by a deputy.

Needs ``approve`` for the card's department, and a step of the route awaiting the actor's
official (or the official they replace under a substitution in force).
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.approval import _machine as machine
from edmscore.approval._context import ApprovalContext
from edmscore.approval._enums import VisaDecision
from edmscore.approval._model import Draft
from edmscore.approval._requests import DraftFile
from edmscore.approval._route import Substitution, acting_official
from edmscore.approval._steps import load_for_change, save, store_files
from edmscore.directory import Power
from edmscore.errors import AccessDenied, ApprovalStateError
from edmscore.registry.codec import to_primitive

__all__ = ["give_visa"]


def _my_step(
    me: Actor, draft: Draft, day: pendulum.Date, subs: Sequence[Substitution]
) -> tuple[int, int, str | None, bool]:
    """The (stage, assignment, acting for, through a substitution started since) of the open
    step ``me`` answers; refusals otherwise."""
    for s, a, assignment in machine.open_assignments(draft):
        if me.official_id == assignment.official_id:
            return s, a, assignment.acting_for, False
        acting, replaced = acting_official(assignment.official_id, day, subs, Power.APPROVAL)
        if replaced is not None and acting == me.official_id:
            return s, a, assignment.official_id, True
    cycle = draft.cycle
    named = cycle is not None and any(
        a.official_id == me.official_id for st in cycle.stages for a in st.assignments
    )
    if named:
        raise ApprovalStateError("no visa of yours is awaited on this draft now")
    raise AccessDenied(f"user {me.login!r} is not a participant of this route")


def give_visa(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    decision: VisaDecision,
    remark: str = "",
    files: Sequence[DraftFile] = (),
) -> Draft:
    """The actor's visa on the current version (a deputy's is recorded as acting for)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, _ = load_for_change(ctx, uow, me, draft_id, now, Permission.APPROVE)
        organisation = me.organisation
        day = ctx.today(now, organisation.timezone)
        subs = uow.substitutions.in_force(organisation.id, day)
        s, a, acting_for, substituted = _my_step(me, draft, day, subs)
        refs = store_files(uow, files)
        official, replaced_name = None, ""
        if substituted:
            # The substitution started after the cycle: the visa names the deputy who gave it
            # and the official they stood for, as an assignment resolved at the start does.
            assert me.official_id is not None and acting_for is not None
            mine = uow.directory.official(me.official_id)
            official = (mine.id, mine.name.surname_initials, mine.position)
            replaced_name = uow.directory.official(acting_for).name.surname_initials
        after = machine.give_visa(
            draft, s, a, decision, now, me.id, remark=remark, files=refs, acting_for=acting_for,
            official=official, acting_for_name=replaced_name,
        )  # fmt: skip
        assert after.cycle is not None
        visa = after.cycle.stages[s].assignments[a].visa
        return save(
            ctx, uow, me, now, "approval.visa", draft, after, expected_version, remark,
            {"visa": to_primitive(visa)},
        )  # fmt: skip
