"""The MEDO exchange use cases with real peers: approval, CMS signatures, letters on disk, control.

Organisation A signs a letter (approval with a GOST certificate of TestPki), registers it and
sends it through MEDO; organisation B reads the letter from disk, checks the signature with
edmscore's CMS verifier, registers the incoming card and notifies A; A links the notification to
its outgoing card by the document uid. B then imposes a resolution and tells A who executes it.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.approval import (
    ApprovalService,
    CmsSignatureVerifier,
    DraftFile,
    DraftRequest,
    DraftState,
    ParticipantSpec,
    StageSpec,
    VisaDecision,
)
from edmscore.calendar import russian_calendar
from edmscore.clock import FixedClock
from edmscore.control import Assignment, ControlService, ItemRequest, ResolutionRequest
from edmscore.directory import Clearance, Official, Organisation, PersonName, User
from edmscore.errors import AccessDenied, MedoFormatError, StateError
from edmscore.exchange.medo import (
    CmsVerifier,
    DocumentAccepted,
    DocumentRefused,
    ExecutorAssigned,
    Notification,
    RefusalReason,
    SignatureStatus,
    read_letter,
    write_letter,
)
from edmscore.exchange.service import ExchangeService
from edmscore.records import AdminService, RecordsService
from edmscore.registry import (
    CardDetails,
    CardKind,
    Correspondent,
    DeliveryMethod,
    Journal,
)
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import Identity, TestPki
from tests._adapters import AnyStorage, StorageFactory

LETTER = "%PDF-1.7\nО развитии сетей связи в районах области\n".encode()
ENCLOSURE = b"%PDF-1.7\n" + bytes(range(256)) * 8
A_MEDO = "6b3f4a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
B_MEDO = "{9C8B7A6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D}"
NOW = pendulum.now("UTC").replace(microsecond=0)

A_ORG = Organisation(
    "org-a",
    "Министерство цифрового развития Амурской области",
    short_name="Минцифры",
    medo_id=A_MEDO,
    timezone="Asia/Yakutsk",
)
B_ORG = Organisation(
    "org-b", "Министерство финансов Амурской области", medo_id=B_MEDO, timezone="Asia/Yakutsk"
)


@attrs.define
class Side:
    """One organisation's storage, people, journals and services."""

    storage: AnyStorage
    clock: FixedClock
    organisation: Organisation
    officials: dict[str, Official]
    users: dict[str, User]
    journals: dict[CardKind, Journal]
    exchange: ExchangeService
    records: RecordsService


def _side(
    storage: AnyStorage,
    own: Organisation,
    other: Organisation,
    people: dict[str, str],
    kinds: tuple[CardKind, ...],
    verifier: CmsVerifier | None = None,
) -> Side:
    clock = FixedClock(NOW)
    admin = User(new_id(), "admin", own.id, None, Clearance.DSP)
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(own)
        uow.directory.put_organisation(other)
        uow.directory.put_user(admin)
        uow.commit()
    setup = AdminService(storage, clock)
    officials, users = {}, {}
    for key, name in people.items():
        official = Official(new_id(), own.id, PersonName.parse(name), f"Должность: {key}")
        setup.put_official(admin, official)
        user = User(new_id(), key, own.id, official.id, Clearance.DSP)
        setup.put_user(admin, user)
        officials[key], users[key] = official, user
    journals = {}
    for kind in kinds:
        journal = Journal(
            new_id(), own.id, kind.name[:3], kind.name, f"{kind.name[:2]}-{{seq}}", {kind}
        )
        setup.create_journal(admin, journal)
        journals[kind] = journal
    exchange = ExchangeService(storage, verifier=verifier, clock=clock)
    return Side(
        storage, clock, own, officials, users, journals, exchange, RecordsService(storage, clock)
    )


@pytest.fixture(scope="module")
def pki() -> TestPki:
    """A GOST R 34.10-2012 (256) test CA that both sides trust."""
    return TestPki.create("gost256")


@pytest.fixture(scope="module")
def minister_id(pki: TestPki) -> Identity:
    """The minister's qualified certificate."""
    return pki.issue(
        SubjectFields(
            surname="Соколов", given_name="Андрей", patronymic="Викторович", snils="11223344595"
        )
    )


def _a_side(pki: TestPki, storage: AnyStorage) -> tuple[Side, ApprovalService]:
    a = _side(
        storage,
        A_ORG,
        B_ORG,
        {
            "author": "Орлова Мария Петровна",
            "lawyer": "Ким Елена Сергеевна",
            "minister": "Соколов Андрей Викторович",
        },
        (CardKind.DRAFT, CardKind.OUTGOING),
    )
    approval = ApprovalService(
        a.storage, russian_calendar(), CmsSignatureVerifier([pki.root.certificate]), a.clock
    )
    return a, approval


