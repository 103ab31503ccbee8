"""A stateful property test of a draft with several signatories, through the service.

Hypothesis draws a route's signatories (co-signers, a countersigner, parallel or in order) and
random steps: finished signatures by anyone, requests through the signing port, answers,
cancellations, refusals, registration attempts. The test keeps its own account of whose turn it
is and checks the service against it; after every step the draft keeps its invariants, is never
registered before every signature is in, and is registered at most once.
"""

from __future__ import annotations

import functools

import pendulum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from edmscore.approval import (
    CmsSignatureVerifier,
    Draft,
    DraftState,
    SignatorySpec,
    StageMode,
    VisaDecision,
    draft_problems,
)
from edmscore.errors import AccessDenied, ApprovalStateError, SigningRequestUnknown
from edmscore.signatures import SubjectFields, verify
from edmscore.signatures.signing import (
    LocalKeySigner,
    SigningRequest,
    assemble,
    prepare,
    prepare_countersignature,
)
from edmscore.storage import MemoryStorage
from edmscore.testing.pki import Identity, TestPki

from .conftest import LETTER, PEOPLE, build_ministry

KEYS = ("minister", "dep1", "dep2", "finance")


@functools.cache
def _pki() -> tuple[TestPki, dict[str, Identity]]:
    pki = TestPki.create("ecdsa", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    names = {key: name for key, name, _ in PEOPLE}
    people = {}
    for key in KEYS:
        surname, given, patronymic = names[key].split()
        fields = SubjectFields(
            common_name=names[key], surname=surname, given_name=given, patronymic=patronymic
        )
        people[key] = pki.issue(
            fields,
            not_before=pendulum.datetime(2025, 6, 1, tz="UTC"),
            not_after=pendulum.datetime(2027, 6, 1, tz="UTC"),
        )
    return pki, people


@st.composite
def signatories(draw: st.DrawFn) -> tuple[list[str], dict[str, str], StageMode]:
    """The co-signers' keys in order, who countersigns whom, and the order."""
    co = draw(st.lists(st.sampled_from(KEYS[1:]), unique=True, max_size=3))
    counters: dict[str, str] = {}
    for i, key in enumerate(co):
        plain = [k for k in ["minister", *co[:i]] if k not in counters]
        if draw(st.integers(0, 3)) == 0 and plain:
            counters[key] = draw(st.sampled_from(plain))
    return co, counters, draw(st.sampled_from(StageMode))


class JointSigning(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.m = build_ministry(MemoryStorage())
        self.pki, self.people = _pki()
        self.m.service.verifier = CmsSignatureVerifier([self.pki.root.certificate])
        self.signed: list[str] = []
        self.pending: dict[str, SigningRequest] = {}
        self.refused = False
        self.registrations = 0

    @initialize(route=signatories())
    def start(self, route: tuple[list[str], dict[str, str], StageMode]) -> None:
        self.co, self.counters, self.order = route
        m = self.m
        specs = tuple(
            SignatorySpec(
                m.officials[k].id,
                m.officials[self.counters[k]].id if k in self.counters else None,
            )
            for k in self.co
        )
        draft = m.create()
        draft = m.service.start_approval(
            m.users["author"], draft.id, draft.version, [m.spec("lawyer")],
            co_signatories=specs, signing_order=self.order,
        )  # fmt: skip
        self.draft = m.service.give_visa(
            m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED
        )
        self.seats = ["minister", *self.co]

    # --- the test's own account of whose turn it is ------------------------------------------

    def _open(self) -> list[str]:
        if self.refused or len(self.signed) == len(self.seats):
            return []
        waiting = [
            k
            for k in self.seats
            if k not in self.signed and (k not in self.counters or self.counters[k] in self.signed)
        ]
        if self.order is StageMode.SEQUENTIAL:
            first = next(k for k in self.seats if k not in self.signed)
            return [first] if first in waiting else []
        return waiting

    def _joint(self) -> bytes:
        latest = self.draft.cycles[-1].latest_signature
        assert latest is not None
        with self.m.storage.unit_of_work() as uow:
            return uow.blobs.get(latest.sha256)

    def _finished(self, key: str) -> bytes | None:
        person, at = self.people[key], self.m.clock.now()
        target = self.counters.get(key)
        if target is None:
            request = prepare(LETTER, person.certificate, at=at)
        else:
            if target not in self.signed:
                return None
            joint = self._joint()
            surname = self.m.officials[target].name.surname
            index = next(
                i
                for i, s in enumerate(verify(LETTER, joint, trust_anchors=[], at=at).signers)
                if s.certificate is not None and s.certificate.fields.surname == surname
            )
            request = prepare_countersignature(joint, person.certificate, index=index, at=at)
        value = LocalKeySigner(person.private_key_pem).sign(request)
        return assemble(request, value, LETTER, at=at).signature

    def _signed(self, key: str, after: Draft) -> None:
        self.signed.append(key)
        self.pending.pop(key, None)
        self.draft = after
        if after.state is DraftState.REGISTERED:
            self.registrations += 1

    # --- steps --------------------------------------------------------------------------------

    @rule(key=st.sampled_from(KEYS), register=st.booleans())
    def sign(self, key: str, register: bool) -> None:
        m, expected = self.m, key in self._open()
        signature = self._finished(key)
        if signature is None:  # a countersigner before their signature: nothing to countersign
            assert not expected
            return
        try:
            after = m.service.sign(
                m.users[key], self.draft.id, self.draft.version, LETTER, signature,
                register_in=m.outgoing.id if register else None,
            )  # fmt: skip
        except (ApprovalStateError, AccessDenied):
            assert not expected
            return
        assert expected, f"{key} signed out of turn"
        self._signed(key, after)

    @rule(key=st.sampled_from(KEYS))
    def request(self, key: str) -> None:
        m, expected = self.m, key in self._open()
        try:
            after, request = m.service.request_signature(
                m.users[key], self.draft.id, self.draft.version, self.people[key].certificate
            )
        except (ApprovalStateError, AccessDenied):
            assert not expected
            return
        assert expected, f"{key} asked out of turn"
        self.pending[key] = request
        self.draft = after

    @precondition(lambda self: bool(self.pending))
    @rule(data=st.data(), register=st.booleans())
    def answer(self, data: st.DataObject, register: bool) -> None:
        m = self.m
        key = data.draw(st.sampled_from(sorted(self.pending)))
        request = self.pending[key]
        value = LocalKeySigner(self.people[key].private_key_pem).sign(request)
        try:
            after = m.service.complete_signature(
                m.users[key], self.draft.id, self.draft.version, request.id, value,
                register_in=m.outgoing.id if register else None,
            )  # fmt: skip
        except (ApprovalStateError, SigningRequestUnknown):
            assert self.refused  # a returned draft waits for no signature
            self.pending.pop(key)
            return
        assert key in self._open()
        self._signed(key, after)

    @precondition(lambda self: bool(self.pending))
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        m = self.m
        key = data.draw(st.sampled_from(sorted(self.pending)))
        request = self.pending.pop(key)
        try:
            self.draft = m.service.cancel_signature_request(
                m.users[key], self.draft.id, self.draft.version, request.id
            )
        except SigningRequestUnknown:
            assert self.refused
            return
        assert all(p.request_id != request.id for p in self.draft.pending_signatures)
        value = LocalKeySigner(self.people[key].private_key_pem).sign(request)
        try:  # its late answer is refused
            m.service.complete_signature(
                m.users[key], self.draft.id, self.draft.version, request.id, value
            )
            raise AssertionError("a cancelled request was answered")
        except SigningRequestUnknown:
            pass

    @rule(key=st.sampled_from(KEYS))
    def refuse(self, key: str) -> None:
        m = self.m
        expected = not self.refused and key in self.seats and key not in self.signed
        expected = expected and len(self.signed) < len(self.seats)
        try:
            after = m.service.refuse_signing(m.users[key], self.draft.id, self.draft.version, "Нет")
        except (ApprovalStateError, AccessDenied):
            assert not expected
            return
        assert expected
        assert after.state is DraftState.RETURNED
        self.refused = True
        self.pending.clear()
        self.draft = after

    @rule()
    def register(self) -> None:
        m = self.m
        try:
            after, _ = m.service.register(
                m.users["minister"], self.draft.id, self.draft.version, m.outgoing.id
            )
        except ApprovalStateError:
            assert self.draft.state is not DraftState.SIGNED
            return
        assert len(self.signed) == len(self.seats)
        self.registrations += 1
        self.draft = after

    # --- invariants ---------------------------------------------------------------------------

    @invariant()
    def keeps_its_invariants(self) -> None:
        if not hasattr(self, "draft"):
            return
        assert draft_problems(self.draft) == ()
        complete = len(self.signed) == len(self.seats)
        if self.draft.state in (DraftState.SIGNED, DraftState.REGISTERED):
            assert complete
        if not complete:
            assert self.draft.registered_card_id is None
        assert self.registrations <= 1
        assert len(self.draft.cycles[-1].given_signatures) == len(self.signed)


JointSigning.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=14,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_joint_signing = JointSigning.TestCase
