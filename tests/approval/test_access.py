"""Access to approval under the strict policy, on every adapter: each use case needs its
permission, drafts of another organisation and ДСП drafts without clearance never show, a hidden
draft answers like a missing one, and a deputy acting through a principal is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.access import AccessPolicy, Principal, Role
from edmscore.access import Permission as P
from edmscore.approval import (
    ApprovalService,
    CertificateKeyVerifier,
    Draft,
    DraftFile,
    DraftRequest,
    DraftState,
    RouteTemplate,
    Substitution,
    VisaDecision,
)
from edmscore.calendar import russian_calendar
from edmscore.directory import Clearance, Department, RoleGrant
from edmscore.errors import NotFound, PermissionDenied
from edmscore.registry import AccessMark, CardDetails, CardKind, Correspondent
from tests._adapters import AnyStorage

from .conftest import LETTER, PEOPLE, Ministry, build_ministry

V2 = b"%PDF-1.7 letter v2"
LATER = pendulum.Date(2026, 6, 1)  # every term of the drafts below is long past
#: "all" grants every permission; "no_<permission>" every one but that.
POLICY = AccessPolicy.strict(
    roles=[Role("all", set(P)), *(Role(f"no_{p.value}", set(P) - {p}) for p in P)]
)


def _strict(m: Ministry, *, everyone: tuple[str, ...] = ("all",)) -> Ministry:
    """The ministry with users given roles in the directory and a strict service."""
    with m.storage.unit_of_work() as uow:
        for key, user in m.users.items():
            m.users[key] = attrs.evolve(user, roles=everyone)
            uow.directory.put_user(m.users[key])
        uow.commit()
    m.service = ApprovalService(
        m.storage,
        russian_calendar(),
        CertificateKeyVerifier([m.signer.certificate]),
        m.clock,
        policy=POLICY,
    )
    return m


def _give(m: Ministry, key: str, *roles: str | RoleGrant, **changes: Any) -> None:
    """Store user ``key`` anew with ``roles`` (and other changed fields)."""
    m.users[key] = attrs.evolve(m.users[key], roles=roles, **changes)
    with m.storage.unit_of_work() as uow:
        uow.directory.put_user(m.users[key])
        uow.commit()


# --- states a step starts from -----------------------------------------------------------------


def _nothing(m: Ministry) -> Draft | None:
    return None


def _drafting(m: Ministry) -> Draft | None:
    return m.create()


def _running(m: Ministry) -> Draft | None:
    draft = m.create()
    route = [m.spec("lawyer", name="Юристы"), m.spec("finance", name="Финансы")]
    return m.service.start_approval(m.users["author"], draft.id, draft.version, route)


def _for_signature(m: Ministry) -> Draft | None:
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    return m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)


def _signed(m: Ministry) -> Draft | None:
    draft = _for_signature(m)
    assert draft is not None
    return m.service.sign(
        m.users["minister"], draft.id, draft.version, LETTER, m.signer.sign(LETTER)
    )


Step = Callable[[Ministry, Any, str], object]

#: name: (the permission it needs, who acts, the state it starts from, the step).
STEPS: dict[str, tuple[P, str, Callable[[Ministry], Draft | None], Step]] = {
    "create_draft": (P.PREPARE_DRAFT, "author", _nothing, lambda m, d, who: m.create(author=who)),
    "add_version": (
        P.PREPARE_DRAFT, "author", _drafting,
        lambda m, d, who: m.service.add_version(
            m.users[who], d.id, d.version, [DraftFile("a.pdf", V2)]
        ),
    ),
    "start_approval": (
        P.PREPARE_DRAFT, "author", _drafting,
        lambda m, d, who: m.service.start_approval(
            m.users[who], d.id, d.version, [m.spec("lawyer")]
        ),
    ),
    "extend_route": (
        P.PREPARE_DRAFT, "author", _running,
        lambda m, d, who: m.service.extend_route(
            m.users[who], d.id, d.version, 1, [m.spec("press").participants[0]]
        ),
    ),
    "recall": (
        P.PREPARE_DRAFT, "author", _running,
        lambda m, d, who: m.service.recall(m.users[who], d.id, d.version, "Отзываю"),
    ),
    "give_visa": (
        P.APPROVE, "lawyer", _running,
        lambda m, d, who: m.service.give_visa(m.users[who], d.id, d.version, VisaDecision.AGREED),
    ),
    "sign": (
        P.SIGN, "minister", _for_signature,
        lambda m, d, who: m.service.sign(
            m.users[who], d.id, d.version, LETTER, m.signer.sign(LETTER)
        ),
    ),
    "refuse_signing": (
        P.SIGN, "minister", _for_signature,
        lambda m, d, who: m.service.refuse_signing(m.users[who], d.id, d.version, "Не ко времени"),
    ),
    "register": (
        P.REGISTER, "press", _signed,
        lambda m, d, who: m.service.register(m.users[who], d.id, d.version, m.outgoing.id),
    ),
    "get": (P.READ, "press", _drafting, lambda m, d, who: m.service.get(m.users[who], d.id)),
    "history": (
        P.READ, "press", _drafting, lambda m, d, who: m.service.history(m.users[who], d.id)
    ),
    "sheet_pdf": (
        P.READ, "press", _running, lambda m, d, who: m.service.sheet_pdf(m.users[who], d.id)
    ),
    "awaiting": (P.READ, "lawyer", _running, lambda m, d, who: m.service.awaiting(m.users[who])),
    "overdue": (
        P.READ, "press", _running, lambda m, d, who: m.service.overdue(m.users[who], LATER)
    ),
    "put_route_template": (
        P.MANAGE_JOURNALS, "press", _nothing,
        lambda m, d, who: m.service.put_route_template(
            m.users[who],
            RouteTemplate(new_id(), m.organisation.id, "Письмо", "Письма", (m.spec("lawyer"),)),
        ),
    ),
    "put_substitution": (
        P.ADMINISTER_USERS, "press", _nothing,
        lambda m, d, who: m.service.put_substitution(
            m.users[who],
            Substitution(
                new_id(), m.organisation.id, m.officials["lawyer"].id, m.officials["press"].id,
                pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31),
            ),
        ),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(STEPS))
def test_each_use_case_is_refused_without_its_permission_and_allowed_with_it(
    storage: AnyStorage, name: str
) -> None:
    permission, who, state, step = STEPS[name]
    m = _strict(build_ministry(storage))
    draft = state(m)
    _give(m, who, f"no_{permission.value}")
    with pytest.raises(PermissionDenied):
        step(m, draft, who)
    _give(m, who, "all")
    step(m, draft, who)


def test_a_role_less_user_may_do_nothing_under_the_strict_policy(storage: AnyStorage) -> None:
    m = _strict(build_ministry(storage))
    draft = _running(m)
    assert draft is not None
    _give(m, "lawyer")
    with pytest.raises(PermissionDenied):
        m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    with pytest.raises(PermissionDenied):
        m.service.awaiting(m.users["lawyer"])


def test_built_in_roles_fit_the_approval_duties(storage: AnyStorage) -> None:
    """An executor prepares and approves, a head signs, a registrar registers."""
    m = _strict(build_ministry(storage), everyone=("executor",))
    _give(m, "minister", "head")
    _give(m, "press", "registrar")
    draft = _signed(m)
    assert draft is not None and draft.state is DraftState.SIGNED
    with pytest.raises(PermissionDenied):  # a head does not register
        m.service.register(m.users["minister"], draft.id, draft.version, m.outgoing.id)
    draft, card = m.service.register(m.users["press"], draft.id, draft.version, m.outgoing.id)
    assert draft.state is DraftState.REGISTERED
    assert card.organisation_id == m.organisation.id


def test_signing_and_registering_at_once_needs_register_too(storage: AnyStorage) -> None:
    m = _strict(build_ministry(storage))
    draft = _for_signature(m)
    assert draft is not None
    _give(m, "minister", "no_register")
    with pytest.raises(PermissionDenied):
        m.service.sign(
            m.users["minister"], draft.id, draft.version, LETTER, m.signer.sign(LETTER),
            register_in=m.outgoing.id,
        )  # fmt: skip
    # Nothing of the refused use case stayed: the draft still awaits its signature.
    assert m.service.get(m.users["author"], draft.id).state is DraftState.AWAITING_SIGNATURE


def test_department_grants_apply_to_the_drafts_card_department(storage: AnyStorage) -> None:
    m = _strict(build_ministry(storage))
    dept = Department(new_id(), m.organisation.id, "ОС", "Отдел связи")
    with m.storage.unit_of_work() as uow:
        uow.directory.put_department(dept)
        uow.commit()
    _give(m, "author", RoleGrant("executor", dept.id))
    with pytest.raises(PermissionDenied):  # a card of no department: outside the grant
        m.create()
    elsewhere = m.create(author="lawyer")
    with pytest.raises(NotFound):  # reading is narrowed to the department's cards too
        m.service.get(m.users["author"], elsewhere.id)
    details = CardDetails(
        kind=CardKind.DRAFT, document_kind="Письмо", summary="О связи",
        addressees=(Correspondent("Минцифры России"),), department_id=dept.id,
    )  # fmt: skip
    request = DraftRequest(
        m.drafts_journal.id, details, CardKind.OUTGOING, m.officials["minister"].id,
        (DraftFile("letter.pdf", LETTER),),
    )  # fmt: skip
    mine = m.service.create_draft(m.users["author"], request)
    draft = m.service.start_approval(m.users["author"], mine.id, mine.version, [m.spec("lawyer")])
    assert m.service.get(m.users["author"], mine.id).state is draft.state
    assert [t.draft_id for t in m.service.overdue(m.users["author"], LATER)] == [mine.id]


# --- organisations and ДСП ---------------------------------------------------------------------


def _other_ministry(storage: AnyStorage) -> Ministry:
    other = build_ministry(storage)
    return _strict(other)


def test_another_organisation_gets_not_found_and_sees_nothing(storage: AnyStorage) -> None:
    m = _strict(build_ministry(storage))
    draft = _running(m)
    assert draft is not None
    o = _other_ministry(storage)
    stranger = o.users["lawyer"]
    with pytest.raises(NotFound) as hidden:
        m.service.get(stranger, draft.id)
    with pytest.raises(NotFound) as missing:
        m.service.get(stranger, "no-such-draft")
    assert str(hidden.value).replace(draft.id, "X") == str(missing.value).replace(
        "no-such-draft", "X"
    )
    for step in (
        lambda: m.service.give_visa(stranger, draft.id, draft.version, VisaDecision.AGREED),
        lambda: m.service.recall(stranger, draft.id, draft.version, "Чужой"),
        lambda: m.service.sheet(stranger, draft.id),
        lambda: m.service.history(stranger, draft.id),
    ):
        with pytest.raises(NotFound):
            step()
    assert m.service.awaiting(stranger) == []
    assert m.service.overdue(stranger, LATER) == []
    assert [t.draft_id for t in m.service.overdue(m.users["press"], LATER)] == [draft.id]
    # The refusals are audited with their reason, for administrators.
    with m.storage.unit_of_work() as uow:
        denied = [
            e for _, e in uow.audit.events(draft.id, limit=1000) if e.action == "access.denied"
        ]
    assert denied and all(e.actor_id == stranger.id for e in denied)
    assert "another organisation" in denied[0].note


def test_dsp_drafts_never_show_without_clearance(storage: AnyStorage) -> None:
    everyone = frozenset(key for key, _, _ in PEOPLE)
    m = _strict(build_ministry(storage, dsp_electronic=True, cleared=everyone))
    open_draft = _running(m)
    dsp = m.create(access=AccessMark.DSP)
    dsp = m.service.start_approval(
        m.users["author"], dsp.id, dsp.version, [m.spec("lawyer"), m.spec("finance")]
    )
    assert open_draft is not None
    cleared_view = {t.draft_id for t in m.service.overdue(m.users["press"], LATER)}
    assert cleared_view == {open_draft.id, dsp.id}
    assert {d.id for d, _, _ in m.service.awaiting(m.users["lawyer"])} == {open_draft.id, dsp.id}
    # The lawyer's and the press secretary's users lose their clearance in the directory.
    _give(m, "press", "all", clearance=Clearance.NONE)
    _give(m, "lawyer", "all", clearance=Clearance.NONE)
    assert {t.draft_id for t in m.service.overdue(m.users["press"], LATER)} == {open_draft.id}
    assert [d.id for d, _, _ in m.service.awaiting(m.users["lawyer"])] == [open_draft.id]
    with pytest.raises(NotFound):
        m.service.get(m.users["press"], dsp.id)
    with pytest.raises(NotFound):
        m.service.give_visa(m.users["lawyer"], dsp.id, dsp.version, VisaDecision.AGREED)
    # A user value claiming clearance counts only as its id.
    forged = attrs.evolve(m.users["press"], clearance=Clearance.DSP)
    with pytest.raises(NotFound):
        m.service.sheet(forged, dsp.id)


def test_reads_of_a_dsp_draft_are_audited(storage: AnyStorage) -> None:
    everyone = frozenset(key for key, _, _ in PEOPLE)
    m = _strict(build_ministry(storage, dsp_electronic=True, cleared=everyone))
    dsp = m.create(access=AccessMark.DSP)
    dsp = m.service.start_approval(m.users["author"], dsp.id, dsp.version, [m.spec("lawyer")])
    opened = m.create()
    m.service.get(m.users["press"], dsp.id)
    m.service.sheet(m.users["press"], dsp.id)
    m.service.overdue(m.users["press"], LATER)
    m.service.get(m.users["press"], opened.id)
    with m.storage.unit_of_work() as uow:
        reads = [
            (e.action, e.actor_id) for _, e in uow.audit.events(dsp.id, limit=1000)
            if e.action.startswith("draft.") and e.action not in {"draft.created"}
        ]  # fmt: skip
        open_reads = [
            e for _, e in uow.audit.events(opened.id, limit=1000) if e.action == "draft.read"
        ]
    press = m.users["press"].id
    assert reads == [
        ("draft.read", press), ("draft.sheet_read", press), ("draft.listed", press)
    ]  # fmt: skip
    assert open_reads == []


# --- deputies ----------------------------------------------------------------------------------


def test_a_deputy_acting_through_a_principal_is_audited(storage: AnyStorage) -> None:
    m = _strict(build_ministry(storage))
    draft = _running(m)
    assert draft is not None
    lawyer, press = m.users["lawyer"], m.users["press"]
    _give(m, "press", "all", deputy_for={lawyer.id})
    m.service.put_substitution(
        lawyer,  # the lawyer records their own absence
        Substitution(
            new_id(), m.organisation.id, m.officials["lawyer"].id, m.officials["press"].id,
            pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31),
        ),
    )  # fmt: skip
    draft = m.service.give_visa(
        Principal(press.id, on_behalf_of=lawyer.id), draft.id, draft.version, VisaDecision.AGREED
    )
    visa = draft.cycles[0].visas[0]
    assert visa.acting_for == m.officials["lawyer"].id
    (event,) = [
        e for e in m.service.history(m.users["author"], draft.id) if e.action == "approval.visa"
    ]
    assert event.actor_id == press.id
    assert event.on_behalf_of == lawyer.id


def test_a_principal_deputy_gets_the_replaced_users_permissions(storage: AnyStorage) -> None:
    m = _strict(build_ministry(storage))
    draft = _signed(m)
    assert draft is not None
    author, press = m.users["author"], m.users["press"]
    _give(m, "author", "all")
    _give(m, "press", "no_register", deputy_for={author.id})
    with pytest.raises(PermissionDenied):
        m.service.register(press, draft.id, draft.version, m.outgoing.id)
    acting = Principal(press.id, on_behalf_of=author.id)
    draft, card = m.service.register(acting, draft.id, draft.version, m.outgoing.id)
    registered = [e for e in m.service.history(author, draft.id) if e.action == "draft.registered"]
    assert [(e.actor_id, e.on_behalf_of) for e in registered] == [(press.id, author.id)]
    assert card.registered_by == press.id
