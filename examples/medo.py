"""A MEDO round: receive a letter, pre-fill the incoming card, register it, notify the sender.

Run: python examples/medo.py
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pendulum

from edmscore import Edms, FixedClock, Organisation, User
from edmscore.exchange.medo import (
    Acknowledgment,
    Addressee,
    AttachedFile,
    CmsVerifier,
    Destination,
    Document,
    DocumentContent,
    DocumentNumber,
    FileGroup,
    FileType,
    Header,
    Message,
    Partner,
    Party,
    QualifiedValue,
    Signatory,
    SignedData,
    SignerInfo,
    build_message,
    build_receipt,
    check_signatures,
    read_letter,
    reply_target,
    schema_errors,
    verify_hash_codes,
    write_letter,
)
from edmscore.registry import Registration, RegistrationCard
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import TestPki

MSK = "Europe/Moscow"
REGION = Partner("a1b2c3d4-0000-1111-2222-333344445555", "Правительство края")
DISTRICT = Partner("b1b2c3d4-0000-1111-2222-333344445555", "Администрация района")


def sent_message() -> Message:
    """What the region sends: a signed letter to the district."""
    governor = Party(
        person=QualifiedValue("Петров Пётр Петрович"), post=QualifiedValue("Губернатор")
    )
    document = Document(
        uid="11111111-2222-3333-4444-555555555555",
        num=DocumentNumber("01-15/123", pendulum.date(2026, 3, 2)),
        kind=QualifiedValue("Письмо"),
        signatories=(Signatory(governor, pendulum.date(2026, 3, 2)),),
        addressees=(Addressee(Party(organization=QualifiedValue(DISTRICT.organization))),),
        pages=1,
        annotation="О подготовке к паводку",
        file_ids=(0,),
    )
    signed = SignedData(
        (SignerInfo("letter.pdf.p7s", pendulum.datetime(2026, 3, 2, 9, tz=MSK), governor),)
    )
    return Message(
        header=Header(source=REGION, uid="3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
        content=DocumentContent(
            document,
            (
                AttachedFile(
                    "letter.pdf", FileGroup.DOCUMENT_TEXT, 0, FileType.PDF, signed_data=(signed,)
                ),
            ),
        ),
        destinations=(Destination(DISTRICT),),
    )


def main() -> None:
    pdf = b"%PDF-1.7\n% the letter\n"
    pki = TestPki.create("rsa")  # stands in for an accredited CA
    governor = pki.issue(SubjectFields(surname="Петров", given_name="Пётр", snils="11223344595"))
    files = {"letter.pdf": pdf, "letter.pdf.p7s": pki.sign(pdf, governor)}
    verifier = CmsVerifier(trust_anchors=[pki.root.certificate])
    # The district's installation receives the region's letter.
    clock = FixedClock(pendulum.datetime(2026, 3, 3, 9, 0, tz=MSK))
    edms = Edms(clock=clock, medo_verifier=verifier)
    admin = edms.setup(
        Organisation(id="district", name=DISTRICT.organization, medo_id=DISTRICT.uid),
        User("admin", "admin", "district"),
    )
    edms.admin.put_organisation(
        admin.id, Organisation(id="region", name="Правительство края", medo_id=REGION.uid)
    )
    edms.admin.put_user(admin.id, User("clerk", "clerk", "district", roles=("registrar",)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_letter(
            Path(tmp) / "in",
            sent_message(),
            files,
            addresses=("GOSD_S~MEDOGU",),
            encoding="windows-1251",
        )
        print("letter:", ", ".join(sorted(p.name for p in folder.iterdir())))
        print("schema violations:", len(schema_errors((folder / "document.xml").read_bytes())))

        letter = read_letter(folder)  # hardened: no DTDs, checked names, bounded sizes, hashes
        for check in check_signatures(letter, verifier):
            print(f"signature {check.signature_name} of {check.file_name}: {check.status.value}")
        received = pendulum.date(2026, 3, 3)
        draft = edms.exchange.check("clerk", letter)  # the pre-filled card, nothing stored
        details = draft.details
        print(
            "correspondent:",
            details.correspondents[0].name,
            details.correspondents[0].organisation_id,
        )
        print("their number:", details.sender_number, details.sender_date)
        print("summary:", details.summary, "| access:", details.access.label)
        print("warnings:", draft.warnings or "none")

        now = pendulum.datetime(2026, 3, 3, 9, 15, tz=MSK)
        receipt = build_receipt(letter, source=DISTRICT, time=now, accepted=True)
        assert isinstance(receipt.content, Acknowledgment)
        checks = verify_hash_codes(receipt.content, files)
        print("receipt hash codes:", [c.status.value for c in checks])

        card = RegistrationCard(
            id="in-77",
            organisation_id="district",
            registration=Registration("in", "Вх-77", received, 2026, 77),
            details=details,
            registered_at=now,
            registered_by="clerk",
        )
        notice = draft.registered(card, source=DISTRICT, time=now)
        xml = build_message(notice)
        print("notification valid against the 2.6 schema:", schema_errors(xml) == ())
        # back at the region: link the notification to the outgoing card by document uid
        sent = sent_message().content
        assert isinstance(sent, DocumentContent)
        outgoing = {sent.document.uid.upper(): "out-card-123"}
        print("links to:", reply_target(notice, outgoing))
        print("pdf sha256:", hashlib.sha256(pdf).hexdigest()[:16], "…")


if __name__ == "__main__":
    main()
