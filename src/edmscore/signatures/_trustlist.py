"""The accredited-CA list: Минцифры's trusted-services list of accredited CAs, read as anchors.

The root element is «АккредитованныеУдостоверяющиеЦентры».

The e-trust portal publishes it as XML: one ``УдостоверяющийЦентр`` per CA, with its registry
number, its accreditation status and the history of that status, and under
``ПрограммноАппаратныеКомплексы/…/Ключ/Сертификаты`` the CA certificates of each of its keys,
base64 DER in ``Данные`` with the validity period the list states. The host downloads the file
(the library opens no connection) and reloads it when it changes; :func:`load_trust_list` reads
it once into a :class:`TrustList`, whose :meth:`TrustList.anchors` are the trust anchors for
:func:`~edmscore.signatures.verify` and whose :meth:`TrustList.accreditation` answers "was this
CA accredited when it issued this certificate".
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

import attrs
import pendulum
from lxml import etree

from edmscore.errors import TrustListError
from edmscore.signatures._anchors import TrustAnchors
from edmscore.signatures._certificate import Certificate
from edmscore.signatures._report import Finding, Reason

MAX_TRUST_LIST_BYTES = 256 << 20
ACTIVE = "Действует"


@attrs.frozen
class AccreditationStatus:
    """One entry of a CA's status history: the status and the moment it took effect."""

    status: str
    since: pendulum.DateTime | None

    @property
    def active(self) -> bool:
        """Whether the status is «Действует» (accredited)."""
        return self.status == ACTIVE


@attrs.frozen
class ListedCertificate:
    """A CA certificate as the list gives it, with the validity period the list states."""

    der: bytes = attrs.field(repr=False)
    key_id: str | None
    listed_from: pendulum.DateTime | None
    listed_to: pendulum.DateTime | None


@attrs.frozen
class AccreditedCa:
    """One accredited CA (удостоверяющий центр) of the list."""

    name: str
    short_name: str | None
    registry_number: str | None
    ogrn: str | None
    inn: str | None
    history: tuple[AccreditationStatus, ...]
    certificates: tuple[ListedCertificate, ...] = attrs.field(repr=False)
    crl_urls: tuple[str, ...] = attrs.field(repr=False)

    def status_at(self, moment: pendulum.DateTime) -> AccreditationStatus | None:
        """The status in force at ``moment`` (the latest that took effect by then), if any."""
        current: AccreditationStatus | None = None
        for entry in self.history:
            if (
                entry.since is not None
                and entry.since <= moment
                and (current is None or current.since is None or entry.since >= current.since)
            ):
                current = entry
        return current

    def accredited_at(self, moment: pendulum.DateTime) -> bool:
        """Whether the CA was accredited («Действует») at ``moment``."""
        status = self.status_at(moment)
        return status is not None and status.active


@attrs.frozen
class Accreditation:
    """The answer for one certificate: which listed CA issued it and its status at issue time."""

    certificate_subject: str
    issued_at: pendulum.DateTime
    ca: AccreditedCa | None
    status: AccreditationStatus | None

    @property
    def accredited(self) -> bool:
        """Whether the issuing CA is on the list and was accredited when it issued."""
        return self.status is not None and self.status.active


class TrustList:
    """A loaded accredited-CA list: its CAs, their certificates as trust anchors, and lookups."""

    def __init__(
        self,
        cas: Iterable[AccreditedCa],
        *,
        version: str | None = None,
        date: pendulum.DateTime | None = None,
    ) -> None:
        self.cas: tuple[AccreditedCa, ...] = tuple(cas)
        self.version = version
        self.date = date
        self._anchors: TrustAnchors | None = None
        self._owner: dict[bytes, AccreditedCa] = {}

    def anchors(self) -> TrustAnchors:
        """Every listed CA certificate as trust anchors (decoded on first call, then kept)."""
        if self._anchors is None:
            certificates: list[Certificate] = []
            skipped: list[Finding] = []
            for ca in self.cas:
                for listed in ca.certificates:
                    loaded = TrustAnchors.load([listed.der])
                    for cert in loaded:
                        certificates.append(cert)
                        self._owner.setdefault(cert.der, ca)
                    skipped += [
                        Finding(
                            Reason.UNREADABLE_CERTIFICATE,
                            f"a certificate of «{ca.short_name or ca.name}» skipped: "
                            + f.message.split(": ", 1)[-1],
                        )
                        for f in loaded.skipped
                    ]
            self._anchors = TrustAnchors(certificates, skipped)
        return self._anchors

    def ca_of(self, certificate: Certificate) -> AccreditedCa | None:
        """The listed CA that owns ``certificate`` (one of its CA certificates), if any."""
        self.anchors()
        return self._owner.get(certificate.der)

    def issuer_of(self, certificate: Certificate) -> Certificate | None:
        """The listed CA certificate that issued ``certificate`` (by name and key identifier).

        The signature is not checked here; :func:`~edmscore.signatures.verify` does that.
        """
        for candidate in self.anchors().with_subject(certificate.issuer_key):
            if (
                certificate.authority_key_id is None
                or candidate.subject_key_id is None
                or certificate.authority_key_id == candidate.subject_key_id
            ) and candidate.valid_at(certificate.not_before):
                return candidate
        return None

    def accreditation(self, certificate: Certificate) -> Accreditation:
        """Whether the CA that issued ``certificate`` was accredited at its issue time.

        The issue time is the certificate's notBefore. A certificate whose issuer is not on the
        list gets ``ca=None`` (not accredited).
        """
        issued = certificate.not_before
        issuer = self.issuer_of(certificate)
        ca = None if issuer is None else self.ca_of(issuer)
        return Accreditation(
            certificate_subject=certificate.subject,
            issued_at=issued,
            ca=ca,
            status=None if ca is None else ca.status_at(issued),
        )


