"""The approval state machine: pure transitions of a :class:`~edmscore.approval.Draft`.

Each function checks that the step is allowed in the draft's state and returns the new draft;
none does I/O. :func:`draft_problems` spells out the invariants every reachable draft keeps (the
stateful tests drive random steps and check it after each one).

States and steps::

    DRAFTING ──start──▶ IN_APPROVAL ──last stage done──▶ AWAITING_SIGNATURE ──sign*──▶ SIGNED
       ▲  │                 │  ╲ refusal (quorum lost)          │ refuse                 │
       │  │                 │   ╲──────────▶ RETURNED ◀─────────┘                       │ register
       │  │ paper (ДСП)     │ recall            │ new version, start                     ▼
       │  └──▶ APPROVED_ON_PAPER ── register ──────────────────────────────────▶ REGISTERED
       └────────────────────┘

A cycle may name several signatories (``Cycle.co_signatories``): co-signers of a joint document
sign in parallel or in the route's order (``signing_order``), and a countersigner signs once the
signature they countersign is in. ``sign*`` is the last of them: every earlier signature keeps
the draft AWAITING_SIGNATURE; one refusal returns it to the author.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pendulum

from edmscore.approval._enums import CycleOutcome, DraftState, StageMode, StageOutcome, VisaDecision
from edmscore.approval._model import (
    DEFAULT_SIGNING_TERM_DAYS,
    Assignment,
    CoSignatory,
    Cycle,
    Draft,
    DraftVersion,
    PaperApproval,
    SigningDecision,
    Stage,
    Visa,
)
from edmscore.errors import ApprovalStateError, ApprovedVersionMismatch, RouteError
from edmscore.registry import AccessMark, FileRef

__all__ = [
    "add_version",
    "draft_problems",
    "extend_stage",
    "give_visa",
    "insert_stage",
    "mark_registered",
    "newly_open_signatories",
    "open_assignments",
    "open_signatories",
    "recall",
    "record_paper_approval",
    "refuse_signing",
    "require_open_seat",
    "sign",
    "start_cycle",
]


def _require(draft: Draft, *states: DraftState) -> None:
    if draft.state not in states:
        allowed = ", ".join(s.label for s in states)
        raise ApprovalStateError(
            f"draft {draft.id!r} is «{draft.state.label}»; the step needs: {allowed}"
        )


def _running(draft: Draft) -> Cycle:
    _require(draft, DraftState.IN_APPROVAL)
    cycle = draft.cycle
    assert cycle is not None
    return cycle


def _replace(items: tuple[Stage, ...], index: int, item: Stage) -> tuple[Stage, ...]:
    return (*items[:index], item, *items[index + 1 :])


def _activate(cycle: Cycle, index: int, at: pendulum.DateTime) -> Cycle:
    stage = cycle.stages[index]
    first_required = next(i for i, a in enumerate(stage.assignments) if not a.optional)
    assignments = tuple(
        attrs.evolve(a, activated_at=at)
        if stage.mode is StageMode.PARALLEL or a.optional or i == first_required
        else a
        for i, a in enumerate(stage.assignments)
    )
    active = attrs.evolve(
        stage, assignments=assignments, outcome=StageOutcome.ACTIVE, started_at=at
    )
    return attrs.evolve(cycle, stages=_replace(cycle.stages, index, active), current_stage=index)


def start_cycle(
    draft: Draft,
    stages: tuple[Stage, ...],
    at: pendulum.DateTime,
    user_id: str,
    note: str = "",
    signing_term_days: int = DEFAULT_SIGNING_TERM_DAYS,
    co_signatories: tuple[CoSignatory, ...] = (),
    signing_order: StageMode = StageMode.PARALLEL,
) -> Draft:
    """Start a cycle of the current version on resolved ``stages`` (all PENDING, no visas).

    ``signing_term_days`` is the signatory's term, in working days after the last stage;
    ``co_signatories`` sign with the draft's signatory, in ``signing_order``.

    A version goes through the route once: after a refusal or a recall the author adds a new
    version, which starts a new cycle; the earlier cycles stay in history.
    """
    _require(draft, DraftState.DRAFTING, DraftState.RETURNED)
    if draft.access is AccessMark.DSP and draft.paper_approval is not None:
        raise ApprovalStateError("the draft was approved on paper")
    version = draft.current
    if any(c.version_number == version.number for c in draft.cycles):
        raise ApprovalStateError(
            f"version {version.number} has been through a cycle: add a new version first"
        )
    if version.sha256 is None:
        raise ApprovalStateError("a version without files cannot be approved electronically")
    if not stages:
        raise RouteError("stages", "a route needs at least one stage")
    for stage in stages:
        if stage.outcome is not StageOutcome.PENDING or any(
            a.visa is not None or a.activated_at is not None for a in stage.assignments
        ):
            raise RouteError("stages", "a new cycle starts on fresh stages")
    cycle = Cycle(
        number=len(draft.cycles) + 1,
        version_number=version.number,
        version_sha256=version.sha256,
        started_at=at,
        started_by=user_id,
        stages=stages,
        signatory_id=draft.signatory_id,
        note=note,
        signing_term_days=signing_term_days,
        co_signatories=co_signatories,
        signing_order=signing_order,
    )
    cycle = _activate(cycle, 0, at)
    return attrs.evolve(draft, cycles=(*draft.cycles, cycle), state=DraftState.IN_APPROVAL)


def open_assignments(draft: Draft) -> Iterator[tuple[int, int, Assignment]]:
    """(stage index, assignment index, assignment) of everyone who may give a visa now."""
    cycle = draft.cycle
    if cycle is None or not cycle.outcome.is_open:
        return
    for s_index, stage in enumerate(cycle.stages):
        for a_index, assignment in enumerate(stage.assignments):
            if assignment.visa is not None or assignment.activated_at is None:
                continue
            if assignment.optional or (
                s_index == cycle.current_stage and cycle.outcome is CycleOutcome.RUNNING
            ):
                yield s_index, a_index, assignment


def _finish_cycle(
    cycle: Cycle, outcome: CycleOutcome, at: pendulum.DateTime, stage_index: int
) -> Cycle:
    stages = tuple(
        attrs.evolve(s, outcome=StageOutcome.CANCELLED)
        if i > stage_index and s.outcome is StageOutcome.PENDING
        else s
        for i, s in enumerate(cycle.stages)
    )
    return attrs.evolve(cycle, stages=stages, outcome=outcome, finished_at=at)


def give_visa(
    draft: Draft,
    stage_index: int,
    assignment_index: int,
    decision: VisaDecision,
    at: pendulum.DateTime,
    user_id: str,
    *,
    remark: str = "",
    files: tuple[FileRef, ...] = (),
    acting_for: str | None = None,
    official: tuple[str, str, str] | None = None,
    acting_for_name: str = "",
) -> Draft:
    """Record a visa on an open assignment and move the route on (quorum, refusal, next stage).

    ``official`` is (id, name, position) of the official who answers when it is not the
    assignment's own (a deputy under a substitution that started after the cycle did).

    A parallel stage completes when k required participants agreed and fails when more than
    n − k refused (so with k = n a single refusal ends the cycle); a sequential stage needs every
    required participant in order. A failed stage returns the draft to the author.
    """
    found = {(s, a): item for s, a, item in open_assignments(draft)}
    assignment = found.get((stage_index, assignment_index))
    if assignment is None:
        raise ApprovalStateError("this participant may not give a visa now")
    if assignment.optional is (decision is not VisaDecision.ACKNOWLEDGED):
        raise ApprovalStateError(
            "a participant for information only acknowledges"
            if assignment.optional
            else "a required participant agrees or refuses, not only acknowledges"
        )
    cycle = draft.cycle
    assert cycle is not None
    visa = Visa(
        decision=decision,
        at=at,
        user_id=user_id,
        official_id=assignment.official_id if official is None else official[0],
        version_number=cycle.version_number,
        version_sha256=cycle.version_sha256,
        remark=remark,
        files=files,
        acting_for=acting_for,
        name=assignment.name if official is None else official[1],
        position=assignment.position if official is None else official[2],
        acting_for_name=acting_for_name if official is not None else assignment.acting_for_name,
    )
    stage = cycle.stages[stage_index]
    assignments = list(stage.assignments)
    assignments[assignment_index] = attrs.evolve(assignment, visa=visa)
    stage = attrs.evolve(stage, assignments=tuple(assignments))
    if assignment.optional:
        cycle = attrs.evolve(cycle, stages=_replace(cycle.stages, stage_index, stage))
        return attrs.evolve(draft, cycles=(*draft.cycles[:-1], cycle))
    n, k = len(stage.required), stage.needed
    state = draft.state
    if stage.agreed_count >= k:
        stage = attrs.evolve(stage, outcome=StageOutcome.COMPLETED, finished_at=at)
        cycle = attrs.evolve(cycle, stages=_replace(cycle.stages, stage_index, stage))
        if stage_index + 1 < len(cycle.stages):
            cycle = _activate(cycle, stage_index + 1, at)
        else:
            cycle = attrs.evolve(cycle, outcome=CycleOutcome.AWAITING_SIGNATURE)
            state = DraftState.AWAITING_SIGNATURE
    elif stage.refused_count > n - k:
        stage = attrs.evolve(stage, outcome=StageOutcome.REJECTED, finished_at=at)
        cycle = attrs.evolve(cycle, stages=_replace(cycle.stages, stage_index, stage))
        cycle = _finish_cycle(cycle, CycleOutcome.RETURNED, at, stage_index)
        state = DraftState.RETURNED
    else:
        if stage.mode is StageMode.SEQUENTIAL:
            following = [
                i
                for i, a in enumerate(stage.assignments)
                if not a.optional and a.activated_at is None
            ]
            items = list(stage.assignments)
            items[following[0]] = attrs.evolve(items[following[0]], activated_at=at)
            stage = attrs.evolve(stage, assignments=tuple(items))
        cycle = attrs.evolve(cycle, stages=_replace(cycle.stages, stage_index, stage))
    return attrs.evolve(draft, cycles=(*draft.cycles[:-1], cycle), state=state)


def _later_than_current(cycle: Cycle, index: int) -> None:
    if index <= cycle.current_stage:
        raise ApprovalStateError(
            "a running route gains participants only after its current stage "
            f"(stage {cycle.current_stage + 1})"
        )


def extend_stage(draft: Draft, stage_index: int, added: tuple[Assignment, ...]) -> Draft:
    """Add participants to a stage that has not started yet."""
    cycle = _running(draft)
    if not 0 <= stage_index < len(cycle.stages):
        raise RouteError("stage_index", f"no stage {stage_index + 1}")
    _later_than_current(cycle, stage_index)
    stage = cycle.stages[stage_index]
    if any(a.activated_at is not None or a.visa is not None for a in added):
        raise RouteError("participants", "added participants start fresh")
    stage = attrs.evolve(stage, assignments=(*stage.assignments, *added))
    cycle = attrs.evolve(cycle, stages=_replace(cycle.stages, stage_index, stage))
    return attrs.evolve(draft, cycles=(*draft.cycles[:-1], cycle))


def insert_stage(draft: Draft, index: int, stage: Stage) -> Draft:
    """Insert a fresh stage at ``index`` (after the current stage)."""
    cycle = _running(draft)
    if not 0 <= index <= len(cycle.stages):
        raise RouteError("stage_index", f"no place {index + 1} in the route")
    _later_than_current(cycle, index)
    if stage.outcome is not StageOutcome.PENDING or any(
        a.activated_at is not None or a.visa is not None for a in stage.assignments
    ):
        raise RouteError("stage", "an inserted stage starts fresh")
    stages = (*cycle.stages[:index], stage, *cycle.stages[index:])
    cycle = attrs.evolve(cycle, stages=stages)
    return attrs.evolve(draft, cycles=(*draft.cycles[:-1], cycle))


def recall(draft: Draft, at: pendulum.DateTime, note: str = "") -> Draft:
    """The author withdraws the running cycle (before signing); the draft returns to drafting."""
    _require(draft, DraftState.IN_APPROVAL, DraftState.AWAITING_SIGNATURE)
    cycle = draft.cycle
    assert cycle is not None
    stages = tuple(
        attrs.evolve(s, outcome=StageOutcome.CANCELLED, finished_at=at)
        if s.outcome in (StageOutcome.ACTIVE, StageOutcome.PENDING)
        else s
        for s in cycle.stages
    )
    cycle = attrs.evolve(
        cycle, stages=stages, outcome=CycleOutcome.RECALLED, finished_at=at, note=note
    )
    return attrs.evolve(draft, cycles=(*draft.cycles[:-1], cycle), state=DraftState.DRAFTING)


def add_version(draft: Draft, version: DraftVersion) -> Draft:
    """Add the next version of the files; only while no cycle runs."""
    _require(draft, DraftState.DRAFTING, DraftState.RETURNED)
    if version.number != len(draft.versions) + 1:
        raise ApprovalStateError(f"the next version is {len(draft.versions) + 1}")
    return attrs.evolve(draft, versions=(*draft.versions, version))


def open_signatories(cycle: Cycle) -> tuple[str, ...]:
    """The signatories (official ids of their seats) who may sign now, in the route's order.

    Nobody before the last stage completed. A countersigner waits for the signature they
    countersign; in a sequential order every signatory waits for the one before; in a parallel
    order the co-signers sign in any order.
    """
    if cycle.outcome is not CycleOutcome.AWAITING_SIGNATURE:
        return ()
    found = []
    for official_id in cycle.signatory_ids:
        if cycle.signed_by(official_id) is not None:
            continue
        seat = cycle.seat(official_id)
        waiting = seat is not None and seat.countersigns is not None
        if waiting and seat is not None and cycle.signed_by(str(seat.countersigns)) is None:
            if cycle.signing_order is StageMode.SEQUENTIAL:
                break
            continue
        found.append(official_id)
        if cycle.signing_order is StageMode.SEQUENTIAL:
            break
    return tuple(found)


def newly_open_signatories(cycle: Cycle, at: pendulum.DateTime) -> tuple[str, ...]:
    """The signatories whose turn to sign came at ``at``: every open one when the route ended
    then, else those a signature given at ``at`` opened (the next in a sequential order, a
    countersigner of the one who signed)."""
    now_open = open_signatories(cycle)
    given = cycle.given_signatures
    if given and given[-1].at == at:
        before = open_signatories(attrs.evolve(cycle, signatures=given[:-1], signing=None))
        return tuple(s for s in now_open if s not in before)
    return now_open if cycle.signing_started_at == at else ()


def require_open_seat(cycle: Cycle, seat: str) -> None:
    """Refuse a signature for ``seat`` now: not a signatory, signed already, or not their turn."""
    if seat in open_signatories(cycle):
        return
    if seat not in cycle.signatory_ids:
        raise ApprovalStateError("not a signatory of the draft")
    if cycle.signed_by(seat) is not None:
        raise ApprovalStateError("this signatory has signed already")
    raise ApprovalStateError("this signatory may not sign now (the route's order)")


def _seat_of(cycle: Cycle, decision: SigningDecision) -> str:
    return decision.signatory_id or cycle.signatory_id


def sign(draft: Draft, decision: SigningDecision) -> Draft:
    """Record a signature; the signed content's hash must be the approved version's.

    The signature answers for its seat (``decision.signatory_id``), which must be open
    (:func:`open_signatories`); the last one signs the draft.
    """
    _require(draft, DraftState.AWAITING_SIGNATURE)
    cycle = draft.cycle
    assert cycle is not None and cycle.version_sha256 is not None
    if not decision.signed:
        raise ApprovalStateError("use refuse_signing for a refusal")
    seat = _seat_of(cycle, decision)
    require_open_seat(cycle, seat)
    if decision.content_sha256 != cycle.version_sha256:
        raise ApprovedVersionMismatch(cycle.version_sha256, str(decision.content_sha256))
    signatures = (*cycle.given_signatures, attrs.evolve(decision, signatory_id=seat))
    cycle = attrs.evolve(cycle, signatures=signatures)
    if len(signatures) < len(cycle.signatory_ids):
        return attrs.evolve(draft, cycles=(*draft.cycles[:-1], cycle))
    cycle = attrs.evolve(
        cycle, outcome=CycleOutcome.SIGNED, finished_at=decision.at, signing=signatures[-1]
    )
    return attrs.evolve(draft, cycles=(*draft.cycles[:-1], cycle), state=DraftState.SIGNED)


def refuse_signing(draft: Draft, decision: SigningDecision) -> Draft:
    """A signatory refuses (with a remark): the cycle ends and the draft returns to the author.

    Any signatory whose signature is not yet in may refuse, whatever the order (a joint
    document is not issued without every signature); the signatures given stay in the cycle.
    """
    _require(draft, DraftState.AWAITING_SIGNATURE)
    cycle = draft.cycle
    assert cycle is not None
    if decision.signed:
        raise ApprovalStateError("use sign for a signature")
    seat = _seat_of(cycle, decision)
    if seat not in cycle.signatory_ids:
        raise ApprovalStateError("not a signatory of the draft")
    if cycle.signed_by(seat) is not None:
        raise ApprovalStateError("this signatory has signed already")
    cycle = attrs.evolve(
        cycle,
        outcome=CycleOutcome.SIGNING_REFUSED,
        finished_at=decision.at,
        signing=attrs.evolve(decision, signatory_id=seat),
        signatures=cycle.given_signatures,
    )
    return attrs.evolve(draft, cycles=(*draft.cycles[:-1], cycle), state=DraftState.RETURNED)


def record_paper_approval(draft: Draft, paper: PaperApproval) -> Draft:
    """Record that a ДСП draft was approved and signed on paper (no electronic cycle)."""
    _require(draft, DraftState.DRAFTING, DraftState.RETURNED)
    if draft.access is not AccessMark.DSP:
        raise ApprovalStateError("only ДСП drafts are approved on paper")
    if paper.version_number != draft.current.number:
        raise ApprovalStateError("the paper approval concerns the current version")
    return attrs.evolve(draft, paper_approval=paper, state=DraftState.APPROVED_ON_PAPER)


def mark_registered(draft: Draft, card_id: str) -> Draft:
    """The signed (or paper-approved) draft was registered as card ``card_id``."""
    _require(draft, DraftState.SIGNED, DraftState.APPROVED_ON_PAPER)
    return attrs.evolve(draft, registered_card_id=card_id, state=DraftState.REGISTERED)


_STATE_OF_OUTCOME = {
    CycleOutcome.RUNNING: {DraftState.IN_APPROVAL},
    CycleOutcome.AWAITING_SIGNATURE: {DraftState.AWAITING_SIGNATURE},
    CycleOutcome.RETURNED: {DraftState.RETURNED},
    CycleOutcome.SIGNING_REFUSED: {DraftState.RETURNED},
    CycleOutcome.RECALLED: {DraftState.DRAFTING},
    CycleOutcome.SIGNED: {DraftState.SIGNED, DraftState.REGISTERED},
}


def _stage_problems(cycle: Cycle, index: int, stage: Stage) -> Iterator[str]:
    where = f"cycle {cycle.number} stage {index + 1}"
    n, k = len(stage.required), stage.needed
    agreed, refused = stage.agreed_count, stage.refused_count
    if not 1 <= k <= n:
        yield f"{where}: quorum {k} of {n}"
    if stage.mode is StageMode.SEQUENTIAL and stage.quorum is not None:
        yield f"{where}: a sequential stage needs everyone"
    for a in stage.assignments:
        visa = a.visa
        if visa is None:
            continue
        if (visa.version_number, visa.version_sha256) != (
            cycle.version_number,
            cycle.version_sha256,
        ):
            yield f"{where}: a visa on version {visa.version_number}, not {cycle.version_number}"
        if a.activated_at is None:
            yield f"{where}: a visa from a participant never activated"
        if a.optional is (visa.decision is not VisaDecision.ACKNOWLEDGED):
            yield f"{where}: a decision the participant may not give"
    outcome = stage.outcome
    if outcome is StageOutcome.COMPLETED and agreed < k:
        yield f"{where}: completed with {agreed} of {k} agreements"
    if outcome is StageOutcome.REJECTED and refused <= n - k:
        yield f"{where}: rejected with {refused} refusals of {n} (quorum {k})"
    if outcome is StageOutcome.ACTIVE and (agreed >= k or refused > n - k):
        yield f"{where}: still active with {agreed} agreed and {refused} refused"
    if outcome in (StageOutcome.PENDING,) and any(a.visa for a in stage.assignments):
        yield f"{where}: visas on a stage that has not started"
    if stage.mode is StageMode.SEQUENTIAL:
        marks = [a.visa is not None for a in stage.required]
        if marks != sorted(marks, reverse=True):
            yield f"{where}: visas out of the sequential order"
    if (index < cycle.current_stage) and outcome is not StageOutcome.COMPLETED:
        yield f"{where}: before the current stage but {outcome.value}"
    if index > cycle.current_stage and outcome not in (
        StageOutcome.PENDING,
        StageOutcome.CANCELLED,
    ):
        yield f"{where}: after the current stage but {outcome.value}"


def _signature_problems(cycle: Cycle) -> Iterator[str]:
    where = f"cycle {cycle.number}"
    given = cycle.given_signatures
    seats = [_seat_of(cycle, d) for d in given]
    if len(set(seats)) != len(seats):
        yield f"{where}: a signatory signed twice"
    if any(seat not in cycle.signatory_ids for seat in seats):
        yield f"{where}: a signature of someone not a signatory"
    if any(not d.signed or d.content_sha256 != cycle.version_sha256 for d in given):
        yield f"{where}: a signature not of the approved version"
    if given and any(s.outcome is not StageOutcome.COMPLETED for s in cycle.stages):
        yield f"{where}: signed before the route was done"
    complete = set(seats) == set(cycle.signatory_ids)
    if (cycle.outcome is CycleOutcome.SIGNED) != complete:
        count = f"{len(set(seats))} of {len(cycle.signatory_ids)}"
        yield f"{where}: {count} signatures, {cycle.outcome.value}"
    for position, seat in enumerate(seats):
        co = cycle.seat(seat)
        if (
            co is not None
            and co.countersigns is not None
            and co.countersigns not in seats[:position]
        ):
            yield f"{where}: a countersignature before the signature it countersigns"
    if cycle.signing_order is StageMode.SEQUENTIAL:
        order = list(cycle.signatory_ids)
        if seats != order[: len(seats)]:
            yield f"{where}: signatures out of the route's order"


def draft_problems(draft: Draft) -> tuple[str, ...]:
    """Every broken invariant of ``draft`` (empty for a draft the state machine can reach)."""
    problems: list[str] = []
    previous_version = 0
    for i, cycle in enumerate(draft.cycles):
        if cycle.number != i + 1:
            problems.append(f"cycle {i + 1} numbered {cycle.number}")
        if cycle.version_number <= previous_version:
            problems.append(f"cycle {cycle.number} reuses version {cycle.version_number}")
        previous_version = cycle.version_number
        if cycle.version_number > len(draft.versions):
            problems.append(f"cycle {cycle.number} on a missing version")
        elif cycle.version_sha256 != draft.version_of(cycle.version_number).sha256:
            problems.append(f"cycle {cycle.number}: hash differs from its version's")
        if cycle.outcome.is_open and i != len(draft.cycles) - 1:
            problems.append(f"cycle {cycle.number} open but not the last")
        for index, stage in enumerate(cycle.stages):
            problems.extend(_stage_problems(cycle, index, stage))
        signing = cycle.signing
        if cycle.outcome is CycleOutcome.SIGNED and (
            signing is None or not signing.signed or signing.content_sha256 != cycle.version_sha256
        ):
            problems.append(f"cycle {cycle.number} signed without a matching signature")
        problems.extend(_signature_problems(cycle))
        if cycle.outcome is CycleOutcome.AWAITING_SIGNATURE and any(
            s.outcome is not StageOutcome.COMPLETED for s in cycle.stages
        ):
            problems.append(f"cycle {cycle.number} awaits signature with stages not done")
    last = draft.cycle
    if draft.paper_approval is not None:
        if draft.state not in (DraftState.APPROVED_ON_PAPER, DraftState.REGISTERED):
            problems.append("a paper approval but the state is " + draft.state.value)
    elif last is None:
        if draft.state is not DraftState.DRAFTING:
            problems.append(f"no cycle but the state is {draft.state.value}")
    elif draft.state not in _STATE_OF_OUTCOME[last.outcome]:
        problems.append(f"state {draft.state.value} after a {last.outcome.value} cycle")
    if (draft.state is DraftState.REGISTERED) != (draft.registered_card_id is not None):
        problems.append("registered state and card id disagree")
    return tuple(problems)
