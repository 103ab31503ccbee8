"""The card export ``edmscore medo pack`` reads: a card, its organisations, files and signatures.

The card is in the registry's own JSON form (:func:`edmscore.registry.codec.card_to_primitive`);
around it, the sender and the addressees as directory organisations, the MEDO source participant,
the detached signatures, and the time. The files (named as in the card) and the signature files
lie beside the export. Each file's SHA-256 must match the card.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pendulum

from edmscore.directory import Organisation
from edmscore.errors import MedoFormatError, ValidationError
from edmscore.exchange.medo._names import check_file_name
from edmscore.exchange.medo._outgoing import DetachedSignature, OutgoingLetter, outgoing_messages
from edmscore.exchange.medo._parties import Partner
from edmscore.exchange.medo._values import parse_datetime
from edmscore.registry.codec import card_from_primitive

__all__ = ["load_card_export"]

_MAX_EXPORT = 4 * 1024 * 1024
_ORGANISATION_FIELDS = ("id", "name", "short_name", "medo_id", "timezone", "dsp_electronic")


def _organisation(data: Any, where: str) -> Organisation:
    if not isinstance(data, dict):
        raise ValidationError(where, "must be an object")
    return Organisation(**{k: v for k, v in data.items() if k in _ORGANISATION_FIELDS})


def load_card_export(path: Path) -> tuple[tuple[OutgoingLetter, ...], tuple[str, ...]]:
    """Read a card export; return the letters to send and the addressees without a MEDO id."""
    source = str(path)
    raw = path.read_bytes()
    if len(raw) > _MAX_EXPORT:
        raise MedoFormatError("card export", "is larger than 4 MiB", file=source)
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValidationError("card export", "must be a JSON object")
        return _letters(data, path.parent, source)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MedoFormatError("card export", f"not UTF-8 JSON: {exc}", file=source) from None
    except MedoFormatError:
        raise
    except ValidationError as exc:
        raise MedoFormatError(exc.field, exc.detail, file=source) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise MedoFormatError("card export", f"malformed: {exc!r}", file=source) from None


def _read(base: Path, name: str, element: str, source: str) -> bytes:
    check_file_name(name, element=element, source=source)
    target = base / name
    if not target.is_file() or target.is_symlink():
        raise MedoFormatError(element, f"{name!r} is not beside the export", file=source)
    return target.read_bytes()


def _letters(
    data: dict[str, Any], base: Path, source: str
) -> tuple[tuple[OutgoingLetter, ...], tuple[str, ...]]:
    card = card_from_primitive(data["card"])
    tz = str(data.get("timezone", "Europe/Moscow"))
    time = pendulum.now(tz) if data.get("time") is None else parse_datetime(str(data["time"]), tz)
    contents: dict[str, bytes] = {}
    for ref in card.details.files:
        content = _read(base, ref.name, "card.details.files", source)
        if hashlib.sha256(content).hexdigest() != ref.sha256:
            raise MedoFormatError(
                "card.details.files", f"{ref.name!r} does not match the card's SHA-256", file=source
            )
        contents[ref.name] = content
    signatures = tuple(
        DetachedSignature(
            file_name=str(item["file"]),
            signature_name=str(item["path"]),
            content=_read(base, str(item["path"]), "signatures.path", source),
            signer_name=str(item["signer"]),
            signer_post=str(item.get("post", "")),
            signed_at=parse_datetime(str(item.get("time", time.isoformat())), tz),
        )
        for item in data.get("signatures", [])
    )
    src = data["source"]
    return outgoing_messages(
        card,
        sender=_organisation(data["sender"], "sender"),
        source=Partner(uid=str(src["uid"]), organization=str(src["organization"])),
        recipients=tuple(_organisation(r, "recipients") for r in data.get("recipients", [])),
        contents=contents,
        signatures=signatures,
        time=time,
    )