def _b_side(pki: TestPki, storage: AnyStorage) -> Side:
    return _side(
        storage,
        B_ORG,
        A_ORG,
        {
            "clerk": "Зайцева Анна Павловна",
            "head": "Волков Олег Игоревич",
            "chief": "Лисин Пётр Андреевич",
            "executor": "Котова Ирина Юрьевна",
        },
        (CardKind.INCOMING,),
        CmsVerifier(trust_anchors=[pki.root.certificate]),
    )


def _signed_and_sent(
    a: Side, approval: ApprovalService, pki: TestPki, signer: Identity, folder: Path
) -> tuple[str, Path]:
    """A's letter: draft → visa → signature → outgoing card → MEDO letter written to ``folder``."""
    details = CardDetails(
        kind=CardKind.DRAFT,
        document_kind="Письмо",
        summary="О развитии сетей связи",
        addressees=(Correspondent(B_ORG.name, organisation_id=B_ORG.id),),
    )
    files = (
        DraftFile("letter.pdf", LETTER, "application/pdf"),
        DraftFile("schedule.pdf", ENCLOSURE, "application/pdf"),
    )
    draft = approval.create_draft(
        a.users["author"],
        DraftRequest(
            a.journals[CardKind.DRAFT].id,
            details,
            CardKind.OUTGOING,
            a.officials["minister"].id,
            files,
        ),
    )
    stage = StageSpec("Правовой отдел", (ParticipantSpec(a.officials["lawyer"].id),))
    draft = approval.start_approval(a.users["author"], draft.id, draft.version, [stage])
    draft = approval.give_visa(a.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    draft = approval.sign(
        a.users["minister"],
        draft.id,
        draft.version,
        LETTER,
        pki.sign(LETTER, signer),
        register_in=a.journals[CardKind.OUTGOING].id,
    )
    assert draft.state is DraftState.REGISTERED and draft.registered_card_id is not None
    sent = a.exchange.send_signed_draft(a.users["author"], draft.id)
    assert sent.without_medo == ()
    (letter,) = sent.letters
    assert letter.destination.uid.lower() in B_MEDO.lower()
    assert set(letter.files) == {"letter.pdf", "schedule.pdf", "letter.pdf.sig"}
    write_letter(folder, letter.message, letter.files, addresses=(letter.destination.uid,))
    return draft.registered_card_id, folder


def test_round_trip_a_sends_b_registers_a_links_the_notification(
    pki: TestPki, minister_id: Identity, tmp_path: Path, new_storage: StorageFactory
) -> None:
    a, approval = _a_side(pki, new_storage())
    b = _b_side(pki, new_storage())
    outgoing_id, folder = _signed_and_sent(a, approval, pki, minister_id, tmp_path / "to-b")

    # B: the letter from disk, registered as an incoming card
    received = b.exchange.receive(
        b.users["clerk"], read_letter(folder), b.journals[CardKind.INCOMING].id
    )
    card = received.card
    assert card.kind is CardKind.INCOMING
    assert card.details.delivery_method is DeliveryMethod.MEDO
    assert card.details.correspondents[0].organisation_id == A_ORG.id
    assert card.details.summary == "О развитии сетей связи"
    assert [(c.file_name, c.status) for c in received.incoming.signatures] == [
        ("letter.pdf", SignatureStatus.VALID)
    ]
    names = {f.name for f in card.details.files}
    assert names == {"letter.pdf", "schedule.pdf", "letter.pdf.sig", "document.xml"}
    assert b.records.read_file(b.users["clerk"], card.id, "letter.pdf") == LETTER
    signature = b.records.read_file(b.users["clerk"], card.id, "letter.pdf.sig")
    assert (
        CmsVerifier(trust_anchors=[pki.root.certificate]).verify_detached(LETTER, signature)
        is SignatureStatus.VALID
    )
    history = b.records.history(b.users["clerk"], card.id)
    # the letter's signature is kept on the card with its verdict (items 18-19)
    assert [e.action for e in history] == [
        "card.registered",
        "card.signature_checked",
        "medo.received",
    ]

    # B → A: «зарегистрирован», written and read back as a letter
    reply_folder = write_letter(
        tmp_path / "to-a", received.notification, {}, addresses=("TEST~MEDOGU",)
    )
    reply = read_letter(reply_folder).message
    link = a.exchange.reply_received(a.users["author"], reply)
    assert link is not None and link.card.id == outgoing_id
    event = link.notification.event
    assert isinstance(event, DocumentAccepted)
    assert event.num.number == card.registration.number
    assert event.num.date == card.registration.date
    actions = [e.action for e in a.records.history(a.users["author"], outgoing_id)]
    assert actions[-2:] == ["medo.sent", "medo.notification_received"]

    # B: a resolution on the card; the «назначен исполнитель» notification from control data
    control = ControlService(b.storage, b.clock)
    resolution = control.impose(
        b.users["head"],
        ResolutionRequest(
            card.id,
            b.officials["head"].id,
            "Подготовить предложения",
            (
                ItemRequest(
                    b.officials["executor"].id, "Подготовить предложения", NOW.date().add(days=14)
                ),
            ),
        ),
    )
    assignment = control.get(b.users["head"], resolution.item_ids[0])
    message = b.exchange.executor_assigned(b.users["head"], card.id, assignment)
    parsed = read_letter(
        write_letter(tmp_path / "assigned", message, {}, addresses=("TEST~MEDOGU",))
    ).message
    assert isinstance(parsed.content, Notification)
    assigned = parsed.content.event
    assert isinstance(assigned, ExecutorAssigned)
    assert assigned.executor.party.person is not None
    assert assigned.executor.party.person.value == "Котова Ирина Юрьевна"
    assert a.exchange.reply_received(a.users["author"], parsed) is not None


def test_a_tampered_letter_is_reported_and_may_be_refused(
    pki: TestPki, minister_id: Identity, tmp_path: Path, new_storage: StorageFactory
) -> None:
    a, approval = _a_side(pki, new_storage())
    b = _b_side(pki, new_storage())
    _, folder = _signed_and_sent(a, approval, pki, minister_id, tmp_path / "to-b")
    (folder / "letter.pdf").write_bytes(LETTER.replace(b"1.7", b"1.4"))
    letter = read_letter(folder)
    check = b.exchange.check(b.users["clerk"], letter)
    assert [c.status for c in check.signatures] == [SignatureStatus.INVALID]
    assert any("letter.pdf.sig" in w for w in check.warnings)
    refusal = b.exchange.refuse(
        b.users["clerk"], letter, RefusalReason.NO_SIGNATURE, comment="Подпись не верна"
    )
    assert isinstance(refusal.content, Notification)
    assert isinstance(refusal.content.event, DocumentRefused)
    link = a.exchange.reply_received(a.users["author"], refusal)
    assert link is not None and isinstance(link.notification.event, DocumentRefused)


def test_sending_needs_a_registered_signed_draft_and_a_visible_card(
    pki: TestPki, minister_id: Identity, tmp_path: Path, new_storage: StorageFactory
) -> None:
    a, approval = _a_side(pki, new_storage())
    b = _b_side(pki, new_storage())
    outgoing_id, _ = _signed_and_sent(a, approval, pki, minister_id, tmp_path / "x")
    with pytest.raises(AccessDenied):
        a.exchange.send(b.users["clerk"], outgoing_id, [])
    with pytest.raises(MedoFormatError, match="not signed"):
        a.exchange.send(a.users["author"], outgoing_id, [])
    unsigned = approval.create_draft(
        a.users["author"],
        DraftRequest(
            a.journals[CardKind.DRAFT].id,
            CardDetails(
                kind=CardKind.DRAFT,
                document_kind="Письмо",
                summary="Ещё не подписано",
                addressees=(Correspondent(B_ORG.name, organisation_id=B_ORG.id),),
            ),
            CardKind.OUTGOING,
            a.officials["minister"].id,
            (DraftFile("draft.pdf", LETTER, "application/pdf"),),
        ),
    )
    with pytest.raises(StateError, match="not signed"):
        a.exchange.send_signed_draft(a.users["author"], unsigned.id)
    with pytest.raises(StateError, match=r"did not come through MEDO|keeps no MEDO message"):
        a.exchange.executor_assigned(a.users["author"], outgoing_id, _assignment_on(outgoing_id))


def _assignment_on(card_id: str) -> Assignment:
    return Assignment(
        id="as-1",
        organisation_id=A_ORG.id,
        card_id=card_id,
        resolution_id="res-1",
        author_id="x",
        text="Исполнить",
        executor_id="y",
        issued_on=NOW.date(),
        due=NOW.date().add(days=10),
        deadline_set_by="x",
    )


def test_a_file_changed_after_reading_registers_nothing(
    pki: TestPki, minister_id: Identity, tmp_path: Path, new_storage: StorageFactory
) -> None:
    a, approval = _a_side(pki, new_storage())
    b = _b_side(pki, new_storage())
    _, folder = _signed_and_sent(a, approval, pki, minister_id, tmp_path / "to-b")
    letter = read_letter(folder)
    (folder / "schedule.pdf").write_bytes(ENCLOSURE + b"!")
    journal = b.journals[CardKind.INCOMING].id
    with pytest.raises(MedoFormatError, match="changed since"):
        b.exchange.receive(b.users["clerk"], letter, journal)
    received = b.exchange.receive(b.users["clerk"], read_letter(folder), journal)
    assert received.card.registration.number == "IN-1"  # the failed attempt used no number
