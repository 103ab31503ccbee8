"""A JSON-ready summary of a message, letter or container (what ``edmscore medo unpack`` prints)."""

from __future__ import annotations

from typing import Any

from edmscore.exchange.medo._container import Container
from edmscore.exchange.medo._letter import Letter
from edmscore.exchange.medo._message import ContainerReference, DocumentContent, Message
from edmscore.exchange.medo._notice import Acknowledgment, Notification
from edmscore.exchange.medo._signatures import SignatureCheck

__all__ = ["summarize_container", "summarize_letter", "summarize_message"]


def summarize_message(message: Message) -> dict[str, Any]:
    """Type, uid, source, document requisites and files of a message."""
    out: dict[str, Any] = {
        "type": message.type.value,
        "version": message.version,
        "uid": message.header.uid,
        "created": None if message.header.created is None else message.header.created.isoformat(),
        "source": {
            "uid": message.header.source.uid,
            "organization": message.header.source.organization,
        },
        "destinations": [
            {"uid": d.partner.uid, "organization": d.partner.organization}
            for d in message.destinations
        ],
    }
    content = message.content
    if isinstance(content, DocumentContent):
        doc = content.document
        out["document"] = {
            "uid": doc.uid,
            "kind": None if doc.kind is None else doc.kind.value,
            "number": doc.num.number,
            "date": None if doc.num.date is None else doc.num.date.isoformat(),
            "classification": None if doc.classification is None else doc.classification.value,
            "restricted": doc.is_restricted,
            "classification_level": doc.classification_level.value,
            "classification_review_needed": doc.classification_review_needed,
            "pages": doc.pages,
            "annotation": doc.annotation,
            "signatories": [s.party.display() for s in doc.signatories],
        }
        out["files"] = [
            {
                "name": f.local_name,
                "group": f.group.value,
                "signatures": list(f.signature_names()),
            }
            for f in content.files
        ]
    elif isinstance(content, Notification):
        event = content.event
        out["notification"] = {
            "type": content.type.value,
            "document_uid": content.document_uid,
            "message_uid": content.message_uid,
            "time": event.time.isoformat(),
        }
        if event.foundation is not None:
            num = event.foundation.num
            out["notification"]["foundation"] = {
                "number": num.number,
                "date": None if num.date is None else num.date.isoformat(),
            }
        reason = getattr(event, "reason", None)
        if reason is not None:
            out["notification"]["reason"] = reason.value
        own = getattr(event, "num", None)
        if own is not None:
            out["notification"]["number"] = own.number
            out["notification"]["date"] = None if own.date is None else str(own.date)
    elif isinstance(content, Acknowledgment):
        out["acknowledgment"] = {
            "message_uid": content.message_uid,
            "accepted": content.accepted,
            "time": content.time.isoformat(),
            "hash_codes": 0 if content.hash_codes is None else len(content.hash_codes.items),
        }
    elif isinstance(content, ContainerReference):
        out["container"] = content.body
    return out


def summarize_letter(letter: Letter, checks: tuple[SignatureCheck, ...]) -> dict[str, Any]:
    """The message summary plus the files found, their digests, signatures, missing and extra."""
    out = summarize_message(letter.message)
    out["letter"] = {
        "message_file": letter.message_name,
        "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in letter.files],
        "missing": list(letter.missing),
        "extra": list(letter.extra),
        "envelope": None
        if letter.envelope is None
        else {"subject": letter.envelope.subject, "addressees": list(letter.envelope.addressees)},
    }
    out["signatures"] = [
        {
            "file": c.file_name,
            "signature": c.signature_name,
            "status": c.status.value,
            "signer": c.signer,
        }
        for c in checks
    ]
    return out


def summarize_container(container: Container) -> dict[str, Any]:
    """A container's passport requisites and members."""
    passport = container.passport
    author = passport.authors[0] if passport.authors else None
    return {
        "type": "Транспортный контейнер",
        "uid": passport.uid,
        "passport_namespace": passport.namespace,
        "document": {
            "kind": passport.document_kind,
            "number": None if author is None else author.number,
            "date": None if author is None or author.date is None else author.date.isoformat(),
            "classification": passport.classification,
            "restricted": passport.classification_level.is_restricted,
            "classification_level": passport.classification_level.value,
            "classification_review_needed": passport.classification_level.review_needed,
            "annotation": passport.annotation,
            "pages": passport.pages,
            "file": passport.document_name,
        },
        "files": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in container.members],
        "signatures": [
            {"file": passport.document_name, "signature": s.signature, "signer": s.name}
            for a in passport.authors
            for s in a.signers
        ]
        + [
            {"file": a.local_name, "signature": a.signature, "signer": None}
            for a in passport.attachments
            if a.signature
        ],
        "container_signature": container.container_signature,
        "missing": list(container.missing),
        "extra": list(container.extra),
    }
