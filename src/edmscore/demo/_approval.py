"""The approval part of ``edmscore demo``: a reply letter through two cycles to registration."""

from __future__ import annotations

from typing import TextIO

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
from edmscore.demo._signer import DemoSigner
from edmscore.directory import Official, PersonName, User
from edmscore.records import AdminService
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.storage import MemoryStorage

__all__ = ["approval_section"]


def approval_section(
    storage: MemoryStorage,
    clock: FixedClock,
    admin: User,
    minister: Official,
    lawyer: Official,
    outgoing_journal_id: str,
    case_id: str,
    out: TextIO,
) -> str:
    """Approve, sign and register a letter; print the sheet; return the registered number."""
    org_id = admin.organisation_id
    setup = AdminService(storage, clock)
    people = {
        "author": Official(
            new_id(), org_id, PersonName("Орлова", "Мария", "Петровна"), "Консультант отдела связи"
        ),
        "finance": Official(
            new_id(),
            org_id,
            PersonName("Белов", "Игорь", "Андреевич"),
            "Начальник финансового отдела",
        ),
        "dep1": Official(
            new_id(),
            org_id,
            PersonName("Зуев", "Павел", "Олегович"),
            "Заместитель министра по связи",
        ),
        "dep2": Official(
            new_id(),
            org_id,
            PersonName("Лаптева", "Ольга", "Ивановна"),
            "Заместитель министра по информатизации",
        ),
        "dep3": Official(
            new_id(),
            org_id,
            PersonName("Носов", "Артём", "Юрьевич"),
            "Заместитель министра по кадрам",
        ),
    }
    for official in people.values():
        setup.put_official(admin, official)
    people.update(lawyer=lawyer, minister=minister)
    users = {k: User(new_id(), f"demo-{k}", org_id, o.id) for k, o in people.items()}
    for user in users.values():
        setup.put_user(admin, user)
    drafts = Journal(new_id(), org_id, "ПР", "Проекты документов", "П-{seq}", {CardKind.DRAFT})
    setup.create_journal(admin, drafts)

    signer = DemoSigner(minister.name.full)  # a stand-in for the host's signing tool
    service = ApprovalService(
        storage, russian_calendar(), CertificateKeyVerifier([signer.certificate]), clock
    )
    clock.advance(minutes=30)
    v1, v2 = b"%PDF-1.7 reply v1", b"%PDF-1.7 reply v2"
    draft = service.create_draft(
        users["author"],
        DraftRequest(
            drafts.id,
            CardDetails(
                kind=CardKind.DRAFT,
                document_kind="Письмо",
                summary="О ходе перехода на отечественное программное обеспечение",
                addressees=(Correspondent("Минцифры России"),),
                case_id=case_id,
            ),
            CardKind.OUTGOING,
            minister.id,
            (DraftFile("reply.pdf", v1, "application/pdf"),),
        ),
    )
    experts = StageSpec(
        "Экспертиза",
        (ParticipantSpec(lawyer.id), ParticipantSpec(people["finance"].id)),
        StageMode.PARALLEL,
    )
    draft = service.start_approval(users["author"], draft.id, draft.version, [experts])
    clock.advance(hours=1)
    draft = service.give_visa(users["finance"], draft.id, draft.version, VisaDecision.AGREED)
    draft = service.give_visa(
        users["lawyer"],
        draft.id,
        draft.version,
        VisaDecision.NOT_AGREED,
        "Сослаться на поручение Правительства",
    )
    clock.advance(hours=1)
    draft = service.add_version(
        users["author"], draft.id, draft.version, [DraftFile("reply.pdf", v2, "application/pdf")]
    )
    deputies = StageSpec(
        "Заместители министра",
        tuple(ParticipantSpec(people[k].id) for k in ("dep1", "dep2", "dep3")),
        StageMode.PARALLEL,
        quorum=2,
    )
    draft = service.start_approval(users["author"], draft.id, draft.version, [experts, deputies])
    for key in ("lawyer", "finance", "dep2", "dep3"):
        clock.advance(minutes=20)
        draft = service.give_visa(users[key], draft.id, draft.version, VisaDecision.AGREED)
    clock.advance(minutes=30)
    draft = service.sign(
        users["minister"],
        draft.id,
        draft.version,
        v2,
        signer.sign(v2),
        register_in=outgoing_journal_id,
    )
    sheet = service.sheet(users["author"], draft.id)
    out.write(f"\nЛист согласования проекта № {sheet.draft_number}: {sheet.document}\n")
    for cycle in sheet.cycles:
        out.write(f"  {cycle.heading}\n")
        for row in cycle.rows:
            when = row.at.format("DD.MM.YYYY HH:mm") if row.at else ""
            out.write(
                f"    {row.number}. {row.participant} — {row.decision} {when}\n".rstrip() + "\n"
            )
    from edmscore.records import RecordsService

    card = RecordsService(storage, clock).get(users["author"], str(draft.registered_card_id))
    out.write(f"Подписанный проект зарегистрирован: исходящий № {card.number}\n")
    return card.number
