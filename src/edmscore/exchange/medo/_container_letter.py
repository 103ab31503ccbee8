"""A 2.7 / 2.7.1 container letter: the transport message, its container, and its document.

The transport message carries no document attributes: they are in the container's passport.
This module opens the container a letter names and maps the passport to the same
:class:`Document` a 2.x document message carries, so a container letter is received, checked
and answered through the same use cases.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import field, frozen

from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._checks import GUID_RE
from edmscore.exchange.medo._container import Container, build_container, read_container
from edmscore.exchange.medo._document import Document, Enclosure
from edmscore.exchange.medo._letter import Letter
from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._message import ContainerReference, DocumentContent, Message
from edmscore.exchange.medo._outgoing import OutgoingLetter
from edmscore.exchange.medo._parties import (
    Addressee,
    DocumentNumber,
    Party,
    QualifiedValue,
    Signatory,
)
from edmscore.exchange.medo._passport import (
    CONTAINER_NS_27,
    CONTAINER_NS_271,
    ContainerAttachment,
    ContainerAuthor,
    ContainerSigner,
    Passport,
    StampPosition,
)

__all__ = [
    "CONTAINER_BODY",
    "StampImage",
    "container_letter",
    "open_container",
    "passport_document",
]


def open_container(letter: Letter, *, limits: Limits = DEFAULT_LIMITS) -> Container:
    """Read and check the container a transport letter carries (``container/body``)."""
    content = letter.message.content
    if not isinstance(content, ContainerReference):
        raise MedoFormatError(
            "container", "the letter carries no container", file=str(letter.folder)
        )
    path = letter.path(content.body)
    if path.stat().st_size > limits.max_total_bytes:
        raise MedoFormatError("container", "is larger than allowed", file=str(path))
    return read_container(path.read_bytes(), source=str(path), limits=limits)


def _value(text: str | None) -> QualifiedValue | None:
    text = (text or "").strip()
    return QualifiedValue(text[:511]) if text else None


def passport_document(passport: Passport, message: Message) -> Document:
    """The passport's document as a :class:`Document`: number and date, kind, annotation,
    pages, classification, signatories, addressees, attachments as enclosures.

    The document uid is the container's (``c:uid``), else the transport message's header uid
    (which the 2.7 rules make equal to it). A passport without a registration number cannot
    be mapped and raises :class:`~edmscore.errors.MedoFormatError`.
    """
    uid = passport.uid or message.header.uid
    if uid is None or not GUID_RE.match(uid):
        raise MedoFormatError("container/@uid", f"no document uid to answer to: {uid!r}")
    author = next((a for a in passport.authors if a.number), None)
    if author is None:
        raise MedoFormatError("container/authors/author/registration/number", "is required")
    date = author.date
    if date is None and message.header.created is not None:
        date = message.header.created.date()
    signatories: list[Signatory] = []
    for item in passport.authors:
        signed = item.date or date
        if signed is None:
            continue
        for signer in item.signers:
            signatories.append(
                Signatory(
                    party=Party(
                        organization=_value(item.organization),
                        person=_value(signer.name),
                        post=_value(signer.post),
                    ),
                    signed=signed,
                )
            )
    if not signatories:
        if date is None:
            raise MedoFormatError("container/authors/author/registration/date", "is required")
        organization = author.organization or message.header.source.organization
        signatories.append(Signatory(party=Party(organization=_value(organization)), signed=date))
    addressees = tuple(
        Addressee(
            party=Party(organization=_value(title)),
            uid=org_id if org_id and GUID_RE.match(org_id) else None,
        )
        for title, org_id in passport.addressees
        if title
    ) or tuple(
        Addressee(party=Party(organization=_value(d.partner.organization)), uid=d.partner.uid)
        for d in message.destinations
    )
    if not addressees:
        raise MedoFormatError("container/addressees", "the passport names no addressee")
    return Document(
        uid=uid,
        num=DocumentNumber(author.number[:31], date),
        kind=_value(passport.document_kind),
        classification=_value(passport.classification),
        signatories=tuple(signatories),
        addressees=addressees,
        pages=passport.pages or 0,
        annotation=(passport.annotation or "")[:4000] or None,
        enclosures=tuple(
            Enclosure(title=(a.description or a.local_name)[:4000], pages=0)
            for a in sorted(passport.attachments, key=lambda a: a.order)
        ),
    )


@frozen
class StampImage:
    """A stamp image (PNG) and where it lies on the document's pages."""

    png: bytes = field(repr=lambda value: f"<{len(value)} bytes>")
    position: StampPosition


