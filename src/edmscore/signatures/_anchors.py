"""Trust anchors loaded once: the certificates, an index by subject, what could not be read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from edmscore.errors import SignatureError
from edmscore.signatures._certificate import Certificate, load_certificate
from edmscore.signatures._decode import split_pem
from edmscore.signatures._report import Finding, Reason
from edmscore.signatures._tlv import TlvError, read


class TrustAnchors(Sequence[Certificate]):
    """A set of trust anchors decoded once and indexed, for verifying many signatures.

    Build it once (``TrustAnchors.load(bundle)`` or from a trust list) and pass it as
    ``trust_anchors`` to every :func:`~edmscore.signatures.verify` call: decoding the 2,400
    certificates of the accredited-CA list takes seconds, looking one up takes microseconds.
    Certificates that cannot be read are skipped and listed in :attr:`skipped`; the reports of
    signatures verified against the set repeat them.
    """

    def __init__(
        self, certificates: Iterable[Certificate], skipped: Iterable[Finding] = ()
    ) -> None:
        unique: dict[bytes, Certificate] = {}
        for cert in certificates:
            unique.setdefault(cert.der, cert)
        self._certificates = tuple(unique.values())
        self._by_subject: dict[bytes, list[Certificate]] = {}
        for cert in self._certificates:
            self._by_subject.setdefault(cert.subject_key, []).append(cert)
        self._ders = frozenset(unique)
        self.skipped: tuple[Finding, ...] = tuple(skipped)

    @classmethod
    def load(cls, items: Iterable[bytes | Certificate] | bytes) -> TrustAnchors:
        """Decode certificates given one by one (DER, PEM, base64) or as one bundle.

        A bundle is PEM blocks one after another, or DER certificates concatenated. Unreadable
        ones are skipped with a finding naming them by their place.
        """
        if isinstance(items, bytes | bytearray | memoryview):
            items = split_bundle(bytes(items))
        certificates: list[Certificate] = []
        skipped: list[Finding] = []
        for number, item in enumerate(items, start=1):
            try:
                certificates.append(load_certificate(item))
            except SignatureError as exc:
                skipped.append(
                    Finding(
                        Reason.UNREADABLE_CERTIFICATE,
                        f"trust anchor #{number} skipped: {exc}",
                    )
                )
        return cls(certificates, skipped)

    def __len__(self) -> int:
        return len(self._certificates)

    def __getitem__(self, index: int) -> Certificate:  # type: ignore[override]
        return self._certificates[index]

    def __iter__(self) -> Iterator[Certificate]:
        return iter(self._certificates)

    def __contains__(self, item: object) -> bool:
        return isinstance(item, Certificate) and item.der in self._ders

    def with_subject(self, subject_key: bytes) -> Sequence[Certificate]:
        """The anchors whose subject is the name ``subject_key`` (the normalised form)."""
        return self._by_subject.get(subject_key, ())


def split_bundle(data: bytes) -> list[bytes]:
    """The certificates of a bundle: its PEM blocks, or its concatenated DER elements."""
    if b"-----BEGIN" in data:
        return split_pem(data)
    parts: list[bytes] = []
    position = 0
    stripped = data.rstrip(b" \t\r\n\x00")
    while position < len(stripped):
        try:
            element = read(stripped, position)
        except TlvError:
            parts.append(stripped[position:])  # reported as unreadable by the loader
            break
        parts.append(stripped[element.start : element.end])
        position = element.end
    return parts
