"""Merging two CMS signatures over the same content: co-signatures and countersignatures.

Several people sign one document, each at their own moment and often through their own signer
(a phone, a cloud service, a token): each signature arrives as its own CMS, and the document
keeps one. :func:`merge_signatures` puts the signers of a second CMS into the first: a signer the
first lacks becomes one more SignerInfo (a co-signature, parallel on the same content); a signer
both hold (the same signature value) keeps the first's and gains the second's countersignatures
(the unsigned ``countersignature`` attribute, RFC 5652 11.4) it lacks. Certificates and digest
algorithms are joined; nothing signed is re-encoded.
"""

from __future__ import annotations

from asn1crypto import algos, cms, core

from edmscore.errors import CmsFormatError, ValidationError
from edmscore.signatures import _oids
from edmscore.signatures._cms import MAX_SIGNATURE_BYTES, parse_signed_data
from edmscore.signatures._decode import to_der

__all__ = ["merge_signatures", "only_signer"]

_COUNTERSIGNATURE = "1.2.840.113549.1.9.6"


def _load(data: bytes, name: str) -> cms.ContentInfo:
    der = to_der(data, what="signature", limit=MAX_SIGNATURE_BYTES, error=CmsFormatError)
    parsed = parse_signed_data(der)  # bounds and shape, with typed errors
    if parsed.content_type != _oids.DATA:
        raise ValidationError(name, "a signature over id-data content is needed to merge")
    try:
        outer = cms.ContentInfo.load(der)
        _ = outer["content"]["signer_infos"].native  # parse everything now, not on write
    except (ValueError, TypeError) as error:  # pragma: no cover - parse_signed_data came first
        raise CmsFormatError(f"{name}: {error}") from error
    return outer


def _counters(info: cms.SignerInfo) -> list[cms.SignerInfo]:
    unsigned = info["unsigned_attrs"]
    if isinstance(unsigned, core.Void):
        return []
    return [
        value
        for attribute in unsigned
        if attribute["type"].dotted == _COUNTERSIGNATURE
        for value in attribute["values"]
    ]


def _add_counters(target: cms.SignerInfo, source: cms.SignerInfo) -> None:
    have = {bytes(c["signature"].native) for c in _counters(target)}
    new = [c for c in _counters(source) if bytes(c["signature"].native) not in have]
    for counter in _counters(source):
        known = next(
            (c for c in _counters(target) if c["signature"].native == counter["signature"].native),
            None,
        )
        if known is not None:
            _add_counters(known, counter)  # countersignatures of countersignatures
    if not new:
        return
    unsigned = target["unsigned_attrs"]
    existing = [] if isinstance(unsigned, core.Void) else list(unsigned)
    existing.append(
        cms.CMSAttribute(
            {"type": "counter_signature", "values": [cms.SignerInfo.load(c.dump()) for c in new]}
        )
    )
    target["unsigned_attrs"] = cms.CMSAttributes(existing)


def merge_signatures(first: bytes, second: bytes) -> bytes:
    """One CMS with the signers of ``first`` and ``second``, two signatures of the same content.

    Both must be SignedData over id-data, both detached or both holding the same content
    (else :class:`~edmscore.errors.ValidationError`). The result is DER; merging a signature
    with itself, or with one of its parts, gives the same signers again.
    """
    base = _load(first, "first")
    more = _load(second, "second")
    signed = base["content"]
    other = more["content"]
    content = signed["encap_content_info"]["content"]
    other_content = other["encap_content_info"]["content"]
    if content.native != other_content.native:
        raise ValidationError("second", "the signatures are over different content")
    infos = list(signed["signer_infos"])
    by_value = {bytes(i["signature"].native): i for i in infos}
    for info in other["signer_infos"]:
        known = by_value.get(bytes(info["signature"].native))
        if known is None:
            copied = cms.SignerInfo.load(info.dump())
            infos.append(copied)
            by_value[bytes(info["signature"].native)] = copied
        else:
            _add_counters(known, info)
    signed["signer_infos"] = cms.SignerInfos(infos)
    digests = list(signed["digest_algorithms"])
    known_digests = {d["algorithm"].dotted for d in digests}
    for digest in other["digest_algorithms"]:
        if digest["algorithm"].dotted not in known_digests:
            digests.append(algos.DigestAlgorithm.load(digest.dump()))
            known_digests.add(digest["algorithm"].dotted)
    signed["digest_algorithms"] = cms.DigestAlgorithms(digests)
    certificates = signed["certificates"]
    current = [] if isinstance(certificates, core.Void) else list(certificates)
    present = {c.dump() for c in current}
    extra = other["certificates"]
    for choice in [] if isinstance(extra, core.Void) else list(extra):
        if choice.dump() not in present:
            current.append(cms.CertificateChoices.load(choice.dump()))
            present.add(choice.dump())
    signed["certificates"] = cms.CertificateSet(current)
    return bytes(base.dump(force=False))


def only_signer(signature: bytes, index: int) -> bytes:
    """The CMS ``signature`` with its signer ``index`` alone (its countersignatures kept), to
    check one signer of a joint signature as a signature of its own."""
    outer = _load(signature, "signature")
    signed = outer["content"]
    infos = list(signed["signer_infos"])
    if not 0 <= index < len(infos):
        raise ValidationError("index", f"the signature has {len(infos)} signer(s)")
    signed["signer_infos"] = cms.SignerInfos([cms.SignerInfo.load(infos[index].dump())])
    return bytes(outer.dump(force=False))
