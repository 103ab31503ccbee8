"""A 2.7 / 2.7.1 container letter: the transport message, its container, and its document.

The transport message carries no document attributes: they are in the container's passport.
This module opens the container a letter names and maps the passport to the same
:class:`Document` a 2.x document message carries, so a container letter is received, checked
and answered through the same use cases.
"""

from __future__ import annotations

from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._checks import GUID_RE
from edmscore.exchange.medo._container import Container, read_container
from edmscore.exchange.medo._document import Document, Enclosure
from edmscore.exchange.medo._letter import Letter
from edmscore.exchange.medo._limits import DEFAULT_LIMITS, Limits
from edmscore.exchange.medo._message import ContainerReference, Message
from edmscore.exchange.medo._parties import (
    Addressee,
    DocumentNumber,
    Party,
    QualifiedValue,
    Signatory,
)
from edmscore.exchange.medo._passport import Passport

__all__ = ["open_container", "passport_document"]


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
