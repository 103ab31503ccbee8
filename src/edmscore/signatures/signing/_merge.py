"""Merging two CMS signatures over the same content: co-signatures and countersignatures.

Several people sign one document, each at their own moment and often through their own signer
(a phone, a cloud service, a token): each signature arrives as its own CMS, and the document
keeps one. :func:`merge_signatures` puts the signers of a second CMS into the first: a signer the
first lacks becomes one more SignerInfo (a co-signature, parallel on the same content); a signer
both hold (the same signature value) keeps the first's and gains the second's countersignatures
(the unsigned ``countersignature`` attribute, RFC 5652 11.4) it lacks, down the chain of
countersignatures. Certificates, CRLs and digest algorithms are joined.

The work is done on the encoded elements as they are: every signed part (signed attributes,
certificates, the content) is copied byte for byte, and the signers keep their order — the
first's, then the second's new ones — so an index into the first's signers still holds.
"""

from __future__ import annotations

from edmscore.errors import CmsFormatError, ValidationError
from edmscore.signatures import _oids, _tlv
from edmscore.signatures._cms import MAX_SIGNATURE_BYTES, parse_signed_data
from edmscore.signatures._decode import guarded, to_der
from edmscore.signatures.signing import _der

__all__ = ["merge_signatures", "only_signer"]

_COUNTERSIGNATURE = "1.2.840.113549.1.9.6"


class _Signed:
    """A SignedData's fields as encoded elements."""

    def __init__(self, data: bytes, name: str) -> None:
        der = to_der(data, what=name, limit=MAX_SIGNATURE_BYTES, error=CmsFormatError)
        parsed = parse_signed_data(der)  # bounds and shape, with typed errors
        if parsed.content_type != _oids.DATA:
            raise ValidationError(name, "a signature over id-data content is needed to merge")
        self.content = parsed.content
        with guarded(name, CmsFormatError):
            fields = _tlv.read(der).children()[1].children()[0].children()
            self.version = _tlv.decode_integer(fields[0].content)
            self.digests = [d.der() for d in fields[1].children()]
            self.encapsulated = fields[2].der()
            optional = fields[3:-1]
            self.certificates = [c.der() for f in optional if f.tag == 0xA0 for c in f.children()]
            self.crls = [c.der() for f in optional if f.tag == 0xA1 for c in f.children()]
            self.signers = list(fields[-1].children())

    def encode(self, signers: list[bytes]) -> bytes:
        parts = [
            _der.tlv(0x02, self.version.to_bytes(1, "big")),
            _der.tlv(0x31, b"".join(self.digests)),
            self.encapsulated,
        ]
        if self.certificates:
            parts.append(_der.tlv(0xA0, b"".join(self.certificates)))
        if self.crls:
            parts.append(_der.tlv(0xA1, b"".join(self.crls)))
        parts.append(_der.tlv(0x31, b"".join(signers)))
        signed = _der.sequence(*parts)
        return _der.sequence(_der.oid(_oids.SIGNED_DATA), _der.tlv(0xA0, signed))


def _value(info: _tlv.Tlv) -> bytes:
    """A SignerInfo's signature value (its one OCTET STRING field)."""
    for field in info.children():
        if field.tag == _tlv.OCTET_STRING:
            return field.content
    raise CmsFormatError("signature: a SignerInfo without its signature value")


def _counters(info: _tlv.Tlv) -> list[_tlv.Tlv]:
    """The countersignatures (SignerInfos) in a SignerInfo's unsigned attributes."""
    found = []
    for field in info.children():
        if field.tag != 0xA1:
            continue
        for attribute in field.children():
            kind, values = attribute.children()[:2]
            if _tlv.decode_oid(kind.content) == _COUNTERSIGNATURE:
                found.extend(values.children())
    return found


def _merge_info(first: _tlv.Tlv, second: _tlv.Tlv) -> bytes:
    """``first`` (a SignerInfo) with the countersignatures of ``second`` (the same signer) it
    lacks, merged down their own countersignatures."""
    own = {_value(c): c for c in _counters(first)}
    merged: dict[bytes, bytes] = {}
    new: list[bytes] = []
    for counter in _counters(second):
        known = own.get(_value(counter))
        if known is None:
            if _value(counter) not in {_value(_tlv.read(n)) for n in new}:
                new.append(counter.der())
        else:
            again = _merge_info(known, counter)
            if again != known.der():
                merged[_value(known)] = again
    if not new and not merged:
        return first.der()
    head = b"".join(f.der() for f in first.children() if f.tag != 0xA1)
    attributes = []
    for field in first.children():
        if field.tag != 0xA1:
            continue
        for attribute in field.children():
            kind, values = attribute.children()[:2]
            if _tlv.decode_oid(kind.content) != _COUNTERSIGNATURE:
                attributes.append(attribute.der())
                continue
            items = [merged.get(_value(v), v.der()) for v in values.children()]
            attributes.append(_der.sequence(kind.der(), _der.tlv(0x31, b"".join(items))))
    if new:
        attributes.append(_der.sequence(_der.oid(_COUNTERSIGNATURE), _der.tlv(0x31, b"".join(new))))
    return _der.tlv(0x30, head + _der.tlv(0xA1, b"".join(attributes)))


def merge_signatures(first: bytes, second: bytes) -> bytes:
    """One CMS with the signers of ``first`` and ``second``, two signatures of the same content.

    Both must be SignedData over id-data, both detached or both holding the same content
    (else :class:`~edmscore.errors.ValidationError`); a damaged one is a
    :class:`~edmscore.errors.CmsFormatError`. The result is DER; merging a signature with
    itself, or with one of its parts, gives the same signers again.
    """
    base = _Signed(first, "first")
    more = _Signed(second, "second")
    if base.content != more.content:
        raise ValidationError("second", "the signatures are over different content")
    with guarded("signature", CmsFormatError):
        signers = [s.der() for s in base.signers]
        index = {_value(s): i for i, s in enumerate(base.signers)}
        for info in more.signers:
            at = index.get(_value(info))
            if at is None:
                index[_value(info)] = len(signers)
                signers.append(info.der())
            else:
                signers[at] = _merge_info(_tlv.read(signers[at]), info)
        for digest in more.digests:
            if digest not in base.digests:
                base.digests.append(digest)
        base.certificates += [c for c in more.certificates if c not in base.certificates]
        base.crls += [c for c in more.crls if c not in base.crls]
        base.version = max(base.version, more.version)
        return base.encode(signers)


def only_signer(signature: bytes, index: int) -> bytes:
    """The CMS ``signature`` with its signer ``index`` alone (its countersignatures kept), to
    check one signer of a joint signature as a signature of its own."""
    signed = _Signed(signature, "signature")
    if not 0 <= index < len(signed.signers):
        raise ValidationError("index", f"the signature has {len(signed.signers)} signer(s)")
    return signed.encode([signed.signers[index].der()])
