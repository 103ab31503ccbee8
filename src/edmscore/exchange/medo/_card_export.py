"""The card export ``edmscore medo pack`` reads: a JSON description of a signed outgoing card."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pendulum

from edmscore.errors import MedoFormatError, ValidationError
from edmscore.exchange.medo._document import AttachedFile, Document, SignedData, SignerInfo
from edmscore.exchange.medo._enums import FileGroup
from edmscore.exchange.medo._message import Destination, DocumentContent, Header, Message
from edmscore.exchange.medo._names import check_file_name
from edmscore.exchange.medo._parties import (
    Addressee,
    DocumentNumber,
    Partner,
    Party,
    QualifiedValue,
    Signatory,
)
from edmscore.exchange.medo._values import parse_date, parse_datetime

__all__ = ["load_card_export"]

_MAX_EXPORT = 4 * 1024 * 1024


def _get(data: dict[str, Any], key: str, path: str, source: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise MedoFormatError(f"{path}.{key}", "is required", file=source)
    return data[key]


def load_card_export(path: Path) -> tuple[Message, dict[str, bytes]]:
    """Read a card export; return the message and the files (by name) to put in the letter."""
    source = str(path)
    raw = path.read_bytes()
    if len(raw) > _MAX_EXPORT:
        raise MedoFormatError("card export", "is larger than 4 MiB", file=source)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MedoFormatError("card export", f"not UTF-8 JSON: {exc}", file=source) from None
    try:
        return _build(data, path.parent, source)
    except MedoFormatError:
        raise
    except ValidationError as exc:
        raise MedoFormatError(exc.field, exc.message, file=source) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise MedoFormatError("card export", str(exc), file=source) from None


def _build(data: dict[str, Any], base: Path, source: str) -> tuple[Message, dict[str, bytes]]:
    tz = str(data.get("timezone", "Europe/Moscow"))
    src = _get(data, "source", "", source)
    doc = _get(data, "document", "", source)
    time_text = data.get("time")
    time = pendulum.now(tz) if time_text is None else parse_datetime(str(time_text), tz)
    signatories = tuple(
        Signatory(
            party=Party(
                person=QualifiedValue(str(_get(s, "name", "document.signatories", source))),
                post=QualifiedValue(str(s["post"])) if s.get("post") else None,
            ),
            signed=parse_date(str(_get(s, "signed", "document.signatories", source))),
        )
        for s in _get(doc, "signatories", "document", source)
    )
    addressees = tuple(
        Addressee(
            party=Party(
                organization=QualifiedValue(str(_get(a, "organization", "addressees", source)))
            ),
            uid=a.get("uid"),
        )
        for a in _get(doc, "addressees", "document", source)
    )
    files: dict[str, bytes] = {}
    attached: list[AttachedFile] = []
    for index, item in enumerate(data.get("files", [])):
        name = check_file_name(
            str(_get(item, "path", "files", source)), element="files.path", source=source
        )
        files[name] = (base / name).read_bytes()
        signed: list[SignedData] = []
        for sig in item.get("signatures", []):
            sig_name = check_file_name(
                str(_get(sig, "path", "files.signatures", source)),
                element="files.signatures.path",
                source=source,
            )
            files[sig_name] = (base / sig_name).read_bytes()
            signed.append(
                SignedData(
                    signers=(
                        SignerInfo(
                            signature=sig_name,
                            digest_time=parse_datetime(str(sig.get("time", time.isoformat())), tz),
                            signer=Party(
                                person=QualifiedValue(
                                    str(_get(sig, "signer", "files.signatures", source))
                                ),
                                post=QualifiedValue(str(sig["post"])) if sig.get("post") else None,
                            ),
                        ),
                    )
                )
            )
        attached.append(
            AttachedFile(
                local_name=name,
                group=FileGroup.DOCUMENT_TEXT if index == 0 else FileGroup.ENCLOSURE_TEXT,
                local_id=index,
                signed_data=tuple(signed),
            )
        )
    document = Document(
        uid=str(doc.get("uid") or uuid.uuid4()),
        num=DocumentNumber(
            str(_get(doc, "number", "document", source)),
            parse_date(str(doc["date"])) if doc.get("date") else None,
        ),
        kind=QualifiedValue(str(doc["kind"])) if doc.get("kind") else None,
        classification=QualifiedValue(str(doc["classification"]))
        if doc.get("classification")
        else None,
        signatories=signatories,
        addressees=addressees,
        pages=int(doc.get("pages", 0)),
        annotation=doc.get("summary"),
        file_ids=(0,) if attached else (),
    )
    partner = Partner(
        uid=str(_get(src, "uid", "source", source)),
        organization=str(_get(src, "organization", "source", source)),
    )
    destinations = tuple(
        Destination(partner=Partner(uid=a.uid, organization=a.party.organization.value))
        for a in addressees
        if a.uid is not None and a.party.organization is not None
    )
    message = Message(
        header=Header(source=partner, uid=str(uuid.uuid4()), created=time),
        content=DocumentContent(document=document, files=tuple(attached)),
        version=str(data.get("version", "2.6")),
        destinations=destinations,
    )
    return message, files
