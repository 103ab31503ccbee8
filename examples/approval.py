"""Approval of an outgoing letter: two cycles, a refusal, a 2-of-3 quorum, signing, registration.

Run: ``python examples/approval.py``. Everything lives in the embedded in-memory storage of one
``Edms`` installation; the minister's detached CMS signature is made with a certificate of the
test CA (a host hands in the bytes its signing tool produced) and checked against the CA's root
through the installation's signature verifier.
"""

from __future__ import annotations

import io
import pathlib
import tempfile

import pendulum
from pypdf import PdfReader

from edmscore import Edms, FixedClock, Official, Organisation, PersonName, User
from edmscore.approval import (
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    StageMode,
    StageSpec,
    VisaDecision,
)
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import TestPki


def main() -> None:
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk"))
    # The test CA stands in for an accredited CA: a host trusts the real CA's root certificate.
    pki = TestPki.create("gost256", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    minister_certificate = pki.issue(
        SubjectFields(
            common_name="Соколов Андрей Викторович",
            surname="Соколов",
            given_name="Андрей",
            patronymic="Викторович",
        ),
        not_before=pendulum.datetime(2025, 6, 1, tz="UTC"),
        not_after=pendulum.datetime(2027, 6, 1, tz="UTC"),
    )
    edms = Edms(clock=clock, trust_anchors=[pki.root.certificate])
    org = Organisation(
        "mcr",
        "Министерство цифрового развития Амурской области",
        short_name="Минцифры",
        timezone="Asia/Yakutsk",
    )
    admin = edms.setup(org, User("admin", "admin", org.id))
    # The author prepares the draft, the approvers put visas (executor: prepare_draft, approve);
    # the minister signs and, in the same step, registers the signed letter (head and registrar).
    people = {
        key: Official(key, org.id, PersonName.parse(name), position)
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
    roles = {"minister": ("head", "registrar")}
    users = {
        key: User(f"u-{key}", key, org.id, o.id, roles=roles.get(key, ("executor",)))
        for key, o in people.items()
    }
    for official in people.values():
        edms.admin.put_official(admin.id, official)
    for user in users.values():
        edms.admin.put_user(admin.id, user)
    drafts = Journal("pr", org.id, "ПР", "Проекты документов", "П-{seq}", {CardKind.DRAFT})
    outgoing = Journal("out", org.id, "ИСХ", "Исходящие", "{seq}-исх", {CardKind.OUTGOING})
    edms.admin.create_journal(admin.id, drafts)
    edms.admin.create_journal(admin.id, outgoing)
    service = edms.approval
    ids = {key: user.id for key, user in users.items()}

    letter_v1 = b"%PDF-1.7 ... the letter, first version ..."
    draft = service.create_draft(
        ids["author"],
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
    draft = service.start_approval(ids["author"], draft.id, draft.version, [two])
    clock.advance(hours=3)
    draft = service.give_visa(ids["finance"], draft.id, draft.version, VisaDecision.AGREED)
    clock.advance(hours=1)
    draft = service.give_visa(
        ids["lawyer"],
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
        ids["author"],
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
    draft = service.start_approval(ids["author"], draft.id, draft.version, [two, quorum])
    for key in ("lawyer", "finance"):
        clock.advance(hours=1)
        draft = service.give_visa(ids[key], draft.id, draft.version, VisaDecision.AGREED)
    clock.advance(hours=2)
    draft = service.give_visa(
        ids["dep1"],
        draft.id,
        draft.version,
        VisaDecision.AGREED_WITH_REMARKS,
        remark="Согласен, поправить опечатку в приложении",
    )
    clock.advance(hours=1)
    draft = service.give_visa(ids["dep3"], draft.id, draft.version, VisaDecision.AGREED)
    print(f"Цикл 2: кворум 2 из 3 набран; состояние «{draft.state.label}»")

    # Signing: the host obtained a detached signature over the approved version.
    clock.advance(hours=2)
    draft = service.sign(
        ids["minister"],
        draft.id,
        draft.version,
        letter_v2,
        pki.sign(letter_v2, minister_certificate, signing_time=clock.now()),
        register_in=outgoing.id,
    )
    print(f"Подписан и зарегистрирован; состояние «{draft.state.label}»")

    card = edms.records.get(ids["author"], str(draft.registered_card_id))
    print(
        f"Исходящий № {card.number} от {card.registration.date.format('DD.MM.YYYY')}, "
        f"файлы: {', '.join(f.name for f in card.details.files)}"
    )

    sheet = service.sheet(ids["author"], draft.id)
    for cycle in sheet.cycles:
        print(cycle.heading)
        for row in cycle.rows:
            when = row.at.format("DD.MM.YYYY HH:mm") if row.at else ""
            remark = f" — {row.remarks.splitlines()[0]}" if row.remarks else ""
            print(f"  {row.number}. {row.participant}: {row.decision} {when}{remark}")
    pdf = service.sheet_pdf(ids["author"], draft.id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "ЛИСТ СОГЛАСОВАНИЯ" in text and "Не согласовано" in text
    out = pathlib.Path(tempfile.gettempdir()) / "approval-sheet.pdf"
    out.write_bytes(pdf)
    print(f"Лист согласования: {len(pdf)} байт, {out}")


if __name__ == "__main__":
    main()
