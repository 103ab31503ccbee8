"""Approval of an outgoing letter: two cycles, a refusal, a 2-of-3 quorum, signing, registration.

Run: ``python examples/approval.py``. Everything lives in the embedded in-memory storage; the
signature is a raw ECDSA signature made by a throw-away signer (a host hands in the bytes its
signing tool produced) and checked by CertificateKeyVerifier through the verifier port.
"""

from __future__ import annotations

import io
import pathlib
import tempfile

import pendulum
from pypdf import PdfReader

from edmscore._ids import new_id
from edmscore.approval import (
    ApprovalService,
    CertificateKeyVerifier,
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    StageMode,
    StageSpec,
    VisaDecision,
)
from edmscore.calendar import russian_calendar
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Official, Organisation, PersonName, User
from edmscore.records import AdminService
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.storage import MemoryStorage
from edmscore.testing import RawSigner


def main() -> None:
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk"))
    storage = MemoryStorage()
    org = Organisation(
        new_id(),
        "Министерство цифрового развития Амурской области",
        short_name="Минцифры",
        timezone="Asia/Yakutsk",
    )
    people = {
        key: Official(new_id(), org.id, PersonName.parse(name), position)
        for key, name, position in (
            ("author", "Орлова Мария Петровна", "Консультант отдела связи"),
            ("lawyer", "Ким Елена Сергеевна", "Начальник правового отдела"),
            ("finance", "Белов Игорь Андреевич", "Начальник финансового отдела"),
            ("dep1", "Зуев Павел Олегович", "Заместитель министра по связи"),
            ("dep2", "Лаптева Ольга Ивановна", "Заместитель министра по информатизации"),
            ("dep3", "Носов Артём Юрьевич", "Заместитель министра по кадрам"),
            ("minister", "Соколов Андрей Викторович", "Министр"),
        )
    }
    users = {key: User(new_id(), key, org.id, o.id, Clearance.NONE) for key, o in people.items()}
    admin = User(new_id(), "admin", org.id)
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(org)
        uow.directory.put_user(admin)
        uow.commit()
    setup = AdminService(storage, clock)
    for official in people.values():
        setup.put_official(admin, official)
    for user in users.values():
        setup.put_user(admin, user)
    drafts = Journal(new_id(), org.id, "ПР", "Проекты документов", "П-{seq}", {CardKind.DRAFT})
    outgoing = Journal(new_id(), org.id, "ИСХ", "Исходящие", "{seq}-исх", {CardKind.OUTGOING})
    setup.create_journal(admin, drafts)
    setup.create_journal(admin, outgoing)

    signer = RawSigner("Соколов Андрей Викторович")
    service = ApprovalService(
        storage, russian_calendar(), CertificateKeyVerifier([signer.certificate]), clock
    )

    letter_v1 = b"%PDF-1.7 ... the letter, first version ..."
    draft = service.create_draft(
        users["author"],
        DraftRequest(
            journal_id=drafts.id,
            details=CardDetails(
                kind=CardKind.DRAFT,
                document_kind="Письмо",
                summary="О развитии сетей связи в сельских населённых пунктах",
                addressees=(Correspondent("Министерство цифрового развития Российской Федерации"),),
            ),
            target_kind=CardKind.OUTGOING,
            signatory_id=people["minister"].id,
            files=(DraftFile("letter.pdf", letter_v1, "application/pdf"),),
        ),
    )
    print(f"Проект создан: {draft.id[:8]}…, версия 1, состояние «{draft.state.label}»")

    # Cycle 1: two approvers in parallel; the lawyer refuses with a remark.
    two = StageSpec(
        "Правовая и финансовая экспертиза",
        (ParticipantSpec(people["lawyer"].id), ParticipantSpec(people["finance"].id)),
        StageMode.PARALLEL,
        term_days=2,
    )
    draft = service.start_approval(users["author"], draft.id, draft.version, [two])
    clock.advance(hours=3)
    draft = service.give_visa(users["finance"], draft.id, draft.version, VisaDecision.AGREED)
    clock.advance(hours=1)
    draft = service.give_visa(
        users["lawyer"],
        draft.id,
        draft.version,
        VisaDecision.NOT_AGREED,
        remark="Нет ссылки на поручение Правительства; уточнить сроки",
        files=(DraftFile("remarks.txt", "Замечания к п. 2".encode()),),
    )
    print(f"Цикл 1: {draft.cycles[0].outcome.label}; состояние «{draft.state.label}»")

    # A second version starts a second cycle; stage 2 is a 2-of-3 quorum of deputies.
    clock.advance(days=1)
    letter_v2 = b"%PDF-1.7 ... the letter, second version ..."
    draft = service.add_version(
        users["author"],
        draft.id,
        draft.version,
        [DraftFile("letter.pdf", letter_v2, "application/pdf")],
        "Учтены замечания",
    )
    quorum = StageSpec(
        "Заместители министра",
        tuple(ParticipantSpec(people[k].id) for k in ("dep1", "dep2", "dep3")),
        StageMode.PARALLEL,
        quorum=2,
    )
    draft = service.start_approval(users["author"], draft.id, draft.version, [two, quorum])
    for key in ("lawyer", "finance"):
        clock.advance(hours=1)
        draft = service.give_visa(users[key], draft.id, draft.version, VisaDecision.AGREED)
    clock.advance(hours=2)
    draft = service.give_visa(
        users["dep1"],
        draft.id,
        draft.version,
        VisaDecision.AGREED_WITH_REMARKS,
        remark="Согласен, поправить опечатку в приложении",
    )
    clock.advance(hours=1)
    draft = service.give_visa(users["dep3"], draft.id, draft.version, VisaDecision.AGREED)
    print(f"Цикл 2: кворум 2 из 3 набран; состояние «{draft.state.label}»")

    # Signing: the host obtained a detached signature over the approved version.
    clock.advance(hours=2)
    draft = service.sign(
        users["minister"],
        draft.id,
        draft.version,
        letter_v2,
        signer.sign(letter_v2),
        register_in=outgoing.id,
    )
    print(f"Подписан и зарегистрирован; состояние «{draft.state.label}»")

    from edmscore.records import RecordsService

    card = RecordsService(storage, clock).get(users["author"], str(draft.registered_card_id))
    print(
        f"Исходящий № {card.number} от {card.registration.date.format('DD.MM.YYYY')}, "
        f"файлы: {', '.join(f.name for f in card.details.files)}"
    )

    sheet = service.sheet(users["author"], draft.id)
    for cycle in sheet.cycles:
        print(cycle.heading)
        for row in cycle.rows:
            when = row.at.format("DD.MM.YYYY HH:mm") if row.at else ""
            remark = f" — {row.remarks.splitlines()[0]}" if row.remarks else ""
            print(f"  {row.number}. {row.participant}: {row.decision} {when}{remark}")
    pdf = service.sheet_pdf(users["author"], draft.id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "ЛИСТ СОГЛАСОВАНИЯ" in text and "Не согласовано" in text
    out = pathlib.Path(tempfile.gettempdir()) / "approval-sheet.pdf"
    out.write_bytes(pdf)
    print(f"Лист согласования: {len(pdf)} байт, {out}")


if __name__ == "__main__":
    main()
