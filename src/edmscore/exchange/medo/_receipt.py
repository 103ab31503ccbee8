"""Receipts (квитанции): build one for a received letter, and check a receipt's ``hashCodes``."""

from __future__ import annotations

import enum
import hmac
import uuid
from collections.abc import Mapping

import pendulum
from attrs import frozen

from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._hashing import hashlib_name, new_hash
from edmscore.exchange.medo._letter import Letter
from edmscore.exchange.medo._message import Destination, Header, Message
from edmscore.exchange.medo._notice import Acknowledgment, HashCode, HashCodes
from edmscore.exchange.medo._notify import reply_version
from edmscore.exchange.medo._parties import Partner

__all__ = ["HashCheck", "HashStatus", "build_receipt", "verify_hash_codes"]


class HashStatus(enum.Enum):
    """The outcome of checking one ``hashCodes/item``."""

    MATCH = "match"
    MISMATCH = "mismatch"
    MISSING_FILE = "missing file"
    UNSUPPORTED_ALGORITHM = "unsupported algorithm"


@frozen
class HashCheck:
    """One file's hash check: the file name, the outcome and the algorithm used."""

    name: str
    status: HashStatus
    algorithm: str | None


def _candidates(algorithm: str | None, code: str) -> tuple[str, ...]:
    if algorithm is not None:
        name = hashlib_name(algorithm)
        return (name,) if name else ()
    octets = len(code) // 2
    return {32: ("sha256", "md_gost12_256"), 64: ("sha512", "md_gost12_512")}.get(octets, ())


def verify_hash_codes(receipt: Acknowledgment, files: Mapping[str, bytes]) -> tuple[HashCheck, ...]:
    """Check every ``hashCodes/item`` of ``receipt`` against the content sent.

    ``files`` maps the sent files' names to their bytes (names compare case-insensitively).
    Without ``@algorithm`` the algorithms of the code's length are tried (SHA-2, then
    GOST R 34.11-2012 through :func:`edmscore.signatures.new_streebog`). The outcomes are
    values: a mismatch is not an exception.
    """
    if receipt.hash_codes is None:
        return ()
    by_key = {name.casefold(): content for name, content in files.items()}
    checks: list[HashCheck] = []
    for item in receipt.hash_codes.items:
        content = by_key.get(item.name.casefold())
        if content is None:
            checks.append(HashCheck(item.name, HashStatus.MISSING_FILE, None))
            continue
        status, used = HashStatus.UNSUPPORTED_ALGORITHM, None
        for name in _candidates(receipt.hash_codes.algorithm, item.code):
            digest = new_hash(name)
            if digest is None:
                continue
            digest.update(content)
            used = name
            if hmac.compare_digest(digest.hexdigest(), item.code.lower()):
                status = HashStatus.MATCH
                break
            status = HashStatus.MISMATCH
        checks.append(HashCheck(item.name, status, used))
    return tuple(checks)


def build_receipt(
    letter: Letter,
    *,
    source: Partner,
    time: pendulum.DateTime,
    accepted: bool,
    comment: str | None = None,
    message_uid: str | None = None,
) -> Message:
    """A receipt for a received letter, with the SHA-256 of each of its files.

    The received message must carry ``header/@uid`` (it is what the receipt acknowledges). The
    receipt is written in the sender's version (:func:`reply_version`): a 2.7.1 letter gets a
    2.7.1 receipt (``urn:IEDMS:MESSAGE``), as real gateways send.
    """
    acknowledged = letter.message.header.uid
    if acknowledged is None:
        raise MedoFormatError("header/@uid", "the message has no uid to acknowledge")
    codes = tuple(HashCode(name=f.name, code=f.sha256) for f in letter.files)
    receipt = Acknowledgment(
        message_uid=acknowledged,
        time=time,
        accepted=accepted,
        comment=comment,
        hash_codes=HashCodes(items=codes, algorithm="sha256") if codes else None,
    )
    header = Header(source=source, uid=message_uid or str(uuid.uuid4()), created=time)
    return Message(
        header=header,
        content=receipt,
        version=reply_version(letter.message),
        destinations=(Destination(partner=letter.message.header.source),),
    )