def load_trust_list(data: bytes) -> TrustList:
    """Read the accredited-CA list XML (UTF-8, as the e-trust portal serves it).

    Entities, DTDs and network access are off. Raises :class:`~edmscore.errors.TrustListError`
    for a file that is not such a list.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TrustListError(f"trust list: expected bytes, got {type(data).__name__}")
    if len(data) > MAX_TRUST_LIST_BYTES:
        raise TrustListError(f"trust list: larger than {MAX_TRUST_LIST_BYTES} bytes")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        root = etree.fromstring(bytes(data), parser)
    except etree.XMLSyntaxError as exc:
        raise TrustListError(f"trust list: not well-formed XML ({exc})") from None
    if _local(root) != "АккредитованныеУдостоверяющиеЦентры":
        raise TrustListError(
            f"trust list: the root element is «{_local(root)}», "
            "not «АккредитованныеУдостоверяющиеЦентры»"
        )
    cas = [_ca(element) for element in _children(root, "УдостоверяющийЦентр")]
    date_text = _text(root, "Дата")
    return TrustList(cas, version=_text(root, "Версия"), date=_time(date_text, "Дата"))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: etree._Element, name: str) -> str | None:
    child = _child(element, name)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _time(text: str | None, what: str) -> pendulum.DateTime | None:
    if text is None:
        return None
    try:
        parsed = pendulum.parse(text)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        raise TrustListError(f"trust list: {what} is not a date: {text[:40]}") from None
    if isinstance(parsed, pendulum.DateTime):
        return parsed.in_tz("UTC")
    if isinstance(parsed, pendulum.Date):
        return pendulum.datetime(parsed.year, parsed.month, parsed.day, tz="UTC")
    raise TrustListError(f"trust list: {what} is not a date: {text[:40]}")


def _status(element: etree._Element) -> AccreditationStatus:
    status = _text(element, "Статус") or ""
    return AccreditationStatus(status, _time(_text(element, "ДействуетС"), "ДействуетС"))


def _ca(element: etree._Element) -> AccreditedCa:
    history: list[AccreditationStatus] = []
    for container in _children(element, "ИсторияСтатусовАккредитации"):
        history += [_status(item) for item in _children(container, "СтатусАккредитации")]
    current = _child(element, "СтатусАккредитации")
    if current is not None:
        entry = _status(current)
        if entry not in history:
            history.append(entry)
    certificates: list[ListedCertificate] = []
    crl_urls: list[str] = []
    for complexes in _children(element, "ПрограммноАппаратныеКомплексы"):
        for complex_ in _children(complexes, "ПрограммноАппаратныйКомплекс"):
            for keys in _children(complex_, "КлючиУполномоченныхЛиц"):
                for key in _children(keys, "Ключ"):
                    key_id = _text(key, "ИдентификаторКлюча")
                    for addresses in _children(key, "АдресаСписковОтзыва"):
                        crl_urls += [
                            a.text.strip() for a in _children(addresses, "Адрес") if a.text
                        ]
                    for certs in _children(key, "Сертификаты"):
                        for data in _children(certs, "ДанныеСертификата"):
                            certificates.append(_listed(data, key_id))
    history.sort(key=lambda s: (s.since is None, s.since or pendulum.datetime(1970, 1, 1)))
    return AccreditedCa(
        name=_text(element, "Название") or "",
        short_name=_text(element, "КраткоеНазвание"),
        registry_number=_text(element, "РеестровыйНомер"),
        ogrn=_text(element, "ОГРН"),
        inn=_text(element, "ИНН"),
        history=tuple(history),
        certificates=tuple(certificates),
        crl_urls=tuple(dict.fromkeys(crl_urls)),
    )


def _listed(element: etree._Element, key_id: str | None) -> ListedCertificate:
    text = _text(element, "Данные") or ""
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        der = b""  # reported as an unreadable certificate when the anchors are built
    return ListedCertificate(
        der=der,
        key_id=key_id,
        listed_from=_time(_text(element, "ПериодДействияС"), "ПериодДействияС"),
        listed_to=_time(_text(element, "ПериодДействияДо"), "ПериодДействияДо"),
    )
