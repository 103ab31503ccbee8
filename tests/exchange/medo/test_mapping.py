"""Mapping: a received letter → an incoming card; an outgoing card → letters; replies linked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pendulum
import pytest
from attrs import evolve

from edmscore.directory import Organisation
from edmscore.errors import AccessDenied, MedoFormatError, StateError
from edmscore.exchange.medo import (
    DetachedSignature,
    DocumentAccepted,
    DocumentContent,
    DocumentRefused,
    Notification,
    RefusalReason,
    build_message,
    document_uid_for,
    incoming_draft,
    outgoing_messages,
    parse_message,
    read_letter,
    reply_target,
    schema_errors,
    write_letter,
)
from edmscore.registry import (
    AccessMark,
    CardDetails,
    CardKind,
    Correspondent,
    DeliveryMethod,
    Enclosure,
    FileRef,
    Registration,
    RegistrationCard,
    Signatory,
)
from edmscore.storage.memory import MemoryStorage

from .samples import RECIPIENT, SENDER, document_message

PDF = b"%PDF-1.7\n" + b"x" * 2000
MSK = "Europe/Moscow"
REGION = Organisation(id="region", name="Правительство края", medo_id=SENDER.uid.lower())
DISTRICT = Organisation(id="district", name="Администрация района", medo_id=RECIPIENT.uid)
VILLAGE = Organisation(id="village", name="Администрация села")


def _directory() -> MemoryStorage:
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        for organisation in (REGION, DISTRICT, VILLAGE):
            uow.directory.put_organisation(organisation)
        uow.commit()
    return storage


def _received(tmp_path: Path) -> Path:
    return write_letter(
        tmp_path / "in",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": b"sig"},
        addresses=("TEST~MEDOGU",),
    )


def test_a_received_letter_pre_fills_an_incoming_card(tmp_path: Path) -> None:
    storage = _directory()
    letter = read_letter(_received(tmp_path))
    with storage.unit_of_work() as uow:
        draft = incoming_draft(
            letter, directory=uow.directory, received_on=pendulum.date(2024, 3, 4)
        )
    details = draft.details
    assert details.kind is CardKind.INCOMING
    assert details.correspondents[0].organisation_id == "region"  # matched by MEDO id, any case
    assert details.correspondents[0].name == "Правительство края"
    assert (details.sender_number, details.sender_date) == ("01-15/123", pendulum.date(2024, 3, 1))
    assert details.summary == "О бюджете на 2024 год"
    assert details.document_kind == "Письмо"
    assert details.signatories[0].name == "Иванов Иван Иванович"
    assert details.delivery_method is DeliveryMethod.MEDO
    assert details.access is AccessMark.OPEN
    assert {f.name for f in details.files} == {"document.pdf", "document.pdf.p7s"}
    pdf = next(f for f in details.files if f.name == "document.pdf")
    assert pdf.sha256 == hashlib.sha256(PDF).hexdigest()
    assert pdf.media_type == "application/pdf"
    assert draft.document_uid == "11111111-2222-3333-4444-555555555555"
    assert any("not checked" in w for w in draft.warnings)


def test_an_unknown_sender_and_a_dsp_mark_are_carried(tmp_path: Path) -> None:
    message = document_message()
    assert isinstance(message.content, DocumentContent)
    from edmscore.exchange.medo import QualifiedValue

    dsp = evolve(
        message,
        content=evolve(
            message.content,
            document=evolve(
                message.content.document, classification=QualifiedValue("ДСП"), annotation=None
            ),
        ),
    )
    folder = write_letter(
        tmp_path / "dsp",
        dsp,
        {"document.pdf": PDF, "document.pdf.p7s": b"s"},
        addresses=("TEST~MEDOGU",),
    )
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        draft = incoming_draft(
            read_letter(folder), directory=uow.directory, received_on=pendulum.date(2024, 3, 4)
        )
    assert draft.details.access is AccessMark.DSP
    assert draft.details.correspondents[0].organisation_id is None
    assert draft.details.correspondents[0].name == SENDER.organization
    assert any("не найден" in w for w in draft.warnings)
    assert any("аннотации" in w for w in draft.warnings)


def test_a_description_failing_its_schema_still_gives_a_draft_with_a_warning(
    tmp_path: Path,
) -> None:
    folder = _received(tmp_path)
    xml = (folder / "document.xml").read_bytes()
    # an element the schema does not know, which the reader ignores
    xml = xml.replace(b"<xdms:pages>", b"<xdms:extra>1</xdms:extra><xdms:pages>", 1)
    (folder / "document.xml").write_bytes(xml)
    storage = _directory()
    with storage.unit_of_work() as uow:
        draft = incoming_draft(
            read_letter(folder), directory=uow.directory, received_on=pendulum.date(2024, 3, 4)
        )
    assert draft.details.sender_number == "01-15/123"
    assert any("не соответствует схеме" in w and "extra" in w for w in draft.warnings)


def test_the_registered_and_refused_notifications_go_back(tmp_path: Path) -> None:
    storage = _directory()
    letter = read_letter(_received(tmp_path))
    with storage.unit_of_work() as uow:
        draft = incoming_draft(
            letter, directory=uow.directory, received_on=pendulum.date(2024, 3, 4)
        )
    card = RegistrationCard(
        id="c1",
        organisation_id="district",
        registration=Registration(
            journal_id="in", number="Вх-77", date=pendulum.date(2024, 3, 4), period=2024, seq=77
        ),
        details=draft.details,
        registered_at=pendulum.datetime(2024, 3, 4, 9, tz=MSK),
        registered_by="clerk",
    )
    when = pendulum.datetime(2024, 3, 4, 9, 5, tz=MSK)
    notice = draft.registered(card, source=RECIPIENT, time=when)
    data = build_message(notice)
    assert schema_errors(data) == ()
    parsed = parse_message(data)
    assert isinstance(parsed.content, Notification)
    assert isinstance(parsed.content.event, DocumentAccepted)
    assert parsed.content.event.num.number == "Вх-77"
    assert parsed.content.message_uid == letter.message.header.uid
    assert parsed.destinations[0].partner.same_participant(SENDER)
    # the sender links it back to its outgoing card by document uid, whatever the case
    assert reply_target(parsed, {draft.document_uid.upper(): "outgoing-card-9"}) == (
        "outgoing-card-9"
    )
    refusal = draft.refused(RefusalReason.NO_SIGNATURE, source=RECIPIENT, time=when)
    assert isinstance(refusal.content, Notification)
    assert isinstance(refusal.content.event, DocumentRefused)
    assert schema_errors(build_message(refusal)) == ()


def _outgoing(access: AccessMark = AccessMark.OPEN) -> RegistrationCard:
    details = CardDetails(
        kind=CardKind.OUTGOING,
        document_kind="Письмо",
        summary="О направлении информации",
        addressees=(
            Correspondent("Администрация района", organisation_id="district"),
            Correspondent("Администрация села", organisation_id="village"),
        ),
        signatories=(Signatory("Петров П.П.", position="Губернатор"),),
        sheets=2,
        enclosures=(Enclosure("Смета", sheets=3),),
        access=access,
        files=(FileRef(name="letter.pdf", size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest()),),
    )
    return RegistrationCard(
        id="out-5",
        organisation_id="region",
        registration=Registration(
            journal_id="out", number="01-15/5", date=pendulum.date(2024, 5, 6), period=2024, seq=5
        ),
        details=details,
        registered_at=pendulum.datetime(2024, 5, 6, 12, tz=MSK),
        registered_by="clerk",
    )


_SIGNATURE = DetachedSignature(
    file_name="letter.pdf",
    signature_name="letter.pdf.p7s",
    content=b"cms",
    signer_name="Петров П.П.",
    signer_post="Губернатор",
    signed_at=pendulum.datetime(2024, 5, 6, 11, tz=MSK),
)


def test_an_outgoing_card_becomes_a_letter_per_medo_addressee(tmp_path: Path) -> None:
    card = _outgoing()
    letters, without = outgoing_messages(
        card,
        sender=REGION,
        source=SENDER,
        recipients=(DISTRICT, VILLAGE),
        contents={"letter.pdf": PDF},
        signatures=(_SIGNATURE,),
        time=pendulum.datetime(2024, 5, 6, 13, tz=MSK),
    )
    assert without == ("Администрация села",)
    assert len(letters) == 1
    outgoing = letters[0]
    assert outgoing.destination.same_participant(RECIPIENT)
    data = build_message(outgoing.message)
    assert schema_errors(data) == ()
    content = parse_message(data).content
    assert isinstance(content, DocumentContent)
    assert content.document.uid == document_uid_for(card)
    assert content.document.num.number == "01-15/5"
    assert content.document.classification is None
    assert [(e.title, e.pages) for e in content.document.enclosures] == [("Смета", 3)]
    assert content.document.enclosures_pages == 3
    assert content.files[0].signature_names() == ("letter.pdf.p7s",)
    folder = write_letter(
        tmp_path / "out", outgoing.message, outgoing.files, addresses=("TEST~MEDOGU",)
    )
    assert read_letter(folder).missing == ()


def test_a_dsp_card_leaves_only_where_policy_allows_and_with_its_mark() -> None:
    card = _outgoing(AccessMark.DSP)
    kwargs = {
        "source": SENDER,
        "recipients": (DISTRICT,),
        "contents": {"letter.pdf": PDF},
        "signatures": (_SIGNATURE,),
        "time": pendulum.datetime(2024, 5, 6, 13, tz=MSK),
    }
    with pytest.raises(AccessDenied):
        outgoing_messages(card, sender=REGION, **kwargs)  # type: ignore[arg-type]
    allowed = evolve(REGION, dsp_electronic=True)
    letters, _ = outgoing_messages(card, sender=allowed, **kwargs)  # type: ignore[arg-type]
    content = letters[0].message.content
    assert isinstance(content, DocumentContent)
    assert content.document.classification is not None
    assert content.document.classification.value == "Для служебного пользования"
    assert content.document.is_restricted


def test_an_unsigned_or_unregistered_card_is_not_sent() -> None:
    card = _outgoing()
    common = {
        "sender": REGION,
        "source": SENDER,
        "recipients": (DISTRICT,),
        "contents": {"letter.pdf": PDF},
        "time": pendulum.datetime(2024, 5, 6, 13, tz=MSK),
    }
    with pytest.raises(MedoFormatError, match="not signed"):
        outgoing_messages(card, signatures=(), **common)  # type: ignore[arg-type]
    incoming = evolve(card, details=evolve(card.details, kind=CardKind.INTERNAL))
    with pytest.raises(StateError):
        outgoing_messages(incoming, signatures=(_SIGNATURE,), **common)  # type: ignore[arg-type]


def test_notifications_from_the_cards_later_life(tmp_path: Path) -> None:
    from edmscore.directory import Official, PersonName
    from edmscore.exchange.medo import (
        CourseChanged,
        ExecutorAssigned,
        ReportSent,
        notify_course_changed,
        notify_executor_assigned,
        notify_report_sent,
    )

    received = read_letter(_received(tmp_path)).message
    when = pendulum.datetime(2024, 3, 5, 10, tz=MSK)

    def official(id_: str, name: str, position: str) -> Official:
        return Official(id_, "district", PersonName.parse(name), position)

    assigned = notify_executor_assigned(
        received,
        organisation=DISTRICT,
        head=official("h", "Сидоров Семён Семёнович", "Глава района"),
        manager=official("m", "Орлова Ольга Олеговна", "Начальник финансового управления"),
        executor=official("e", "Котов Кирилл Кириллович", "Главный специалист"),
        source=RECIPIENT,
        time=when,
    )
    reply = evolve(_outgoing(), organisation_id="district")
    sent = notify_report_sent(
        received, reply=reply, organisation=DISTRICT, source=RECIPIENT, time=when
    )
    course = notify_course_changed(
        received, text="Подготовлен проект ответа", source=RECIPIENT, time=when
    )
    for message in (assigned, sent, course):
        data = build_message(message)
        assert schema_errors(data) == ()
        assert parse_message(data) == message
        assert isinstance(message.content, Notification)
        assert message.content.document_uid == "11111111-2222-3333-4444-555555555555"
    assert isinstance(assigned.content, Notification)
    event = assigned.content.event
    assert isinstance(event, ExecutorAssigned)
    assert event.executor.party.person is not None
    assert event.executor.party.person.value == "Котов Кирилл Кириллович"
    assert isinstance(sent.content, Notification)
    assert isinstance(sent.content.event, ReportSent)
    assert sent.content.event.report.num.number == "01-15/5"
    assert isinstance(course.content, Notification)
    assert isinstance(course.content.event, CourseChanged)
