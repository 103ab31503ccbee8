"""On every adapter, for a random viewer (organisation, role, department grant, clearance): the
overdue listing and reads of drafts reveal exactly the drafts the visibility rule allows, and
drafts of another organisation never show, even when their card is shared or lists the viewer.

The expected set is a plain restatement of the rule of docs/access.md for drafts.
"""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore._ids import new_id
from edmscore.access import AccessPolicy, Role
from edmscore.access import Permission as P
from edmscore.approval import ApprovalService, CertificateKeyVerifier, DraftFile, DraftRequest
from edmscore.calendar import russian_calendar
from edmscore.directory import Clearance, Department, Organisation, RoleGrant, User
from edmscore.errors import NotFound, PermissionDenied
from edmscore.registry import AccessMark, CardDetails, CardKind, Correspondent
from tests._adapters import StorageFactory, adapter_settings

from .conftest import LETTER, PEOPLE, build_ministry

LATER = pendulum.Date(2026, 6, 1)
POLICY = AccessPolicy.strict(
    roles=[Role("all", set(P)), Role("reader", {P.READ}), Role("approver", {P.APPROVE})]
)
ROLES = ("all", "reader", "approver", "executor", None)


@attrs.frozen
class Spec:
    """How one draft's card is: department (index), ДСП, whom it lists, whom it is shared with."""

    department: int | None
    dsp: bool
    listed: frozenset[str] = frozenset()
    shared: bool = False


SPECS = (
    *(Spec(d, dsp) for d in (None, 0, 1) for dsp in (False, True)),
    Spec(0, True, frozenset({"viewer"})),
    Spec(None, True, frozenset({"outsider"}), shared=True),
    Spec(1, False, shared=True),
)


def _visible(viewer: User, own: str, departments: list[str], spec: Spec) -> bool:
    """The rule for drafts, restated: the own organisation only; listed, or within the read
    grant's department and open or cleared."""
    if viewer.organisation_id != own:
        return False
    if viewer.id in spec.listed:
        return True
    (grant,) = viewer.roles
    department = None if spec.department is None else departments[spec.department]
    within = grant.department_id is None or grant.department_id == department
    return within and (not spec.dsp or viewer.clearance is Clearance.DSP)


def test_overdue_and_reads_reveal_exactly_the_visible_drafts(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    everyone = frozenset(key for key, _, _ in PEOPLE)
    m = build_ministry(new_storage(), dsp_electronic=True, cleared=everyone)
    other = Organisation(new_id(), "Другое ведомство", timezone="Asia/Yakutsk")
    departments = [new_id(), new_id()]
    own = m.organisation.id
    viewer = User("viewer", "viewer", own)
    outsider = User("outsider", "outsider", other.id)
    with m.storage.unit_of_work() as uow:
        uow.directory.put_organisation(other)
        for n, dept in enumerate(departments):
            uow.directory.put_department(Department(dept, own, f"0{n}", "Отдел"))
        for user in (viewer, outsider):
            uow.directory.put_user(user)
        uow.commit()
    drafts = []
    for spec in SPECS:
        details = CardDetails(
            kind=CardKind.DRAFT,
            document_kind="Письмо",
            summary="О связи",
            addressees=(Correspondent("Минцифры России"),),
            access=AccessMark.DSP if spec.dsp else AccessMark.OPEN,
            access_list=spec.listed,
            department_id=None if spec.department is None else departments[spec.department],
            shared_with=frozenset({other.id}) if spec.shared else frozenset(),
        )
        request = DraftRequest(
            m.drafts_journal.id, details, CardKind.OUTGOING, m.officials["minister"].id,
            (DraftFile("letter.pdf", LETTER),),
        )  # fmt: skip
        draft = m.service.create_draft(m.users["author"], request)
        draft = m.service.start_approval(
            m.users["author"], draft.id, draft.version, [m.spec("lawyer")]
        )
        drafts.append((draft, spec))
    service = ApprovalService(
        m.storage,
        russian_calendar(),
        CertificateKeyVerifier([m.signer.certificate]),
        m.clock,
        policy=POLICY,
    )

    @adapter_settings(storage_adapter, 40)
    @given(
        inside=st.booleans(),
        role=st.sampled_from(ROLES),
        department=st.sampled_from((None, 0, 1)),
        cleared=st.booleans(),
    )
    def check(inside: bool, role: str | None, department: int | None, cleared: bool) -> None:
        base = viewer if inside else outsider
        limit = None if department is None or not inside else departments[department]
        person = attrs.evolve(
            base,
            roles=() if role is None else (RoleGrant(role, limit),),
            clearance=Clearance.DSP if cleared else Clearance.NONE,
        )
        with m.storage.unit_of_work() as uow:
            uow.directory.put_user(person)
            uow.commit()
        if role in (None, "approver"):  # no READ anywhere
            with pytest.raises(PermissionDenied):
                service.overdue(person.id, LATER)
            return
        allowed = {d.id for d, spec in drafts if _visible(person, own, departments, spec)}
        tasks = service.overdue(person.id, LATER)
        assert sorted(t.draft_id for t in tasks) == sorted(allowed)  # once each, nothing else
        for draft, _ in drafts:
            if draft.id in allowed:
                assert service.get(person.id, draft.id).id == draft.id
            else:
                with pytest.raises(NotFound):
                    service.sheet(person.id, draft.id)

    check()
