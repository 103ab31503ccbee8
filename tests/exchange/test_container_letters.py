"""2.7 / 2.7.1 container letters through the same use cases as 2.x document letters.

A federal body sends a container (passport, PDF signed by the minister, two attachments each
signed twice — as real 2.7 letters are —, stamp images, a signature over the whole container);
the region receives it: the card is filled from the passport, every signature is verified with
edmscore's CMS verifier (GOST R 34.10-2012 test CA) and kept with the card, the stamp images
too; the «Зарегистрирован» goes back in the sender's version with ``foundation``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import attrs
import pendulum
import pytest
from lxml import etree

from edmscore.control import ControlService, ItemRequest, ResolutionRequest
from edmscore.exchange.medo import (
    CONTAINER_NS_27,
    CONTAINER_NS_271,
    IEDMS_NS,
    MESSAGE_NS_271,
    CmsVerifier,
    ContainerAttachment,
    ContainerAuthor,
    ContainerReference,
    ContainerSigner,
    Destination,
    DocumentAccepted,
    ExecutorAssigned,
    Header,
    Message,
    Notification,
    Partner,
    Passport,
    SchemaStatus,
    SignatureStatus,
    StampPosition,
    build_container,
    build_message,
    build_passport,
    check_schema,
    check_signatures,
    incoming_draft,
    parse_message,
    read_letter,
    write_letter,
)
from edmscore.records import CardSignatures, SignatureOrigin
from edmscore.registry import AccessMark, CardKind
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import Identity, TestPki
from tests._adapters import StorageFactory

from .test_service import A_MEDO, A_ORG, B_ORG, _b_side

PDF = b"%PDF-1.7\n" + "Об исполнении поручения\n".encode() * 200
ANNEX_1 = b"%PDF-1.7\nannex one\n" * 50
ANNEX_2 = "Пояснительная записка".encode() * 40  # a docx in real letters; any bytes here
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FEDERAL = Partner(uid=A_MEDO, organization=A_ORG.name)
UID = "0c2b5a1e-7d3f-4b8a-9e6c-1f2a3b4c5d6e"
WHEN = pendulum.datetime(2024, 4, 2, 12, 0, tz="Europe/Moscow")


@pytest.fixture(scope="module")
def pki() -> TestPki:
    """A GOST R 34.10-2012 (256) test CA the receiver trusts."""
    return TestPki.create("gost256")


@pytest.fixture(scope="module")
def minister(pki: TestPki) -> Identity:
    return pki.issue(SubjectFields(surname="Соколов", given_name="Андрей", snils="11223344595"))


@pytest.fixture(scope="module")
def clerk(pki: TestPki) -> Identity:
    return pki.issue(SubjectFields(surname="Орлова", given_name="Мария", snils="11223344596"))


def _passport(namespace: str, mark: str | None = "ДСП") -> Passport:
    return Passport(
        uid=UID,
        document_name="document.pdf",
        pages=3,
        document_kind="Письмо",
        annotation="Об исполнении поручения Правительства",
        classification=mark,
        authors=(
            ContainerAuthor(
                organization=A_ORG.name,
                number="АС-12/345",
                date=pendulum.date(2024, 4, 1),
                registration_stamp="regStamp.png",
                stamp_position=StampPosition(page=1, x=20, y=30, width=60, height=15),
                signers=(
                    ContainerSigner(
                        post="Министр",
                        name="Соколов А.В.",
                        signature="document.pdf.p7s",
                        stamp="stamp.png",
                        stamp_position=StampPosition(page=3, x=100, y=200, width=90, height=30),
                    ),
                ),
            ),
        ),
        addressees=((B_ORG.name, None),),
        attachments=(
            ContainerAttachment("annex1.pdf", 1, "Расчёт", ("annex1.p7s", "annex1_2.p7s")),
            ContainerAttachment("annex2.docx", 2, "Записка", ("annex2.p7s", "annex2_2.p7s")),
        ),
        namespace=namespace,
    )


def _container(
    pki: TestPki, minister: Identity, clerk: Identity, namespace: str, mark: str | None = "ДСП"
) -> bytes:
    passport = _passport(namespace, mark)
    files = {
        "document.pdf": PDF,
        "document.pdf.p7s": pki.sign(PDF, minister),
        "regStamp.png": PNG,
        "stamp.png": PNG + b"2",
        "annex1.pdf": ANNEX_1,
        "annex1.p7s": pki.sign(ANNEX_1, minister),
        "annex1_2.p7s": pki.sign(ANNEX_1, clerk),
        "annex2.docx": ANNEX_2,
        "annex2.p7s": pki.sign(ANNEX_2, minister),
        "annex2_2.p7s": pki.sign(ANNEX_2, clerk),
    }
    whole = pki.sign(
        build_passport(attrs.evolve(passport, container_signature="containerSign.p7s")), clerk
    )
    return build_container(passport, files, container_signature=whole)


def _letter(folder: Path, container: bytes, version: str) -> Path:
    message = Message(
        header=Header(source=FEDERAL, uid=UID, created=WHEN),
        content=ContainerReference(body="document.edc.zip"),
        version=version,
        destinations=(
            Destination(
                partner=Partner(uid=(B_ORG.medo_id or "").strip("{}"), organization=B_ORG.name)
            ),
        ),
    )
    return write_letter(folder, message, {"document.edc.zip": container}, addresses=("B~MEDOGU",))


@pytest.mark.parametrize(
    ("version", "namespace"), [("2.7", CONTAINER_NS_27), ("2.7.1", CONTAINER_NS_271)]
)
def test_a_container_letter_fills_the_card_and_checks_every_signature(
    pki: TestPki, minister: Identity, clerk: Identity, tmp_path: Path, version: str, namespace: str
) -> None:
    folder = _letter(tmp_path / "in", _container(pki, minister, clerk, namespace), version)
    letter = read_letter(folder)
    verifier = CmsVerifier(trust_anchors=[pki.root.certificate])
    draft = incoming_draft(
        letter,
        directory=_Directory(),
        received_on=pendulum.date(2024, 4, 2),
        verifier=verifier,
    )
    details = draft.details
    assert details.sender_number == "АС-12/345"
    assert details.sender_date == pendulum.date(2024, 4, 1)
    assert details.document_kind == "Письмо"
    assert details.summary == "Об исполнении поручения Правительства"
    assert details.sheets == 3
    assert details.access is AccessMark.DSP
    assert details.correspondents[0].organisation_id == A_ORG.id
    assert [s.name for s in details.signatories] == ["Соколов А.В."]
    assert [e.title for e in details.enclosures] == ["Расчёт", "Записка"]
    assert draft.document_uid == UID
    statuses = {(c.file_name, c.signature_name): c.status for c in draft.signatures}
    assert statuses == {
        ("document.pdf", "document.pdf.p7s"): SignatureStatus.VALID,
        ("annex1.pdf", "annex1.p7s"): SignatureStatus.VALID,
        ("annex1.pdf", "annex1_2.p7s"): SignatureStatus.VALID,
        ("annex2.docx", "annex2.p7s"): SignatureStatus.VALID,
        ("annex2.docx", "annex2_2.p7s"): SignatureStatus.VALID,
        ("passport.xml", "containerSign.p7s"): SignatureStatus.VALID,
    }
    names = {f.name for f in details.files}
    assert {"regStamp.png", "stamp.png", "annex1_2.p7s", "containerSign.p7s"} <= names
    assert set(draft.stamps) == {"regStamp.png", "stamp.png"}
    assert not [w for w in draft.warnings if "лишний" in w or "отсутствует" in w]
    assert draft.validation is not None
    expected = SchemaStatus.VALID if version == "2.7" else SchemaStatus.NOT_VALIDATED
    assert draft.validation.status is expected, draft.validation.errors
    # the same checks through the letter-level function
    assert check_signatures(letter, verifier) == draft.signatures


def test_a_tampered_attachment_fails_only_its_own_signatures(
    pki: TestPki, minister: Identity, clerk: Identity, tmp_path: Path
) -> None:
    data = _container(pki, minister, clerk, CONTAINER_NS_271)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(
                info.filename, content + b"!" if info.filename == "annex1.pdf" else content
            )
    letter = read_letter(_letter(tmp_path / "in", out.getvalue(), "2.7.1"))
    verifier = CmsVerifier(trust_anchors=[pki.root.certificate])
    checks = {c.signature_name: c.status for c in check_signatures(letter, verifier)}
    assert checks["annex1.p7s"] is SignatureStatus.INVALID
    assert checks["annex1_2.p7s"] is SignatureStatus.INVALID
    assert checks["annex2_2.p7s"] is SignatureStatus.VALID
    assert checks["document.pdf.p7s"] is SignatureStatus.VALID


@pytest.mark.parametrize(
    ("version", "namespace"), [("2.7", CONTAINER_NS_27), ("2.7.1", CONTAINER_NS_271)]
)
def test_received_through_the_service_and_answered_in_the_senders_version(
    pki: TestPki,
    minister: Identity,
    clerk: Identity,
    tmp_path: Path,
    new_storage: StorageFactory,
    version: str,
    namespace: str,
) -> None:
    b = _b_side(pki, new_storage())  # B keeps ДСП on paper: an open letter here
    folder = _letter(tmp_path / "in", _container(pki, minister, clerk, namespace, None), version)
    received = b.exchange.receive(
        b.users["clerk"], read_letter(folder), b.journals[CardKind.INCOMING].id
    )
    card = received.card
    assert card.kind is CardKind.INCOMING
    assert card.details.sender_number == "АС-12/345"
    assert card.details.access is AccessMark.OPEN
    kept = b.records.read_file(b.users["clerk"], card.id, "annex2_2.p7s")
    assert (
        CmsVerifier(trust_anchors=[pki.root.certificate]).verify_detached(ANNEX_2, kept)
        is SignatureStatus.VALID
    )
    assert b.records.read_file(b.users["clerk"], card.id, "document.pdf") == PDF
    assert b.records.read_file(b.users["clerk"], card.id, "stamp.png") == PNG + b"2"
    assert all(c.status is SignatureStatus.VALID for c in received.incoming.signatures)
    # every signature's details and verdict are kept on the card (its items 18-19)
    records = CardSignatures(b.storage, b.clock).signatures(b.users["clerk"], card.id)
    assert sorted(r.file_name or "" for r in records) == sorted(
        c.signature_name for c in received.incoming.signatures
    )
    assert {r.origin for r in records} == {SignatureOrigin.MEDO}
    assert {r.verdict for r in records} == {"valid"}
    assert all(r.signer and r.certificate_serial for r in records)
    reply = received.notification
    assert isinstance(reply.content, Notification)
    assert reply.content.document_uid == UID
    assert isinstance(reply.content.event, DocumentAccepted)
    foundation = reply.content.event.foundation
    assert foundation is not None and foundation.num.number == "АС-12/345"
    data = build_message(reply)
    root = etree.fromstring(data)
    if version == "2.7":
        assert reply.version == "2.6" and root.nsmap["xdms"] == IEDMS_NS
        assert check_schema(data).status is SchemaStatus.VALID
    else:
        assert reply.version == "2.7.1" and etree.QName(root).namespace == MESSAGE_NS_271
        assert data.lower().startswith(b"<?xml version='1.0' encoding='utf-8'?>")
        assert _valid_as_26(data), "a 2.7.1 notification has the 2.x notification's shape"
    again = parse_message(data)
    assert again == reply

    # «назначен исполнитель» later, from the card: the passport kept with it gives the document
    control = ControlService(b.storage, b.clock)
    due = b.clock.now().date().add(days=14)
    resolution = control.impose(
        b.users["head"],
        ResolutionRequest(
            card.id,
            b.officials["head"].id,
            "Подготовить ответ",
            (ItemRequest(b.officials["executor"].id, "Подготовить ответ", due),),
        ),
    )
    assignment = control.get(b.users["head"], resolution.item_ids[0])
    assigned = b.exchange.executor_assigned(b.users["head"], card.id, assignment)
    assert assigned.version == reply.version
    assert isinstance(assigned.content, Notification)
    assert assigned.content.document_uid == UID
    assert isinstance(assigned.content.event, ExecutorAssigned)


def _valid_as_26(data: bytes) -> bool:
    """The 2.7.1 message's shape checked with the 2.6 schema, its namespace renamed."""
    text = data.replace(MESSAGE_NS_271.encode(), IEDMS_NS.encode()).replace(b"2.7.1", b"2.6")
    return check_schema(text).status is SchemaStatus.VALID


class _Directory:
    def organisation_by_medo_id(self, medo_id: str):  # type: ignore[no-untyped-def]
        return A_ORG if medo_id.lower() == A_MEDO.lower() else None
