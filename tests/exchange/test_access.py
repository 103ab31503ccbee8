"""The exchange use cases under the access model, on every adapter (strict policy, roles stored).

Each use case is refused without its permission (``exchange``; ``register`` too for receiving;
``read`` for the delivery listings) and allowed with it; another organisation's user gets
NotFound for this organisation's cards and never sees its records in the listings; a user without
ДСП clearance never sees a ДСП card's records; a deputy is recorded in the audit; a letter whose
restriction mark is not recognised is registered ДСП and reported. A property test draws random
cards, records and users and checks the listings against a plain restatement of the rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.access import AccessPolicy, Permission, Principal, Role
from edmscore.clock import FixedClock
from edmscore.control import Assignment
from edmscore.directory import Clearance, Official, Organisation, PersonName, RoleGrant, User
from edmscore.errors import AccessDenied, NotFound, PermissionDenied
from edmscore.exchange.dispatch import DispatchState
from edmscore.exchange.medo import (
    DetachedSignature,
    DocumentContent,
    Letter,
    Message,
    Partner,
    QualifiedValue,
    RefusalReason,
    build_receipt,
    read_letter,
    write_letter,
)
from edmscore.exchange.service import ExchangeService, Sent
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import AccessMark, CardDetails, CardKind, Correspondent, Journal, Signatory
from edmscore.testing import make_card
from edmscore.testing.approval_contract import make_draft
from edmscore.testing.dispatch_contract import make_dispatch
from tests._adapters import AnyStorage, StorageFactory, adapter_settings
from tests.exchange.medo.samples import document_message

A = Organisation(
    "org-a", "Министерство А", medo_id="6b3f4a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", dsp_electronic=True
)
B = Organisation(
    "org-b", "Министерство Б", medo_id="9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", dsp_electronic=True
)
#: Thursday 30 April 2026 (Moscow); a week later every letter sent then is overdue.
NOW = pendulum.datetime(2026, 4, 30, 10, tz="Europe/Moscow")
LATER = NOW.add(days=8)
TEXT = b"%PDF-1.7\n letter"
OPERATOR = Role("medo_operator", {Permission.EXCHANGE, Permission.READ}, "Оператор МЭДО")
POLICY = AccessPolicy.strict(roles=[OPERATOR])


def _user(user_id: str, org: Organisation, role: str, *, cleared: bool = True) -> User:
    clearance = Clearance.DSP if cleared else Clearance.NONE
    return User(user_id, user_id, org.id, None, clearance, roles=(role,))


USERS = (
    _user("a-clerk", A, "registrar"),
    _user("a-plain", A, "registrar", cleared=False),
    _user("a-executor", A, "executor"),
    _user("a-admin", A, "organisation_admin"),
    User("a-deputy", "a-deputy", A.id, None, Clearance.DSP, roles=("executor",),
         deputy_for=frozenset({"a-clerk"})),
    _user("b-clerk", B, "registrar"),
    _user("b-plain", B, "registrar", cleared=False),
    _user("b-executor", B, "executor"),
    _user("b-operator", B, "medo_operator"),
)  # fmt: skip


@attrs.define
class World:
    """One installation's storage holding both organisations, and its strict services."""

    storage: AnyStorage
    clock: FixedClock
    exchange: ExchangeService
    records: RecordsService


def _world(storage: AnyStorage) -> World:
    with storage.unit_of_work() as uow:
        for organisation in (A, B):
            uow.directory.put_organisation(organisation)
        for user in USERS:
            uow.directory.put_user(user)
        uow.directory.put_official(
            Official("b-head", B.id, PersonName.parse("Волков Олег Игоревич"), "Министр")
        )
        uow.journals.add(Journal("j-a", A.id, "ИСХ", "Исходящие", "{seq}", {CardKind.OUTGOING}))
        uow.journals.add(Journal("j-b", B.id, "ВХ", "Входящие", "ВХ-{seq}", {CardKind.INCOMING}))
        uow.commit()
    clock = FixedClock(NOW)
    return World(
        storage,
        clock,
        ExchangeService(storage, clock=clock, policy=POLICY),
        RecordsService(storage, clock, policy=POLICY),
    )


