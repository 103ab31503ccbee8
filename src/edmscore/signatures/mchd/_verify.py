"""Verifying a signature together with the МЧД it is made under: one call, one report."""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from edmscore.errors import PoaFormatError
from edmscore.signatures._anchors import TrustAnchors
from edmscore.signatures._certificate import Certificate, Crl
from edmscore.signatures._report import Status, VerificationReport, _plain
from edmscore.signatures._verify import Content, verify
from edmscore.signatures.mchd._check import PoaAction, PoaReport, check_poa
from edmscore.signatures.mchd._model import PowerOfAttorney
from edmscore.signatures.mchd._parse import parse_poa
from edmscore.signatures.mchd._registry import PoaRegistry

__all__ = ["PoaVerification", "SignedPoa", "find_poa", "load_signed_poa", "verify_with_poa"]

_POA_NAME = re.compile(r"^(ON_EMCHD|ON_DOV[A-Z]*)_.+\.xml$", re.IGNORECASE)
_SIGNATURE_SUFFIXES = (".sig", ".p7s", ".sgn", ".sign")
_ORDER = {Status.VALID: 0, Status.INDETERMINATE: 1, Status.INVALID: 2}


@attrs.frozen
class SignedPoa:
    """A МЧД read and its own signature verified once, to back many signatures.

    One МЧД usually backs many documents: a host verifying them in a batch loads it once with
    :func:`load_signed_poa` and passes this value as ``poa`` to :func:`verify_with_poa`. How long
    it may be reused (its signature report is as of ``checked_at``) is the host's decision.
    """

    poa: PowerOfAttorney
    signature: VerificationReport | None
    sha256: str

    @property
    def checked_at(self) -> pendulum.DateTime | None:
        """When the МЧД's signature was verified (``None`` when it had none)."""
        return self.signature.checked_at if self.signature is not None else None


def load_signed_poa(
    poa: bytes,
    signature: bytes | None,
    *,
    trust_anchors: TrustAnchors | Iterable[bytes | Certificate],
    crls: Iterable[bytes | Crl] = (),
    intermediates: Iterable[bytes | Certificate] = (),
    at: pendulum.DateTime | None = None,
    accelerated: bool | None = None,
) -> SignedPoa:
    """Read a МЧД (its XML exactly as received) and verify its detached ``signature`` over it."""
    if not isinstance(poa, bytes | bytearray):
        raise PoaFormatError("poa", f"expected the МЧД's bytes, got {type(poa).__name__}")
    data = bytes(poa)
    parsed = parse_poa(data)
    report = None
    if signature is not None:
        report = verify(
            data,
            signature,
            trust_anchors=trust_anchors,
            crls=crls,
            intermediates=intermediates,
            at=at,
            accelerated=accelerated,
        )
    return SignedPoa(parsed, report, hashlib.sha256(data).hexdigest())


