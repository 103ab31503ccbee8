"""A registered, signed outgoing card → one MEDO message per addressee with a MEDO id."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

import pendulum
from attrs import frozen

from edmscore.directory import Organisation
from edmscore.errors import AccessDenied, MedoFormatError, StateError
from edmscore.exchange.medo._checks import GUID_RE
from edmscore.exchange.medo._document import AttachedFile, Document, SignedData, SignerInfo
from edmscore.exchange.medo._document import Enclosure as MedoEnclosure
from edmscore.exchange.medo._enums import FileGroup, FileType
from edmscore.exchange.medo._message import Destination, DocumentContent, Header, Message
from edmscore.exchange.medo._parties import (
    Addressee,
    DocumentNumber,
    Partner,
    Party,
    QualifiedValue,
    Signatory,
)
from edmscore.registry import AccessMark, CardKind, CardStatus, RegistrationCard

__all__ = ["DetachedSignature", "OutgoingLetter", "document_uid_for", "outgoing_messages"]

#: The namespace of the deterministic uids edmscore gives its documents and messages.
_UID_NAMESPACE = uuid.UUID("6f1d7a52-6c1c-4a55-9a57-2f3c0e4b7d11")
_DSP_MARK = "Для служебного пользования"


@frozen
class DetachedSignature:
    """A detached CMS signature of one of the card's files, and who made it when."""

    file_name: str
    signature_name: str
    content: bytes
    signer_name: str
    signer_post: str
    signed_at: pendulum.DateTime


@frozen
class OutgoingLetter:
    """What goes to one addressee: the participant, the message and the files to put beside it.

    ``address`` is the addressee's MEDO mailbox address from the directory (``None`` when the
    directory has none: such a letter cannot be written, see :func:`write_letter`).
    """

    destination: Partner
    message: Message
    files: Mapping[str, bytes]
    address: str | None = None


def document_uid_for(card: RegistrationCard) -> str:
    """The MEDO ``document/@uid`` of a card: stable, so replies can be matched to the card."""
    return str(uuid.uuid5(_UID_NAMESPACE, f"{card.organisation_id}/{card.id}"))


def _file_type(name: str) -> FileType | None:
    ext = name.rpartition(".")[2].lower()
    return {"tiff": FileType.TIF}.get(ext) or next((t for t in FileType if t.value == ext), None)


def outgoing_messages(
    card: RegistrationCard,
    *,
    sender: Organisation,
    source: Partner,
    recipients: Sequence[Organisation],
    contents: Mapping[str, bytes],
    signatures: Sequence[DetachedSignature],
    time: pendulum.DateTime,
    attempt: int = 1,
) -> tuple[tuple[OutgoingLetter, ...], tuple[str, ...]]:
    """Build the letters of a registered, signed outgoing card.

    ``recipients`` are the directory entries of the card's addressees; those without a MEDO id
    are returned by name as the second item (they need another delivery method). ``contents``
    holds the bytes of the card's files; the first file is the document text and must be signed.
    A ДСП card is sent only when ``sender.dsp_electronic`` allows electronic handling, and always
    carries the mark in ``classification``.
    """
    details = card.details
    if card.kind is not CardKind.OUTGOING or card.status is not CardStatus.REGISTERED:
        raise StateError("only a registered outgoing card can be sent through MEDO")
    if details.access is AccessMark.DSP and not sender.dsp_electronic:
        raise AccessDenied(
            f"card {card.id}: the organisation's ДСП policy does not allow electronic sending"
        )
    if not details.files:
        raise MedoFormatError("files", f"card {card.id} has no files to send")
    by_file: dict[str, list[DetachedSignature]] = {}
    for signature in signatures:
        by_file.setdefault(signature.file_name, []).append(signature)
    main = details.files[0].name
    if not by_file.get(main):
        raise MedoFormatError("signedData", f"the document text {main!r} is not signed")
    files: list[AttachedFile] = []
    payload: dict[str, bytes] = {}
    for index, ref in enumerate(details.files):
        if ref.name not in contents:
            raise MedoFormatError("files", f"no content given for {ref.name!r}")
        payload[ref.name] = contents[ref.name]
        signed = tuple(
            SignedData(
                signers=(
                    SignerInfo(
                        signature=s.signature_name,
                        digest_time=s.signed_at,
                        signer=Party(
                            person=QualifiedValue(s.signer_name),
                            post=QualifiedValue(s.signer_post) if s.signer_post else None,
                        ),
                    ),
                )
            )
            for s in by_file.get(ref.name, [])
        )
        for s in by_file.get(ref.name, []):
            payload[s.signature_name] = s.content
        files.append(
            AttachedFile(
                local_name=ref.name,
                group=FileGroup.DOCUMENT_TEXT if index == 0 else FileGroup.ENCLOSURE_TEXT,
                local_id=index,
                type=_file_type(ref.name),
                signed_data=signed,
            )
        )
    medo_ids = {r.id: _medo_uid(r) for r in recipients}
    with_medo = [r for r in recipients if medo_ids[r.id]]
    without = tuple(r.name for r in recipients if not medo_ids[r.id])
    addressees = tuple(
        Addressee(party=Party(organization=QualifiedValue(r.name[:511])), uid=medo_ids[r.id])
        for r in recipients
    ) or tuple(
        Addressee(party=Party(organization=QualifiedValue(a.name[:511])))
        for a in details.addressees
    )
    document = Document(
        uid=document_uid_for(card),
        id=card.id[:127],
        num=DocumentNumber(card.registration.number[:31], card.registration.date),
        kind=QualifiedValue(details.document_kind[:511]),
        classification=QualifiedValue(_DSP_MARK) if details.access is AccessMark.DSP else None,
        signatories=tuple(
            Signatory(
                party=Party(
                    person=QualifiedValue(s.name),
                    post=QualifiedValue(s.position) if s.position else None,
                ),
                signed=card.registration.date,
            )
            for s in details.signatories
        ),
        addressees=addressees,
        pages=details.sheets,
        enclosures_pages=sum(e.sheets for e in details.enclosures) or None,
        enclosures=tuple(
            MedoEnclosure(title=e.title[:4000], pages=e.sheets) for e in details.enclosures
        ),
        annotation=details.summary,
        file_ids=(0,),
    )
    letters: list[OutgoingLetter] = []
    for recipient in with_medo:
        uid = medo_ids[recipient.id]
        assert uid is not None
        partner = Partner(uid=uid, organization=recipient.name[:511])
        header_uid = uuid.uuid5(_UID_NAMESPACE, f"{document.uid}/{recipient.id}/{attempt}")
        message = Message(
            header=Header(source=source, uid=str(header_uid), created=time),
            content=DocumentContent(document=document, files=tuple(files)),
            destinations=(Destination(partner=partner),),
        )
        letters.append(
            OutgoingLetter(
                destination=partner,
                message=message,
                files=dict(payload),
                address=recipient.medo_address,
            )
        )
    return tuple(letters), without


def _medo_uid(organisation: Organisation) -> str | None:
    """The organisation's MEDO id as a GUID (braces dropped), or None when it has none."""
    value = (organisation.medo_id or "").strip().strip("{}")
    return value if GUID_RE.match(value) else None