def _outgoing(w: World, access: AccessMark = AccessMark.OPEN) -> str:
    details = CardDetails(
        kind=CardKind.OUTGOING,
        document_kind="Письмо",
        summary="О бюджете",
        addressees=(Correspondent(B.name, organisation_id=B.id),),
        signatories=(Signatory("А.В. Соколов", "Министр"),),
        access=access,
    )
    card = w.records.register("a-clerk", RegistrationRequest("j-a", details))
    card = w.records.attach_file("a-clerk", card.id, card.version, "letter.pdf", TEXT)
    return card.id


def _signature() -> DetachedSignature:
    return DetachedSignature("letter.pdf", "letter.pdf.sig", b"0\x80sig", "Соколов А.В.", "", NOW)


def _posted(sent: Sent, folder: Path) -> Letter:
    (letter,) = sent.letters
    return read_letter(
        write_letter(folder, letter.message, letter.files, addresses=("TEST~MEDOGU",))
    )


def _back(message: Message, folder: Path) -> Message:
    return read_letter(write_letter(folder, message, {}, addresses=("TEST~MEDOGU",))).message


def _partner(organisation: Organisation) -> Partner:
    assert organisation.medo_id is not None
    return Partner(uid=organisation.medo_id, organization=organisation.name)


def _assignment(card_id: str) -> Assignment:
    return Assignment(
        id="as-1",
        organisation_id=B.id,
        card_id=card_id,
        resolution_id="res-1",
        author_id="b-head",
        text="Исполнить",
        executor_id="b-head",
        issued_on=NOW.date(),
        due=NOW.date().add(days=10),
        deadline_set_by="b-head",
    )


def _marked(folder: Path, mark: str) -> Letter:
    message = document_message()
    assert isinstance(message.content, DocumentContent)
    document = attrs.evolve(message.content.document, classification=QualifiedValue(mark))
    message = attrs.evolve(message, content=attrs.evolve(message.content, document=document))
    files = {"document.pdf": b"%PDF-1.7 x", "document.pdf.p7s": b"sig"}
    return read_letter(write_letter(folder, message, files, addresses=("TEST~MEDOGU",)))


def _actions(w: World, card_id: str) -> list[tuple[str, str, str | None]]:
    with w.storage.unit_of_work() as uow:
        return [
            (e.action, e.actor_id, e.on_behalf_of) for _, e in uow.audit.events(card_id, limit=999)
        ]


def test_each_use_case_needs_its_permission(storage: AnyStorage, tmp_path: Path) -> None:
    w = _world(storage)
    ex = w.exchange
    card_id = _outgoing(w)
    with pytest.raises(PermissionDenied):
        ex.send("a-executor", card_id, [_signature()])
    with pytest.raises(PermissionDenied):
        ex.send_signed_draft("a-executor", "any-draft")
    letter = _posted(ex.send("a-clerk", card_id, [_signature()]), tmp_path / "out")
    receipt = build_receipt(letter, source=_partner(B), time=NOW, accepted=True)
    with pytest.raises(PermissionDenied):
        ex.receipt_received("a-executor", receipt)
    delivered = ex.receipt_received("a-clerk", receipt)
    assert delivered is not None and delivered.state is DispatchState.DELIVERED

    # B receives: check and refuse need exchange; receive needs exchange and register
    for use in (
        lambda who: ex.check(who, letter),
        lambda who: ex.refuse(who, letter, RefusalReason.ADDRESSING_ERROR),
        lambda who: ex.receive(who, letter, "j-b"),
    ):
        with pytest.raises(PermissionDenied):
            use("b-executor")
    assert ex.check("b-operator", letter).details.kind is CardKind.INCOMING
    assert ex.refuse("b-clerk", letter, RefusalReason.ADDRESSING_ERROR).content is not None
    with pytest.raises(PermissionDenied, match="register"):
        ex.receive("b-operator", letter, "j-b")
    with pytest.raises(AccessDenied):  # only into one's own organisation's journal
        ex.receive("b-clerk", letter, "j-a")
    received = ex.receive("b-clerk", letter, "j-b")
    assert received.card.organisation_id == B.id
    assert not received.classification_review_needed

    # notices
    with pytest.raises(PermissionDenied):
        ex.executor_assigned("b-executor", received.card.id, _assignment(received.card.id))
    assert ex.executor_assigned("b-clerk", received.card.id, _assignment(received.card.id))
    reply = _back(received.notification, tmp_path / "reply")
    with pytest.raises(PermissionDenied):
        ex.reply_received("a-executor", reply)
    link = ex.reply_received("a-clerk", reply)
    assert link is not None and link.dispatch is not None
    assert link.dispatch.state is DispatchState.REGISTERED

    # the listings need read (an organisation administrator has none)
    for listing in (
        lambda who: ex.dispatches(who, card_id),
        lambda who: ex.overdue(who),
        lambda who: ex.failed(who),
    ):
        with pytest.raises(PermissionDenied):
            listing("a-admin")
    assert [d.state for d in ex.dispatches("a-executor", card_id)] == [DispatchState.REGISTERED]