#: The container's file name in a transport letter, as real 2.7 letters carry it.
CONTAINER_BODY = "document.edc.zip"


def _p7s(name: str) -> str:
    return name if name.lower().endswith(".p7s") else f"{name.rsplit('.', 1)[0]}.p7s"


def container_letter(
    letter: OutgoingLetter,
    *,
    registration: StampImage,
    signature_stamps: Sequence[StampImage],
    version: str = "2.7.1",
    container_signature: bytes | None = None,
) -> OutgoingLetter:
    """The same outgoing letter as a 2.7 or 2.7.1 container letter.

    The 2.x document message becomes the passport (its document, signatories and their
    detached signatures, attachments with every one of their signatures, addressees), the
    registration stamp and one signature stamp per signature of the document become PNG members
    (see :func:`registration_stamp_image`, :func:`signature_stamp_image`), and the transport
    message keeps the 2.x message's header uid, destination and time, so delivery control
    follows the container letter as it follows a 2.x one. Signature files are named ``.p7s``
    in the container. The main document must be a signed PDF.
    """
    if version not in ("2.7", "2.7.1"):
        raise MedoFormatError(
            "communication/@version", f"a container letter is 2.7 or 2.7.1, not {version!r}"
        )
    content = letter.message.content
    if not isinstance(content, DocumentContent) or not content.files:
        raise MedoFormatError("document", "only a document message with files becomes a container")
    document = content.document
    main, *others = content.files
    names: dict[str, str] = {}
    signer_infos = [s for data in main.signed_data for s in data.signers]
    if not signer_infos:
        raise MedoFormatError("signedData", f"the document {main.local_name!r} is not signed")
    if len(signature_stamps) < len(signer_infos):
        raise MedoFormatError(
            "signatureStamp", f"{len(signer_infos)} signatures need as many signature stamps"
        )
    files: dict[str, bytes] = {main.local_name: letter.files[main.local_name]}
    signers: list[ContainerSigner] = []
    for index, (info, stamp) in enumerate(zip(signer_infos, signature_stamps, strict=False)):
        inside = names.setdefault(info.signature, _p7s(info.signature))
        files[inside] = letter.files[info.signature]
        stamp_name = "stamp.png" if index == 0 else f"stamp{index + 1}.png"
        files[stamp_name] = stamp.png
        party = info.signer
        signers.append(
            ContainerSigner(
                post=party.post.value if party.post else "",
                name=(party.person or party.organization or QualifiedValue("—")).value,
                signature=inside,
                stamp=stamp_name,
                stamp_position=stamp.position,
            )
        )
    files["regStamp.png"] = registration.png
    attachments: list[ContainerAttachment] = []
    for order, item in enumerate(others, start=1):
        files[item.local_name] = letter.files[item.local_name]
        signatures: list[str] = []
        for info in (s for data in item.signed_data for s in data.signers):
            inside = names.setdefault(info.signature, _p7s(info.signature))
            files[inside] = letter.files[info.signature]
            signatures.append(inside)
        attachments.append(
            ContainerAttachment(item.local_name, order, item.description, tuple(signatures))
        )
    source = letter.message.header.source
    passport = Passport(
        uid=document.uid,
        document_name=main.local_name,
        pages=document.pages or None,
        document_kind=document.kind.value if document.kind else "Документ",
        annotation=document.annotation or "Без аннотации",
        classification=document.classification.value if document.classification else None,
        authors=(
            ContainerAuthor(
                organization=source.organization,
                number=document.num.number,
                date=document.num.date,
                signers=tuple(signers),
                registration_stamp="regStamp.png",
                stamp_position=registration.position,
            ),
        ),
        addressees=tuple(
            (a.party.organization.value, a.uid)
            for a in document.addressees
            if a.party.organization is not None
        ),
        attachments=tuple(attachments),
        namespace=CONTAINER_NS_271 if version == "2.7.1" else CONTAINER_NS_27,
    )
    archive = build_container(passport, files, container_signature=container_signature)
    message = Message(
        header=letter.message.header,
        content=ContainerReference(body=CONTAINER_BODY),
        version=version,
        destinations=letter.message.destinations,
    )
    return OutgoingLetter(
        destination=letter.destination,
        message=message,
        files={CONTAINER_BODY: archive},
        address=letter.address,
    )
