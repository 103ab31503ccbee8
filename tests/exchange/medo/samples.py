"""Hand-written MEDO samples shared by the tests."""

from __future__ import annotations

import pendulum

from edmscore.exchange.medo import (
    Addressee,
    AttachedFile,
    Destination,
    Document,
    DocumentContent,
    DocumentNumber,
    FileGroup,
    FileType,
    Header,
    Message,
    Partner,
    Party,
    QualifiedValue,
    Signatory,
    SignedData,
    SignerInfo,
)

SENDER = Partner(uid="A1B2C3D4-0000-1111-2222-333344445555", organization="Правительство края")
RECIPIENT = Partner(uid="b1b2c3d4-0000-1111-2222-333344445555", organization="Администрация района")
MSK = "Europe/Moscow"

DOCUMENT_XML = """<?xml version="1.0" encoding="windows-1251"?>
<x:communication xmlns:x="http://www.infpres.com/IEDMS" x:version="2.2">
  <x:header x:type="Документ" x:uid="3F2504E0-4F89-11D3-9A0C-0305E82C3301"
            x:created="2024-03-01T10:30:00">
    <x:source x:uid="a1b2c3d4-0000-1111-2222-333344445555">
      <x:organization>Правительство края</x:organization>
    </x:source>
  </x:header>
  <x:document x:uid="11111111-2222-3333-4444-555555555555">
    <x:kind>Письмо</x:kind>
    <x:num><x:number> 01-15/123 </x:number><x:date>2024-03-01</x:date></x:num>
    <x:classification>ДСП</x:classification>
    <x:signatories>
      <x:signatory><x:person>Иванов И.И.</x:person><x:signed>2024-03-01</x:signed></x:signatory>
    </x:signatories>
    <x:addressees><x:addressee><x:organization>Район</x:organization></x:addressee></x:addressees>
    <x:pages>2</x:pages>
    <x:annotation>О бюджете на 2024 год</x:annotation>
  </x:document>
  <x:files>
    <x:file x:localName="document.pdf" x:localId="0" x:type="pdf">
      <x:group>Текст документа</x:group>
    </x:file>
  </x:files>
</x:communication>
"""


def document_message(files: tuple[str, ...] = ("document.pdf",), signed: bool = True) -> Message:
    """A small signed document message naming ``files``."""
    when = pendulum.datetime(2024, 3, 1, 10, 0, tz=MSK)
    signer = Party(person=QualifiedValue("Иванов Иван Иванович"))
    attached = tuple(
        AttachedFile(
            local_name=name,
            group=FileGroup.DOCUMENT_TEXT if i == 0 else FileGroup.ENCLOSURE_TEXT,
            local_id=i,
            type=FileType.PDF,
            signed_data=(SignedData(signers=(SignerInfo(f"{name}.p7s", when, signer),)),)
            if signed
            else (),
        )
        for i, name in enumerate(files)
    )
    document = Document(
        uid="11111111-2222-3333-4444-555555555555",
        num=DocumentNumber("01-15/123", pendulum.date(2024, 3, 1)),
        signatories=(Signatory(signer, pendulum.date(2024, 3, 1)),),
        addressees=(Addressee(Party(organization=QualifiedValue("Район")), uid=RECIPIENT.uid),),
        pages=2,
        annotation="О бюджете на 2024 год",
        kind=QualifiedValue("Письмо"),
    )
    return Message(
        header=Header(source=SENDER, uid="3f2504e0-4f89-11d3-9a0c-0305e82c3301", created=when),
        content=DocumentContent(document=document, files=attached),
        destinations=(Destination(partner=RECIPIENT),),
    )
