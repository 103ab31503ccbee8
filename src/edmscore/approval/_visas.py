"""The participants' step: a visa on the current version, given in person or by a deputy."""

from __future__ import annotations

from collections.abc import Sequence

from edmscore.approval import _machine as machine
from edmscore.approval._enums import VisaDecision
from edmscore.approval._model import Draft
from edmscore.approval._requests import DraftFile
from edmscore.approval._route import acting_official
from edmscore.approval._service_base import ApprovalBase
from edmscore.directory import User
from edmscore.errors import AccessDenied, ApprovalStateError
from edmscore.registry.codec import to_primitive

__all__ = ["ApprovalVisas"]


class ApprovalVisas(ApprovalBase):
    """The visas of :class:`~edmscore.approval.ApprovalService`."""

    # --- participants --------------------------------------------------------------------------

    def give_visa(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        decision: VisaDecision,
        remark: str = "",
        files: Sequence[DraftFile] = (),
    ) -> Draft:
        """The actor's visa on the current version (a deputy's is recorded as acting for)."""
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, _ = self._load(uow, actor, draft_id)
            organisation = uow.directory.organisation(draft.organisation_id)
            day = self._today(now, organisation.timezone)
            subs = uow.substitutions.in_force(organisation.id, day)
            chosen: tuple[int, int, str | None] | None = None
            for s, a, assignment in machine.open_assignments(draft):
                if actor.official_id == assignment.official_id:
                    chosen = (s, a, assignment.acting_for)
                    break
                acting, replaced = acting_official(assignment.official_id, day, subs)
                if replaced is not None and acting == actor.official_id:
                    chosen = (s, a, assignment.official_id)
                    break
            if chosen is None:
                cycle = draft.cycle
                named = cycle is not None and any(
                    a.official_id == actor.official_id
                    for st in cycle.stages
                    for a in st.assignments
                )
                if named:
                    raise ApprovalStateError("no visa of yours is awaited on this draft now")
                raise AccessDenied(f"user {actor.login!r} is not a participant of this route")
            refs = self._store_files(uow, files)
            s, a, acting_for = chosen
            after = machine.give_visa(
                draft,
                s,
                a,
                decision,
                now,
                actor.id,
                remark=remark,
                files=refs,
                acting_for=acting_for,
            )
            assert after.cycle is not None
            visa = after.cycle.stages[s].assignments[a].visa
            return self._save(
                uow,
                actor,
                now,
                "approval.visa",
                draft,
                after,
                expected_version,
                remark,
                {"visa": to_primitive(visa)},
            )