@attrs.frozen
class PoaVerification:
    """The verdict on a signature with its МЧД.

    ``signature`` is the report on the document's signature, ``poa_reports`` the МЧД checked for
    each of its signers, ``poa_signature`` the report on the МЧД's own signature. ``status`` is
    the worst of them; ``binds_organisation`` is true only when all are valid and a МЧД was given.
    """

    status: Status
    binds_organisation: bool
    signature: VerificationReport
    poa: PowerOfAttorney | None
    poa_reports: tuple[PoaReport, ...]
    poa_signature: VerificationReport | None

    @property
    def poa_number(self) -> str | None:
        """The number of the МЧД, when one was given."""
        return self.poa.number if self.poa is not None else None

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready values (dates in ISO 8601, enums as their values)."""
        result: dict[str, Any] = _json(self)
        return result

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as a JSON document (UTF-8 text, Cyrillic kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def _json(value: Any) -> Any:
    if isinstance(value, pendulum.DateTime):
        return _plain(value)
    if isinstance(value, pendulum.Date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, VerificationReport):
        return value.to_dict()
    if isinstance(value, PoaReport):
        out = {f.name: _json(getattr(value, f.name)) for f in attrs.fields(PoaReport)}
        out["reason"] = _json(value.reason)
        return out
    if attrs.has(type(value)):
        return {f.name: _json(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    return value


def verify_with_poa(
    content: Content | None,
    signature: bytes,
    *,
    poa: bytes | SignedPoa | None,
    poa_signature: bytes | None = None,
    trust_anchors: TrustAnchors | Iterable[bytes | Certificate],
    crls: Iterable[bytes | Crl] = (),
    intermediates: Iterable[bytes | Certificate] = (),
    at: pendulum.DateTime | None = None,
    action: PoaAction | None = None,
    registry: PoaRegistry | None = None,
    parents: Iterable[tuple[bytes, bytes | None] | SignedPoa] = (),
    organisation_inn: str | None = None,
    accelerated: bool | None = None,
) -> PoaVerification:
    """Verify a CMS signature and the МЧД it is made under; answer whether it binds the principal.

    ``poa`` is the МЧД XML exactly as received (its detached signature ``poa_signature`` is
    checked over these bytes), or a :class:`SignedPoa` loaded once for many signatures.
    ``parents`` are the МЧД a substitution rests on, as (XML, signature) or :class:`SignedPoa`.
    The other arguments are those of :func:`edmscore.signatures.verify` and
    :func:`~edmscore.signatures.mchd.check_poa`. Malformed input raises a
    :class:`~edmscore.errors.SignatureError` subclass (``PoaFormatError`` for the МЧД).
    """
    anchors = (
        trust_anchors
        if isinstance(trust_anchors, TrustAnchors)
        else TrustAnchors.load(trust_anchors)
    )
    crls = tuple(crls)
    intermediates = tuple(intermediates)

    def load(item: bytes | SignedPoa, sig: bytes | None) -> SignedPoa:
        if isinstance(item, SignedPoa):
            return item
        return load_signed_poa(
            item,
            sig,
            trust_anchors=anchors,
            crls=crls,
            intermediates=intermediates,
            at=at,
            accelerated=accelerated,
        )

    report = verify(
        content,
        signature,
        trust_anchors=anchors,
        crls=crls,
        intermediates=intermediates,
        at=at,
        accelerated=accelerated,
    )
    if poa is None:
        return PoaVerification(report.status, False, report, None, (), None)
    signed = load(poa, poa_signature)
    parent_reports = [
        (p.poa, p.signature)
        for p in (load(*item) if isinstance(item, tuple) else load(item, None) for item in parents)
    ]
    poa_reports = tuple(
        check_poa(
            signed.poa,
            signer,
            poa_signature=signed.signature,
            action=action,
            registry=registry,
            parents=parent_reports,
            organisation_inn=organisation_inn,
        )
        for signer in report.signers
    )
    status = max((report.status, *(r.status for r in poa_reports)), key=_ORDER.__getitem__)
    return PoaVerification(
        status=status,
        binds_organisation=status is Status.VALID and bool(poa_reports),
        signature=report,
        poa=signed.poa,
        poa_reports=poa_reports,
        poa_signature=signed.signature,
    )


def find_poa(files: Mapping[str, bytes]) -> tuple[str, bytes, bytes | None] | None:
    """The МЧД carried beside a signature in a package (MEDO or EDO): name, XML, signature.

    A МЧД file is named ``ON_EMCHD_….xml`` (or ``ON_DOV…_….xml`` in the earlier format); its
    signature is the same name with ``.sig``/``.p7s`` added or in place of ``.xml``.
    """
    for name in sorted(files):
        base = name.replace("\\", "/").rsplit("/", 1)[-1]
        if not _POA_NAME.match(base):
            continue
        stem = name[: -len(".xml")]
        for candidate in (name + s for s in _SIGNATURE_SUFFIXES):
            if candidate in files:
                return name, files[name], files[candidate]
        for candidate in (stem + s for s in _SIGNATURE_SUFFIXES):
            if candidate in files:
                return name, files[name], files[candidate]
        return name, files[name], None
    return None
