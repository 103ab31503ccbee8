"""A received MEDO document → a pre-filled incoming registration card, and the replies to it."""

from __future__ import annotations

from typing import Protocol

import pendulum
from attrs import frozen

from edmscore.directory import Organisation
from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._container import Container
from edmscore.exchange.medo._container_letter import open_container, passport_document
from edmscore.exchange.medo._document import Document, LinkedDocument
from edmscore.exchange.medo._enums import RefusalReason
from edmscore.exchange.medo._letter import Letter
from edmscore.exchange.medo._message import ContainerReference, DocumentContent, Message
from edmscore.exchange.medo._notify import notify_refused, notify_registered, uid_key
from edmscore.exchange.medo._parties import Partner
from edmscore.exchange.medo._schema import SchemaCheck, SchemaStatus, check_schema
from edmscore.exchange.medo._signatures import (
    DetachedVerifier,
    SignatureCheck,
    check_container_signatures,
    check_signatures,
)
from edmscore.registry import (
    AccessMark,
    CardDetails,
    CardKind,
    Correspondent,
    DeliveryMethod,
    Enclosure,
    FileRef,
    RegistrationCard,
    Signatory,
)

__all__ = ["IncomingDraft", "MedoDirectory", "incoming_draft", "media_type"]

_MEDIA_TYPES = {
    "pdf": "application/pdf",
    "p7s": "application/pkcs7-signature",
    "sig": "application/pkcs7-signature",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "png": "image/png",
    "jpg": "image/jpeg",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "xml": "application/xml",
    "zip": "application/zip",
}


def media_type(name: str) -> str:
    """The media type of a file, judged by its extension."""
    _, _, ext = name.rpartition(".")
    return _MEDIA_TYPES.get(ext.lower(), "application/octet-stream")


class MedoDirectory(Protocol):
    """What the mapping needs of the directory (``edmscore.storage`` directories conform)."""

    def organisation_by_medo_id(self, medo_id: str) -> Organisation | None:
        """The organisation with this MEDO participant id (case-insensitive), if any."""
        ...


@frozen
class IncomingDraft:
    """A received document ready for the clerk: card details, MEDO identity, checks, warnings.

    ``details`` pre-fills an incoming card; the clerk registers it through the services, then
    :meth:`registered` gives the notification to send back (or :meth:`refused`). ``document``
    is the document the card was filled from: the message's own, or for a 2.7 / 2.7.1 letter
    the one mapped from the container's passport (then ``container`` is the container, whose
    members are the card's files, and ``stamps`` the stamp images it holds). ``validation`` is
    the schema check of the description (the message, or the container's passport).
    """

    details: CardDetails
    message: Message
    sender: Partner
    document_uid: str
    signatures: tuple[SignatureCheck, ...]
    warnings: tuple[str, ...]
    #: the documents the message links to («в ответ на» …), for the clerk to match to cards
    links: tuple[LinkedDocument, ...] = ()
    #: the restriction mark was not recognised: the card is ДСП until a person reads the mark
    classification_review_needed: bool = False
    document: Document | None = None
    container: Container | None = None
    stamps: tuple[str, ...] = ()
    validation: SchemaCheck | None = None

    def read(self, letter: Letter, name: str) -> bytes:
        """The content of one of the card's files: from the container, else the letter."""
        if self.container is not None and self.container.archive.has(name):
            return self.container.read(name)
        return letter.path(name).read_bytes()

    @property
    def key(self) -> str:
        """The document uid in the form replies are matched on."""
        return uid_key(self.document_uid)

    def registered(
        self, card: RegistrationCard, *, source: Partner, time: pendulum.DateTime
    ) -> Message:
        """«Зарегистрирован» with the card's number and date, addressed to the sender."""
        return notify_registered(
            self.message,
            source=source,
            number=card.registration.number,
            date=card.registration.date,
            time=time,
            document=self.document,
        )

    def refused(
        self,
        reason: RefusalReason,
        *,
        source: Partner,
        time: pendulum.DateTime,
        comment: str | None = None,
    ) -> Message:
        """«Отказано в регистрации» with a reason from the closed list."""
        return notify_refused(
            self.message,
            source=source,
            reason=reason,
            time=time,
            comment=comment,
            document=self.document,
        )


def _signatories(document: Document) -> tuple[Signatory, ...]:
    found: list[Signatory] = []
    for item in document.signatories:
        party = item.party
        name = party.person or party.organization
        if name is None:
            continue
        found.append(
            Signatory(
                name=name.value[:300], position="" if party.post is None else party.post.value
            )
        )
    return tuple(found)


def _review_note(mark: str) -> str:
    shown = mark if len(mark) <= 200 else mark[:199] + "…"
    return f"гриф «{shown}» не распознан: документ принят как ДСП, гриф требует проверки"


