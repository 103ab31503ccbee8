"""Stateful property tests of the approval state machine (pure transitions, no storage).

Hypothesis drives random steps — starting cycles on random routes, visas by anyone with any
decision, new versions, signing the approved or another content, refusals, recalls,
registration — and after every step the draft keeps every invariant (``draft_problems``):
no illegal state, every visa on its cycle's version, quorum arithmetic right.
"""

from __future__ import annotations

import hashlib

import attrs
import pendulum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from edmscore.approval import (
    Assignment,
    CycleOutcome,
    Draft,
    DraftState,
    DraftVersion,
    SignerInfo,
    SigningDecision,
    Stage,
    StageMode,
    StageOutcome,
    VisaDecision,
    draft_problems,
)
from edmscore.approval import _machine as machine
from edmscore.errors import ApprovalStateError, ApprovedVersionMismatch, ValidationError
from edmscore.registry import FileRef
from edmscore.testing.approval_contract import make_draft

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Yakutsk")
SIGNER = SignerInfo("CN=Signer", "1a", "CN=CA", T0.subtract(years=1), T0.add(years=1), "0" * 64)


@st.composite
def stages(draw: st.DrawFn) -> tuple[Stage, ...]:
    result = []
    for s in range(draw(st.integers(1, 2))):
        mode = draw(st.sampled_from(StageMode))
        n = draw(st.integers(1, 3))
        optional = draw(st.integers(0, 1))
        quorum = draw(st.none() | st.integers(1, n)) if mode is StageMode.PARALLEL else None
        people = [Assignment(f"p{s}-{i}", f"Участник {s}-{i}", "Должность") for i in range(n)]
        people += [
            Assignment(f"o{s}-{i}", f"Для сведения {s}-{i}", "", optional=True)
            for i in range(optional)
        ]
        order = draw(st.permutations(people))
        result.append(Stage(f"Этап {s + 1}", mode, quorum, 3, tuple(order)))
    return tuple(result)


def _file(n: int) -> FileRef:
    content = f"version {n}".encode()
    return FileRef("doc.pdf", len(content), hashlib.sha256(content).hexdigest())


class ApprovalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        draft = make_draft(at=T0)
        self.draft: Draft = attrs.evolve(
            draft, versions=(DraftVersion(1, (_file(1),), T0, "author"),)
        )
        self.now = T0

    def _tick(self) -> pendulum.DateTime:
        self.now = self.now.add(minutes=7)
        return self.now

    @initialize(route=stages())
    def first_cycle(self, route: tuple[Stage, ...]) -> None:
        self.draft = machine.start_cycle(self.draft, route, self._tick(), "author")

    @rule(route=stages())
    def start(self, route: tuple[Stage, ...]) -> None:
        cycled = any(c.version_number == self.draft.current.number for c in self.draft.cycles)
        try:
            after = machine.start_cycle(self.draft, route, self._tick(), "author")
        except ApprovalStateError:
            assert cycled or not self.draft.state.editable
            return
        assert self.draft.state.editable and not cycled
        assert after.state is DraftState.IN_APPROVAL
        assert after.cycles[:-1] == self.draft.cycles  # earlier cycles stay as they were
        self.draft = after

    @precondition(lambda self: self.draft.cycle is not None)
    @rule(
        data=st.data(),
        decision=st.sampled_from([*VisaDecision, VisaDecision.AGREED, VisaDecision.AGREED]),
        remark=st.sampled_from(["", "x", "x"]),
    )
    def visa(self, data: st.DataObject, decision: VisaDecision, remark: str) -> None:
        cycle = self.draft.cycle
        assert cycle is not None
        open_now = sorted((x, y) for x, y, _ in machine.open_assignments(self.draft))
        if open_now and data.draw(st.integers(0, 4)) > 0:  # mostly someone whose turn it is
            s, a = data.draw(st.sampled_from(open_now))
        else:
            s = data.draw(st.integers(0, len(cycle.stages) - 1))
            a = data.draw(st.integers(0, len(cycle.stages[s].assignments) - 1))
        stage = cycle.stages[s]
        assignment = stage.assignments[a]
        is_open = (s, a) in {(x, y) for x, y, _ in machine.open_assignments(self.draft)}
        fits = assignment.optional is (decision is VisaDecision.ACKNOWLEDGED)
        try:
            after = machine.give_visa(self.draft, s, a, decision, self._tick(), "u", remark=remark)
        except ApprovalStateError:
            assert not (is_open and fits)
            return
        except ValidationError:
            assert decision.needs_remark and not remark
            return
        assert is_open and fits
        new_cycle = after.cycle
        assert new_cycle is not None
        new_stage = new_cycle.stages[s]
        if not assignment.optional:
            # the quorum arithmetic, computed independently
            n = len(stage.required)
            k = stage.quorum if stage.quorum is not None else n
            agreed = stage.agreed_count + (1 if decision.agrees else 0)
            refused = stage.refused_count + (1 if decision is VisaDecision.NOT_AGREED else 0)
            if agreed >= k:
                assert new_stage.outcome is StageOutcome.COMPLETED
                last = s == len(new_cycle.stages) - 1
                assert after.state is (
                    DraftState.AWAITING_SIGNATURE if last else DraftState.IN_APPROVAL
                )
            elif refused > n - k:
                assert new_stage.outcome is StageOutcome.REJECTED
                assert after.state is DraftState.RETURNED
            else:
                assert new_stage.outcome is StageOutcome.ACTIVE
        self.draft = after

    @rule()
    def new_version(self) -> None:
        n = len(self.draft.versions) + 1
        version = DraftVersion(n, (_file(n),), self._tick(), "author")
        try:
            after = machine.add_version(self.draft, version)
        except ApprovalStateError:
            assert not self.draft.state.editable
            return
        assert after.current.number == n and after.state is self.draft.state
        self.draft = after

    @rule(approved=st.booleans())
    def sign(self, approved: bool) -> None:
        cycle = self.draft.cycle
        approved_hash = cycle.version_sha256 if cycle is not None else None
        content = approved_hash if approved and approved_hash else hashlib.sha256(b"?").hexdigest()
        signature = FileRef("doc.pdf.sig", 3, hashlib.sha256(b"sig").hexdigest())
        decision = SigningDecision(
            True,
            self._tick(),
            "u",
            "signatory",
            "Подписант",
            "",
            content_sha256=content,
            signature=signature,
            signer=SIGNER,
        )
        try:
            after = machine.sign(self.draft, decision)
        except ApprovedVersionMismatch:
            assert self.draft.state is DraftState.AWAITING_SIGNATURE and not approved
            return
        except ApprovalStateError:
            assert self.draft.state is not DraftState.AWAITING_SIGNATURE
            return
        assert approved and after.state is DraftState.SIGNED
        self.draft = after

    @precondition(lambda self: self.draft.state is DraftState.AWAITING_SIGNATURE)
    @rule()
    def sign_the_approved_version(self) -> None:
        self.sign(approved=True)
        assert self.draft.state is DraftState.SIGNED

    @rule()
    def refuse(self) -> None:
        decision = SigningDecision(
            False, self._tick(), "u", "signatory", "Подписант", "", remark="нет"
        )
        try:
            after = machine.refuse_signing(self.draft, decision)
        except ApprovalStateError:
            assert self.draft.state is not DraftState.AWAITING_SIGNATURE
            return
        assert after.state is DraftState.RETURNED
        self.draft = after

    @rule()
    def recall(self) -> None:
        try:
            after = machine.recall(self.draft, self._tick(), "отзыв")
        except ApprovalStateError:
            assert self.draft.state not in (DraftState.IN_APPROVAL, DraftState.AWAITING_SIGNATURE)
            return
        assert after.state is DraftState.DRAFTING
        assert after.cycle is not None and after.cycle.outcome is CycleOutcome.RECALLED
        self.draft = after

    @rule()
    def register(self) -> None:
        try:
            after = machine.mark_registered(self.draft, "card-1")
        except ApprovalStateError:
            assert self.draft.state is not DraftState.SIGNED
            return
        assert after.state is DraftState.REGISTERED
        self.draft = after

    @invariant()
    def keeps_every_invariant(self) -> None:
        assert draft_problems(self.draft) == ()

    @invariant()
    def signed_cycles_signed_their_approved_version(self) -> None:
        for cycle in self.draft.cycles:
            if cycle.outcome is CycleOutcome.SIGNED:
                assert cycle.signing is not None
                assert cycle.signing.content_sha256 == cycle.version_sha256
                assert cycle.version_sha256 == self.draft.version_of(cycle.version_number).sha256


ApprovalMachine.TestCase.settings = settings(
    max_examples=80,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestApprovalMachine = ApprovalMachine.TestCase


def test_draft_problems_catches_a_forged_quorum() -> None:
    draft = make_draft(at=T0)
    route = (
        Stage(
            "Этап",
            StageMode.PARALLEL,
            2,
            3,
            tuple(Assignment(f"p{i}", f"У{i}", "") for i in range(3)),
        ),
    )
    draft = machine.start_cycle(draft, route, T0, "author")
    draft = machine.give_visa(draft, 0, 0, VisaDecision.AGREED, T0, "u")
    assert draft_problems(draft) == ()
    cycle = draft.cycles[0]
    forged_stage = attrs.evolve(cycle.stages[0], outcome=StageOutcome.COMPLETED)
    forged = attrs.evolve(draft, cycles=(attrs.evolve(cycle, stages=(forged_stage,)),))
    assert any("completed with 1 of 2" in p for p in draft_problems(forged))
    stale = attrs.evolve(cycle.visas[0], version_number=9)
    stage = attrs.evolve(
        cycle.stages[0],
        assignments=(
            attrs.evolve(cycle.stages[0].assignments[0], visa=stale),
            *cycle.stages[0].assignments[1:],
        ),
    )
    forged = attrs.evolve(draft, cycles=(attrs.evolve(cycle, stages=(stage,)),))
    assert any("a visa on version 9" in p for p in draft_problems(forged))