def test_another_organisation_gets_not_found_and_sees_no_records(
    storage: AnyStorage, tmp_path: Path
) -> None:
    w = _world(storage)
    ex = w.exchange
    card_id = _outgoing(w)
    letter = _posted(ex.send("a-clerk", card_id, [_signature()]), tmp_path / "out")
    with pytest.raises(NotFound):
        ex.send("b-clerk", card_id, [_signature()])
    with pytest.raises(NotFound):
        ex.dispatches("b-clerk", card_id)
    with pytest.raises(NotFound):
        ex.executor_assigned("b-clerk", card_id, _assignment(card_id))
    with storage.unit_of_work() as uow:
        uow.drafts.add(make_draft(A.id, draft_id="draft-a"))
        uow.commit()
    with pytest.raises(NotFound):
        ex.send_signed_draft("b-clerk", "draft-a")
    # B's receipt for A's letter, fed to B's clerk, is about none of B's records
    refusal = build_receipt(letter, source=_partner(B), time=NOW, accepted=False)
    assert ex.receipt_received("b-clerk", refusal) is None
    assert [d.state for d in ex.dispatches("a-clerk", card_id)] == [DispatchState.SENT]
    assert ex.receipt_received("a-clerk", refusal) is not None  # now FAILED
    w.clock.set(LATER)
    assert ex.failed("b-clerk") == () and ex.overdue("b-clerk") == ()
    assert [d.card_id for d in ex.failed("a-clerk")] == [card_id]
    assert ("access.denied", "b-clerk", None) in _actions(w, card_id)


def test_dsp_records_are_hidden_without_clearance_and_listed_reads_audited(
    storage: AnyStorage, tmp_path: Path
) -> None:
    w = _world(storage)
    ex = w.exchange
    open_id, dsp_id = _outgoing(w), _outgoing(w, AccessMark.DSP)
    letters = {
        card_id: _posted(ex.send("a-clerk", card_id, [_signature()]), tmp_path / card_id)
        for card_id in (open_id, dsp_id)
    }
    with pytest.raises(NotFound):
        ex.dispatches("a-plain", dsp_id)
    with pytest.raises(NotFound):
        ex.send("a-plain", dsp_id, [_signature()])
    dsp_refusal = build_receipt(letters[dsp_id], source=_partner(B), time=NOW, accepted=False)
    assert ex.receipt_received("a-plain", dsp_refusal) is None  # hidden is missing
    assert [d.state for d in ex.dispatches("a-clerk", dsp_id)] == [DispatchState.SENT]
    w.clock.set(LATER)
    assert {s.card.id for s in ex.overdue("a-plain")} == {open_id}
    assert {s.card.id for s in ex.overdue("a-clerk")} == {open_id, dsp_id}
    assert ("card.listed", "a-clerk", None) in _actions(w, dsp_id)
    assert ("card.listed", "a-clerk", None) not in _actions(w, open_id)
    for card_id in (open_id, dsp_id):
        refusal = build_receipt(letters[card_id], source=_partner(B), time=NOW, accepted=False)
        assert ex.receipt_received("a-clerk", refusal) is not None
    assert {d.card_id for d in ex.failed("a-plain")} == {open_id}
    assert {d.card_id for d in ex.failed("a-clerk")} == {open_id, dsp_id}
    assert ("access.denied", "a-plain", None) in _actions(w, dsp_id)