def incoming_draft(
    letter: Letter,
    *,
    directory: MedoDirectory,
    received_on: pendulum.Date,
    verifier: DetachedVerifier | None = None,
) -> IncomingDraft:
    """Map a received document letter, or a 2.7 / 2.7.1 container letter, to a pre-filled
    incoming card.

    A container letter is filled from its passport (number, date, kind, annotation, pages,
    addressees, classification → ДСП); its members (document, attachments, signatures, stamp
    images) become the card's files and every signature in it is checked.

    The correspondent is the directory's organisation with the source's MEDO id (else the name
    the message gives); number, date, summary, signatories, sheets, enclosures and files come from
    the message; the access mark is ДСП when the classification says so, and also when it holds
    wording that is not recognised (fail closed: then ``classification_review_needed`` is set,
    and a warning and the card's notes ask a person to check the mark); every detached signature
    is checked through ``verifier`` (reported as not checked without one). A description that
    fails its schema, missing or extra files, an unknown sender are warnings, not errors: the
    clerk may still register the document, or refuse it with a reason.
    """
    message = letter.message
    content = message.content
    warnings: list[str] = [f"файл отсутствует: {name}" for name in letter.missing]
    warnings += [f"лишний файл: {name}" for name in letter.extra]
    container: Container | None = None
    if isinstance(content, ContainerReference):
        container = open_container(letter)
        document = passport_document(container.passport, message)
        warnings += [f"в контейнере нет файла: {name}" for name in container.missing]
        warnings += [f"лишний файл в контейнере: {name}" for name in container.extra]
        described = container.read(container.passport_name)
        described_name = container.passport_name
        source_name = f"{container.source}:{described_name}"
    elif isinstance(content, DocumentContent):
        document = content.document
        described_name = letter.message_name
        source_name = str(letter.folder / described_name)
        described = (letter.folder / described_name).read_bytes()
    else:
        raise MedoFormatError(
            "document",
            "only a document or container letter maps to a card",
            file=str(letter.folder),
        )
    validation = check_schema(described, source=source_name)
    warnings += [
        f"{described_name} не соответствует схеме: {problem}" for problem in validation.errors
    ]
    if validation.status is SchemaStatus.NOT_VALIDATED:
        warnings.append(
            f"{described_name} не проверен по схеме: для версии {validation.version} схемы нет"
        )
    source = message.header.source
    organisation = directory.organisation_by_medo_id(source.uid)
    if organisation is None:
        organisation = directory.organisation_by_medo_id(uid_key(source.uid))
    if organisation is None:
        warnings.append(f"участник МЭДО {source.uid} не найден в справочнике")
    signatories = _signatories(document)
    person = ", ".join(f"{s.position} {s.name}".strip() for s in signatories)[:500]
    correspondent = Correspondent(
        name=organisation.name if organisation else source.organization,
        organisation_id=organisation.id if organisation else None,
        person=person,
    )
    summary = (document.annotation or "").strip()
    if not summary:
        summary = "Без аннотации"
        warnings.append("в сообщении нет аннотации (краткого содержания)")
    review = document.classification_review_needed
    notes = ""
    if review and document.classification is not None:
        notes = _review_note(document.classification.value)
        warnings.append(notes)
    kind = document.kind.value if document.kind else "Документ"
    sender_date = document.num.date
    if sender_date is not None and sender_date > received_on:
        warnings.append(f"дата документа {sender_date} позже даты поступления")
        sender_date = None
    files = tuple(
        FileRef(name=f.name, size=f.size, sha256=f.sha256, media_type=media_type(f.name))
        for f in letter.files
        if container is None
    )
    if container is not None:
        files = tuple(
            FileRef(name=m.name, size=m.size, sha256=m.sha256, media_type=media_type(m.name))
            for m in container.members
        )
    enclosures = tuple(
        Enclosure(title=(e.title.strip() or "Приложение")[:1000], sheets=e.pages)
        for e in document.enclosures
    )
    details = CardDetails(
        kind=CardKind.INCOMING,
        document_kind=kind[:200],
        summary=summary[:4000],
        document_date=sender_date,
        correspondents=(correspondent,),
        sender_number=document.num.number,
        sender_date=sender_date,
        received_on=received_on,
        signatories=signatories,
        sheets=document.pages,
        enclosures=enclosures,
        delivery_method=DeliveryMethod.MEDO,
        access=AccessMark.DSP if document.is_restricted else AccessMark.OPEN,
        files=files,
        notes=notes,
    )
    if container is not None:
        checks = check_container_signatures(container, verifier)
    else:
        checks = check_signatures(letter, verifier)
    warnings += [
        f"подпись {c.signature_name} файла {c.file_name}: {c.status.value}"
        for c in checks
        if c.status.value not in ("valid",)
    ]
    return IncomingDraft(
        details=details,
        message=message,
        sender=source,
        document_uid=document.uid,
        signatures=checks,
        warnings=tuple(warnings),
        links=document.links,
        classification_review_needed=review,
        document=document,
        container=container,
        stamps=() if container is None else container.passport.stamps(),
        validation=validation,
    )
