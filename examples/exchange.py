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

from edmscore import Edms, FixedClock, Official, Organisation, PersonName, User
from edmscore.approval import (
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    StageSpec,
    VisaDecision,
)
from edmscore.exchange.medo import (
    CmsVerifier,
    DocumentAccepted,
    Partner,
    build_receipt,
    read_letter,
    write_letter,
)
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import TestPki

NOW = pendulum.now("UTC")
A = Organisation(
    "minsvyaz",
    "Министерство цифрового развития Амурской области",
    medo_id="6b3f4a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
    timezone="Asia/Yakutsk",
)
B = Organisation(
    "minfin",
    "Министерство финансов Амурской области",
    medo_id="9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    timezone="Asia/Yakutsk",
)


def setup(
    edms: Edms, own: Organisation, people: list[tuple[str, tuple[str, ...]]], kinds: list[CardKind]
) -> tuple[list[User], list[Journal]]:
    """Set up one ministry's installation: its organisation and administrator, the partner
    organisation (for MEDO addresses), the people (officials with users of the given roles) and
    one journal per kind. Returns the users and the journals."""
    admin = edms.setup(own, User(f"{own.id}-admin", "admin", own.id))
    for partner in (A, B):
        if partner is not own:
            edms.admin.put_organisation(admin.id, partner)
    users = []
    for login, (name, roles) in enumerate(people):
        official = Official(f"{own.id}-o{login}", own.id, PersonName.parse(name), "Министр")
        edms.admin.put_official(admin.id, official)
        user = User(f"{own.id}-u{login}", f"u{login}", own.id, official.id, roles=roles)
        edms.admin.put_user(admin.id, user)
        users.append(user)
    journals = []
    for kind in kinds:
        code = kind.name[:3]
        journals.append(Journal(f"{own.id}-{code}", own.id, code, kind.name, "{seq}", {kind}))
        edms.admin.create_journal(admin.id, journals[-1])
    return users, journals


def main() -> None:
    """Run the exchange and print what each side sees."""
    # The test CA stands in for an accredited CA: each ministry trusts the real CA's root.
    pki = TestPki.create("gost256")
    certificate = pki.issue(
        SubjectFields(surname="Соколов", given_name="Андрей", patronymic="Викторович")
    )
    clock = FixedClock(NOW)
    # One installation per ministry, as two separate systems on either side of MEDO.
    edms_a = Edms(clock=clock, trust_anchors=[pki.root.certificate])
    edms_b = Edms(clock=clock, medo_verifier=CmsVerifier(trust_anchors=[pki.root.certificate]))
    # A's author prepares and sends (registrar); the minister approves, signs and registers the
    # signed letter in the same step (head and registrar); B's clerk receives (registrar).
    (author, minister), (drafts, outgoing) = setup(
        edms_a,
        A,
        [
            ("Орлова Мария Петровна", ("registrar",)),
            ("Соколов Андрей Викторович", ("head", "registrar")),
        ],
        [CardKind.DRAFT, CardKind.OUTGOING],
    )
    (clerk,), (incoming,) = setup(
        edms_b, B, [("Зайцева Анна Павловна", ("registrar",))], [CardKind.INCOMING]
    )
    approval, exchange_a = edms_a.approval, edms_a.exchange
    text = "%PDF-1.7\nО развитии сетей связи\n".encode()
    details = CardDetails(
        kind=CardKind.DRAFT,
        document_kind="Письмо",
        summary="О развитии сетей связи",
        addressees=(Correspondent(B.name, organisation_id=B.id),),
    )
    assert minister.official_id is not None
    draft = approval.create_draft(
        author.id,
        DraftRequest(
            drafts.id,
            details,
            CardKind.OUTGOING,
            minister.official_id,
            (DraftFile("letter.pdf", text, "application/pdf"),),
        ),
    )
    stage = StageSpec("Согласование", (ParticipantSpec(minister.official_id),))
    draft = approval.start_approval(author.id, draft.id, draft.version, [stage])
    draft = approval.give_visa(minister.id, draft.id, draft.version, VisaDecision.AGREED)
    draft = approval.sign(
        minister.id,
        draft.id,
        draft.version,
        text,
        pki.sign(text, certificate),
        register_in=outgoing.id,
    )
    sent = exchange_a.send_signed_draft(author.id, draft.id)
    (letter,) = sent.letters
    print(
        f"A: исходящий № {sent.card.number} подписан, "
        f"письмо МЭДО для {letter.destination.organization}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_letter(
            Path(tmp) / "to-b", letter.message, letter.files, addresses=("MINB~MEDOGU",)
        )
        arrived = read_letter(folder)
        receipt = build_receipt(
            arrived,
            source=Partner(uid=B.medo_id or "", organization=B.name),
            time=NOW,
            accepted=True,
        )
        ack = write_letter(Path(tmp) / "receipt", receipt, {}, addresses=("MINA~MEDOGU",))
        delivered = exchange_a.receipt_received(author.id, read_letter(ack).message)
        assert delivered is not None
        print(f"A: квитанция получена — {delivered.recipient_name}: {delivered.state.value}")
        received = edms_b.exchange.receive(clerk.id, arrived, incoming.id)
        statuses = ", ".join(
            f"{c.file_name}: {c.status.value}" for c in received.incoming.signatures
        )
        print(f"B: входящий № {received.card.number} зарегистрирован; подписи — {statuses}")
        back = write_letter(
            Path(tmp) / "to-a", received.notification, {}, addresses=("MINA~MEDOGU",)
        )
        link = exchange_a.reply_received(author.id, read_letter(back).message)
    assert link is not None and isinstance(link.notification.event, DocumentAccepted)
    print(
        f"A: уведомление о регистрации № {link.notification.event.num.number} "
        f"связано с исходящим № {link.card.number}"
    )
    for record in exchange_a.dispatches(author.id, sent.card.id):
        their = record.registration
        assert their is not None and their.date is not None
        print(
            f"A: контроль доставки — {record.recipient_name}: {record.state.value}, "
            f"попыток {len(record.attempts)}, рег. № {their.number} от {their.date:%d.%m.%Y}"
        )
    clock.advance(days=7)
    print(
        f"A: через неделю просрочено: {len(exchange_a.overdue(author.id))} (всё зарегистрировано)"
    )


if __name__ == "__main__":
    main()
