"""The accredited-CA list (Минцифры's XML) read into trust anchors and accreditation answers.

No copy of the list itself is in a public repository (see tests/corpus/pki/PROVENANCE.md), so
these tests write a list in its published layout around the real certificates of the corpus,
with the validity periods the list states for them; the accreditation histories are chosen by
each test.
"""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

import pendulum
import pytest

from edmscore.errors import TrustListError
from edmscore.signatures import (
    Reason,
    TrustAnchors,
    load_certificate,
    load_trust_list,
)
from edmscore.signatures._path import SignedObjectChecker, build_path
from tests.signatures._corpus import CORPUS, accredited_ders, accredited_index

ROOT_ALIASES = {"Головной_удостоверяющий_центр", "Минкомсвязь_России", "Минцифры_России"}


def _certificate_xml(der: bytes, start: str | None, end: str | None) -> str:
    dates = ""
    if start is not None and end is not None:
        dates = (
            f"<ПериодДействияС>{start}</ПериодДействияС><ПериодДействияДо>{end}</ПериодДействияДо>"
        )
    data = base64.b64encode(der).decode()
    return f"<ДанныеСертификата>{dates}<Данные>{data}</Данные></ДанныеСертификата>"


def _ca_xml(
    name: str, number: str, certificates: list[tuple[bytes, str | None, str | None]], history: str
) -> str:
    certs = "".join(_certificate_xml(*item) for item in certificates)
    return (
        f"<УдостоверяющийЦентр><Название>{escape(name)}</Название>"
        f"<КраткоеНазвание>{escape(name)}</КраткоеНазвание><ОГРН>1047702026701</ОГРН>"
        "<ПрограммноАппаратныеКомплексы><ПрограммноАппаратныйКомплекс>"
        f"<Псевдоним>{escape(name)}</Псевдоним><КлючиУполномоченныхЛиц><Ключ>"
        "<ИдентификаторКлюча>00</ИдентификаторКлюча>"
        "<АдресаСписковОтзыва><Адрес>http://example.invalid/ca.crl</Адрес></АдресаСписковОтзыва>"
        f"<Сертификаты>{certs}</Сертификаты></Ключ></КлючиУполномоченныхЛиц>"
        "</ПрограммноАппаратныйКомплекс></ПрограммноАппаратныеКомплексы>"
        f"<РеестровыйНомер>{number}</РеестровыйНомер>{history}</УдостоверяющийЦентр>"
    )


def _history(*entries: tuple[str, str]) -> str:
    items = "".join(
        f"<СтатусАккредитации><Статус>{status}</Статус><ДействуетС>{since}</ДействуетС>"
        "</СтатусАккредитации>"
        for status, since in entries
    )
    current = entries[-1]
    return (
        f"<СтатусАккредитации><Статус>{current[0]}</Статус><ДействуетС>{current[1]}</ДействуетС>"
        f"</СтатусАккредитации><ИсторияСтатусовАккредитации>{items}</ИсторияСтатусовАккредитации>"
    )


def _corpus_list(root_history: str, *, every: int = 40) -> bytes:
    """The roots as one CA; a sample of the other certificates, one CA per alias."""
    ders = accredited_ders()
    index = accredited_index()
    roots = [
        (d, s, e) for d, (_, alias, s, e) in zip(ders, index, strict=True) if alias in ROOT_ALIASES
    ]
    others: dict[str, list[tuple[bytes, str | None, str | None]]] = {}
    for number, (der, (_, alias, start, end)) in enumerate(zip(ders, index, strict=True)):
        if alias not in ROOT_ALIASES and number % every == 0:
            others.setdefault(alias, []).append((der, start, end))
    cas = [_ca_xml("Минцифры России", "0", roots, root_history)]
    cas += [
        _ca_xml(alias, str(number), certs, _history(("Действует", "2012-01-01T00:00:00Z")))
        for number, (alias, certs) in enumerate(sorted(others.items()), start=1)
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<АккредитованныеУдостоверяющиеЦентры xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<Версия>16314</Версия><Дата>2026-07-23T12:30:24Z</Дата>"
        + "".join(cas)
        + "</АккредитованныеУдостоверяющиеЦентры>"
    ).encode()


ACTIVE_SINCE_2011 = _history(("Действует", "2011-07-01T00:00:00Z"))


