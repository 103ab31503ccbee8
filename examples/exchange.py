"""Two ministries exchange a signed letter through MEDO, end to end.

A's minister signs an outgoing letter (approval, a GOST R 34.10-2012 certificate of a test CA),
it is registered and sent; the MEDO letter is written to a folder; B reads it, checks the
signature, sends a receipt (квитанция), registers the incoming card and notifies A; A marks its
delivery record delivered, then registered with B's number and date (delivery control), and
lists what would be overdue a week later.

Run: python examples/exchange.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pendulum

from edmscore._ids import new_id
from edmscore.approval import (
    ApprovalService,
    CmsSignatureVerifier,
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    StageSpec,
    VisaDecision,
)
from edmscore.calendar import russian_calendar
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Official, Organisation, PersonName, User
from edmscore.exchange.medo import (
    CmsVerifier,
    DocumentAccepted,
    Partner,
    build_receipt,
    read_letter,
    write_letter,
)
from edmscore.exchange.service import ExchangeService
from edmscore.records import AdminService
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.signatures import SubjectFields
from edmscore.storage import MemoryStorage
from edmscore.testing.pki import TestPki

NOW = pendulum.now("UTC")
A = Organisation(
    new_id(),
    "Министерство цифрового развития Амурской области",
    medo_id="6b3f4a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
    timezone="Asia/Yakutsk",
)
B = Organisation(
    new_id(),
    "Министерство финансов Амурской области",
    medo_id="9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    timezone="Asia/Yakutsk",
)


def setup(
    own: Organisation, people: list[str], kinds: list[CardKind]
) -> tuple[MemoryStorage, list[User], list[Journal]]:
    """A storage with both organisations, the people (with users) and one journal per kind."""
    storage, admin = MemoryStorage(), User(new_id(), "admin", own.id, None, Clearance.DSP)
    with storage.unit_of_work() as uow:
        for organisation in (A, B):
            uow.directory.put_organisation(organisation)
        uow.directory.put_user(admin)
        uow.commit()
    service = AdminService(storage, FixedClock(NOW))
    users = []
    for login, name in enumerate(people):
        official = Official(new_id(), own.id, PersonName.parse(name), "Министр")
        service.put_official(admin, official)
        users.append(User(new_id(), f"u{login}", own.id, official.id))
        service.put_user(admin, users[-1])
    journals = []
    for kind in kinds:
        journals.append(Journal(new_id(), own.id, kind.name[:3], kind.name, "{seq}", {kind}))
        service.create_journal(admin, journals[-1])
    return storage, users, journals


def main() -> None:
    """Run the exchange and print what each side sees."""
    pki = TestPki.create("gost256")
    certificate = pki.issue(
        SubjectFields(surname="Соколов", given_name="Андрей", patronymic="Викторович")
    )
    storage_a, (author, minister), (drafts, outgoing) = setup(
        A,
        ["Орлова Мария Петровна", "Соколов Андрей Викторович"],
        [CardKind.DRAFT, CardKind.OUTGOING],
    )
    storage_b, (clerk,), (incoming,) = setup(B, ["Зайцева Анна Павловна"], [CardKind.INCOMING])
    clock = FixedClock(NOW)
    verifier = CmsSignatureVerifier([pki.root.certificate])
    approval = ApprovalService(storage_a, russian_calendar(), verifier, clock)
    text = "%PDF-1.7\nО развитии сетей связи\n".encode()
    details = CardDetails(
        kind=CardKind.DRAFT,
        document_kind="Письмо",
        summary="О развитии сетей связи",
        addressees=(Correspondent(B.name, organisation_id=B.id),),
    )
    assert minister.official_id is not None
    draft = approval.create_draft(
        author,
        DraftRequest(
            drafts.id,
            details,
            CardKind.OUTGOING,
            minister.official_id,
            (DraftFile("letter.pdf", text, "application/pdf"),),
        ),
    )
    stage = StageSpec("Согласование", (ParticipantSpec(minister.official_id),))
    draft = approval.start_approval(author, draft.id, draft.version, [stage])
    draft = approval.give_visa(minister, draft.id, draft.version, VisaDecision.AGREED)
    draft = approval.sign(
        minister,
        draft.id,
        draft.version,
        text,
        pki.sign(text, certificate),
        register_in=outgoing.id,
    )
    sent = ExchangeService(storage_a, clock=clock).send_signed_draft(author, draft.id)
    (letter,) = sent.letters
    print(
        f"A: исходящий № {sent.card.number} подписан, "
        f"письмо МЭДО для {letter.destination.organization}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_letter(Path(tmp) / "to-b", letter.message, letter.files)
        exchange_b = ExchangeService(
            storage_b, verifier=CmsVerifier(trust_anchors=[pki.root.certificate]), clock=clock
        )
        arrived = read_letter(folder)
        receipt = build_receipt(
            arrived,
            source=Partner(uid=B.medo_id or "", organization=B.name),
            time=NOW,
            accepted=True,
        )
        ack = write_letter(Path(tmp) / "receipt", receipt, {})
        exchange_a = ExchangeService(storage_a, clock=clock)
        delivered = exchange_a.receipt_received(author, read_letter(ack).message)
        assert delivered is not None
        print(f"A: квитанция получена — {delivered.recipient_name}: {delivered.state.value}")
        received = exchange_b.receive(clerk, arrived, incoming.id)
        statuses = ", ".join(
            f"{c.file_name}: {c.status.value}" for c in received.incoming.signatures
        )
        print(f"B: входящий № {received.card.number} зарегистрирован; подписи — {statuses}")
        back = write_letter(Path(tmp) / "to-a", received.notification, {})
        link = ExchangeService(storage_a, clock=clock).reply_received(
            author, read_letter(back).message
        )
    assert link is not None and isinstance(link.notification.event, DocumentAccepted)
    print(
        f"A: уведомление о регистрации № {link.notification.event.num.number} "
        f"связано с исходящим № {link.card.number}"
    )
    for record in exchange_a.dispatches(author, sent.card.id):
        their = record.registration
        assert their is not None and their.date is not None
        print(
            f"A: контроль доставки — {record.recipient_name}: {record.state.value}, "
            f"попыток {len(record.attempts)}, рег. № {their.number} от {their.date:%d.%m.%Y}"
        )
    clock.advance(days=7)
    print(f"A: через неделю просрочено: {len(exchange_a.overdue(author))} (всё зарегистрировано)")


if __name__ == "__main__":
    main()