def test_a_deputy_acts_with_the_replaced_clerks_permission_and_is_audited(
    storage: AnyStorage,
) -> None:
    w = _world(storage)
    card_id = _outgoing(w)
    with pytest.raises(PermissionDenied):
        w.exchange.send("a-deputy", card_id, [_signature()])
    w.exchange.send(Principal("a-deputy", on_behalf_of="a-clerk"), card_id, [_signature()])
    assert ("medo.sent", "a-deputy", "a-clerk") in _actions(w, card_id)


def test_an_unrecognised_mark_is_registered_dsp_and_reported(
    storage: AnyStorage, tmp_path: Path
) -> None:
    w = _world(storage)
    letter = _marked(tmp_path / "in", "Конфиденциально")
    with pytest.raises(AccessDenied):  # a ДСП card needs clearance: nothing registered
        w.exchange.receive("b-plain", letter, "j-b")
    received = w.exchange.receive("b-clerk", letter, "j-b")
    assert received.classification_review_needed
    assert received.card.details.access is AccessMark.DSP
    assert "Конфиденциально" in received.card.details.notes
    with w.storage.unit_of_work() as uow:
        events = [e for _, e in uow.audit.events(received.card.id, limit=99)]
    (event,) = [e for e in events if e.action == "medo.received"]
    fields = {c.field: c.after for c in event.changes}
    assert json.loads(fields["classification_review_needed"] or "null") is True
    assert "не распознан" in event.note
    assert received.card.registration.number == "ВХ-1"  # the refused attempt used no number


# --- the listings against a plain restatement of the rule ----------------------------------------

ORGS = ("org-a", "org-b")
DEPTS = ("d1", "d2", None)


def _may_list(user: User, org: str, department: str | None, dsp: bool) -> bool:
    """The records of the user's organisation's cards they may read (docs/access.md)."""
    (grant,) = user.roles
    own = org == user.organisation_id
    in_department = grant.department_id is None or grant.department_id == department
    return own and in_department and (not dsp or user.clearance is Clearance.DSP)


def test_listings_reveal_only_records_of_visible_cards(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    @adapter_settings(storage_adapter, 40)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        specs = data.draw(
            st.lists(
                st.tuples(
                    st.sampled_from(ORGS),
                    st.sampled_from(DEPTS),
                    st.booleans(),
                    st.booleans(),
                    st.frozensets(st.sampled_from(ORGS), max_size=1),
                ),
                max_size=6,
            )
        )
        people = [
            User(
                f"u{n}",
                f"user{n}",
                data.draw(st.sampled_from(ORGS)),
                None,
                data.draw(st.sampled_from(Clearance)),
                roles=(RoleGrant("registrar", data.draw(st.sampled_from(DEPTS))),),
            )
            for n in range(data.draw(st.integers(1, 3)))
        ]
        storage = new_storage()
        with storage.unit_of_work() as uow:
            for org in ORGS:
                uow.directory.put_organisation(Organisation(org, f"Организация {org}"))
            for person in people:
                uow.directory.put_user(person)
            stored = []
            for n, (org, department, dsp, failed, shared) in enumerate(specs):
                card = make_card(
                    "j",
                    f"{n}",
                    organisation_id=org,
                    access=AccessMark.DSP if dsp else AccessMark.OPEN,
                )
                details = attrs.evolve(
                    card.details, department_id=department, shared_with=shared - {org}
                )
                card = attrs.evolve(card, details=details)
                uow.cards.add(card)
                record = make_dispatch(organisation_id=org, card_id=card.id, sent_at=NOW)
                if failed:
                    record = record.receipt(
                        record.last.message_uid, NOW.add(hours=1), accepted=False, comment=None
                    )
                uow.dispatches.add(attrs.evolve(record, version=1))
                stored.append((card.id, failed, (org, department, dsp)))
            uow.commit()
        exchange = ExchangeService(storage, clock=FixedClock(LATER), policy=POLICY)
        for person in people:
            allowed = {
                card_id: failed for card_id, failed, spec in stored if _may_list(person, *spec)
            }
            listed = {d.card_id for d in exchange.failed(person.id)}
            assert listed == {card_id for card_id, failed in allowed.items() if failed}
            late = {s.card.id for s in exchange.overdue(person.id)}
            assert late == {card_id for card_id, failed in allowed.items() if not failed}

    check()
