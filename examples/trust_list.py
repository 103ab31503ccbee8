"""Verify a batch of signatures against the accredited-CA list, read once.

The list here is written in the published layout around a test CA; a host downloads the real
one from the e-trust portal and reloads it when it changes.
"""

from __future__ import annotations

import base64

from edmscore.signatures import (
    SubjectFields,
    TrustAnchors,
    load_certificate,
    load_trust_list,
    verify,
)
from edmscore.testing.pki import TestPki


def _trust_list_xml(root_der: bytes) -> bytes:
    data = base64.b64encode(root_der).decode()
    return f"""<?xml version="1.0" encoding="utf-8"?>
<АккредитованныеУдостоверяющиеЦентры>
  <Версия>16314</Версия><Дата>2026-07-23T12:30:24Z</Дата>
  <УдостоверяющийЦентр>
    <Название>АО «Пример-УЦ»</Название><КраткоеНазвание>Пример-УЦ</КраткоеНазвание>
    <РеестровыйНомер>1234</РеестровыйНомер>
    <ПрограммноАппаратныеКомплексы><ПрограммноАппаратныйКомплекс>
      <Псевдоним>primer-uc</Псевдоним>
      <КлючиУполномоченныхЛиц><Ключ>
        <Сертификаты><ДанныеСертификата><Данные>{data}</Данные></ДанныеСертификата></Сертификаты>
      </Ключ></КлючиУполномоченныхЛиц>
    </ПрограммноАппаратныйКомплекс></ПрограммноАппаратныеКомплексы>
    <СтатусАккредитации><Статус>Действует</Статус><ДействуетС>2021-07-01T00:00:00Z</ДействуетС></СтатусАккредитации>
    <ИсторияСтатусовАккредитации>
      <СтатусАккредитации><Статус>Действует</Статус><ДействуетС>2019-01-01T00:00:00Z</ДействуетС></СтатусАккредитации>
      <СтатусАккредитации><Статус>Приостановлена</Статус><ДействуетС>2020-03-01T00:00:00Z</ДействуетС></СтатусАккредитации>
      <СтатусАккредитации><Статус>Действует</Статус><ДействуетС>2021-07-01T00:00:00Z</ДействуетС></СтатусАккредитации>
    </ИсторияСтатусовАккредитации>
  </УдостоверяющийЦентр>
</АккредитованныеУдостоверяющиеЦентры>""".encode()


def main() -> None:
    pki = TestPki.create("gost256")
    trust_list = load_trust_list(_trust_list_xml(load_certificate(pki.root.certificate).der))
    # Loaded once for the whole batch; an unreadable extra anchor is skipped with a finding.
    extra = TrustAnchors.load([b"not a certificate"])
    anchors = TrustAnchors([*trust_list.anchors(), *extra], extra.skipped)
    ca = trust_list.cas[0]
    print(f"{ca.short_name} (№ {ca.registry_number}): {[s.status for s in ca.history]}")

    user = pki.issue(SubjectFields(surname="Петрова", given_name="Анна Ивановна"))
    batch = {
        "letter-1.pdf": b"first letter",
        "letter-2.pdf": b"second letter",
        "letter-3.pdf": b"third letter",
    }
    for name, content in batch.items():
        signature = pki.sign(content, user)
        if name == "letter-3.pdf":
            signature += b"\r\n\x00"  # as some mail gateways save it
        report = verify(content, signature, trust_anchors=anchors)
        skipped = "; ".join(f.message for f in report.skipped)
        print(f"{name}: {report.status.value} (left out: {skipped})")
        assert report.valid

    answer = trust_list.accreditation(load_certificate(user.certificate))
    assert answer.ca is ca and answer.accredited
    print(f"issued {answer.issued_at.to_date_string()} by an accredited CA: {answer.accredited}")
    assert not ca.accredited_at(answer.issued_at.set(year=2020, month=6))


if __name__ == "__main__":
    main()
