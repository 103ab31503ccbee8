"""A MEDO 2.7.1 container letter: receive it, check every signature, register, answer in 2.7.1.

A federal ministry sends a container (passport, signed PDF, an attachment signed twice, stamp
images drawn from the edmscore.pdf marks, a signature over the container). The region reads the
letter, checks it, registers the card from the passport and answers «Зарегистрирован» in the
sender's version, with the sender's own number as ``foundation``.

Run: python examples/medo_containers.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pendulum

from edmscore import Edms, FixedClock, Organisation, User
from edmscore.exchange.medo import (
    CONTAINER_NS_271,
    CmsVerifier,
    ContainerAttachment,
    ContainerAuthor,
    ContainerReference,
    ContainerSigner,
    Destination,
    Header,
    Message,
    Notification,
    Partner,
    Passport,
    StampPosition,
    build_container,
    build_message,
    build_passport,
    check_schema,
    read_letter,
    registration_stamp_image,
    signature_stamp_image,
    write_letter,
)
from edmscore.pdf import ESignatureMark, RegistrationMark, SignatureMarkData
from edmscore.registry import CardKind, Journal
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import TestPki

MSK = "Europe/Moscow"
MINISTRY = Partner("6b3f4a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "Министерство цифрового развития")
REGION = Partner("9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "Правительство края")
UID = "0c2b5a1e-7d3f-4b8a-9e6c-1f2a3b4c5d6e"


def container(pki: TestPki) -> bytes:
    """The ministry's container: every file named by the passport, every signature real."""
    minister = pki.issue(SubjectFields(surname="Соколов", given_name="Андрей", snils="11223344595"))
    deputy = pki.issue(SubjectFields(surname="Орлова", given_name="Мария", snils="11223344596"))
    pdf, annex = b"%PDF-1.7\n% the letter\n", b"%PDF-1.7\n% the annex\n"
    date = pendulum.date(2026, 3, 2)
    mark = SignatureMarkData("0a1b2c3d", "Соколов Андрей", date, date.add(years=1))
    place = StampPosition(page=1, x=20, y=250, width=60, height=15)
    passport = Passport(
        uid=UID,
        document_name="document.pdf",
        pages=2,
        document_kind="Письмо",
        annotation="О порядке подключения к платформе",
        authors=(
            ContainerAuthor(
                organization=MINISTRY.organization,
                number="АС-12/345",
                date=date,
                registration_stamp="regStamp.png",
                stamp_position=place,
                signers=(
                    ContainerSigner(
                        "Министр",
                        "Соколов А.В.",
                        "document.p7s",
                        "Утверждающая",
                        "stamp.png",
                        place,
                    ),
                ),
            ),
        ),
        addressees=((REGION.organization, None),),
        attachments=(
            ContainerAttachment("annex.pdf", 1, "Регламент", ("annex.p7s", "annex2.p7s")),
        ),
        namespace=CONTAINER_NS_271,
        container_signature="containerSign.p7s",
    )
    files = {
        "document.pdf": pdf,
        "document.p7s": pki.sign(pdf, minister),
        "annex.pdf": annex,
        "annex.p7s": pki.sign(annex, minister),
        "annex2.p7s": pki.sign(annex, deputy),
        "regStamp.png": registration_stamp_image(RegistrationMark("АС-12/345", date)),
        "stamp.png": signature_stamp_image(ESignatureMark(mark)),
    }
    whole = pki.sign(build_passport(passport), deputy)  # over the passport (see docs/medo.md)
    return build_container(passport, files, container_signature=whole)


def main() -> None:
    pki = TestPki.create("gost256")  # stands in for an accredited CA
    clock = FixedClock(pendulum.datetime(2026, 3, 3, 9, 0, tz=MSK))
    edms = Edms(clock=clock, medo_verifier=CmsVerifier(trust_anchors=[pki.root.certificate]))
    admin = edms.setup(
        Organisation(id="region", name=REGION.organization, medo_id=REGION.uid),
        User("admin", "admin", "region"),
    )
    edms.admin.put_organisation(
        admin.id,
        Organisation(
            id="ministry",
            name=MINISTRY.organization,
            medo_id=MINISTRY.uid,
            medo_address="MINCIFRY~MEDOGU",
        ),
    )
    edms.admin.put_user(admin.id, User("clerk", "clerk", "region", roles=("registrar",)))
    journal = Journal("in", "region", "ВХ", "Входящие", "Вх-{seq}", {CardKind.INCOMING})
    edms.admin.create_journal(admin.id, journal)
    message = Message(
        header=Header(source=MINISTRY, uid=UID, created=clock.now()),
        content=ContainerReference("document.edc.zip"),
        version="2.7.1",
        destinations=(Destination(REGION),),
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_letter(
            Path(tmp) / "in",
            message,
            {"document.edc.zip": container(pki)},
            addresses=("REGION~MEDOGU",),
        )
        letter = read_letter(folder)
        draft = edms.exchange.check("clerk", letter)
        print("their number:", draft.details.sender_number, draft.details.sender_date)
        print(
            "passport schema:", None if draft.validation is None else draft.validation.status.value
        )
        for check in draft.signatures:
            print(f"signature {check.signature_name} over {check.file_name}: {check.status.value}")
        print("stamps kept:", ", ".join(draft.stamps))
        received = edms.exchange.receive("clerk", letter, journal.id)
        print(
            "registered:",
            received.card.registration.number,
            "files:",
            len(received.card.details.files),
        )
        reply = received.notification
        assert isinstance(reply.content, Notification)
        foundation = reply.content.event.foundation
        print(
            "reply version:", reply.version, "| foundation:", foundation and foundation.num.number
        )
        data = build_message(reply)
        print("reply schema:", check_schema(data).status.value, "(no 2.7.1 schema exists)")
        back = write_letter(Path(tmp) / "out", reply, {}, addresses=("MINCIFRY~MEDOGU",))
        print("reply letter:", ", ".join(sorted(p.name for p in back.iterdir())))


if __name__ == "__main__":
    main()