def test_the_list_reads_into_anchors() -> None:
    trust_list = load_trust_list(_corpus_list(ACTIVE_SINCE_2011))
    assert trust_list.version == "16314"
    assert trust_list.date == pendulum.datetime(2026, 7, 23, 12, 30, 24, tz="UTC")
    root_ca = trust_list.cas[0]
    assert root_ca.name == "Минцифры России" and root_ca.registry_number == "0"
    assert len(root_ca.certificates) >= 6
    assert root_ca.crl_urls == ("http://example.invalid/ca.crl",)
    listed = root_ca.certificates[0]
    cert = load_certificate(listed.der)
    # The validity the list states is the certificate's own.
    assert listed.listed_from is not None and abs(listed.listed_from - cert.not_before).days < 1
    anchors = trust_list.anchors()
    assert anchors is trust_list.anchors()  # decoded once
    assert len(anchors) == sum(len(ca.certificates) for ca in trust_list.cas)
    assert anchors.skipped == ()


def test_was_the_ca_accredited_when_it_issued() -> None:
    trust_list = load_trust_list(_corpus_list(ACTIVE_SINCE_2011))
    roots = TrustAnchors([c for c in trust_list.anchors() if c.self_issued])
    # A CA certificate of the list issued by one of the roots (checked cryptographically).
    checker = SignedObjectChecker(None)
    issued = next(
        cert
        for cert in trust_list.anchors()
        if not cert.self_issued
        and len(build_path(cert, pool=(), anchors=roots, checker=checker).chain) == 2
    )
    answer = trust_list.accreditation(issued)
    assert answer.ca is trust_list.cas[0]
    assert answer.accredited
    assert answer.status is not None and answer.status.status == "Действует"
    assert answer.issued_at == issued.not_before

    # The same list where the root CA's accreditation was suspended then, and later restored.
    before = issued.not_before.subtract(days=30).format("YYYY-MM-DD[T]HH:mm:ss[Z]")
    after = issued.not_before.add(days=30).format("YYYY-MM-DD[T]HH:mm:ss[Z]")
    history = _history(
        ("Действует", "2011-07-01T00:00:00Z"), ("Приостановлена", before), ("Действует", after)
    )
    suspended = load_trust_list(_corpus_list(history))
    answer = suspended.accreditation(issued)
    assert not answer.accredited
    assert answer.status is not None and answer.status.status == "Приостановлена"
    ca = suspended.cas[0]
    assert ca.accredited_at(issued.not_before.add(days=31))
    assert not ca.accredited_at(pendulum.datetime(2011, 1, 1, tz="UTC"))


def test_a_certificate_of_an_unlisted_issuer() -> None:
    trust_list = load_trust_list(_corpus_list(ACTIVE_SINCE_2011, every=10_000))
    outsider = load_certificate((CORPUS / "ddulesov-gost2001-ca.pem").read_bytes())
    assert trust_list.issuer_of(outsider) is None
    answer = trust_list.accreditation(outsider)
    assert answer.ca is None and not answer.accredited


def test_an_unreadable_listed_certificate_is_skipped() -> None:
    xml = _corpus_list(ACTIVE_SINCE_2011, every=10_000).replace(
        "<Данные>".encode(), "<Данные>AAAA".encode(), 1
    )
    anchors = load_trust_list(xml).anchors()
    assert [f.reason for f in anchors.skipped] == [Reason.UNREADABLE_CERTIFICATE]
    assert "Минцифры России" in anchors.skipped[0].message
    assert len(anchors) >= 5


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<not-xml",
        b"<TrustServiceStatusList/>",
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + "<АккредитованныеУдостоверяющиеЦентры><Дата>&x;</Дата>".encode()
        + "</АккредитованныеУдостоверяющиеЦентры>".encode(),
        "<АккредитованныеУдостоверяющиеЦентры><Дата>вчера</Дата>".encode()
        + "</АккредитованныеУдостоверяющиеЦентры>".encode(),
    ],
)
def test_bad_lists_are_refused(data: bytes) -> None:
    try:
        trust_list = load_trust_list(data)
    except TrustListError:
        return
    # An entity is never expanded: the date stays empty rather than holding a file.
    assert trust_list.date is None and trust_list.cas == ()
