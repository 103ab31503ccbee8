"""Read a MEDO letter (10 MB attachment, 50 addressees) against a bare lxml parse plus SHA-256.

edmscore's ``read_letter`` checks the envelope and every file name, parses the message with the
hardened parser into the typed model (lengths, enumerations, GUIDs), and streams every file
through SHA-256. The raw limit is ``lxml.etree.fromstring`` of the same XML and ``hashlib.sha256``
of the attachment. Goal: ratio ≤ 1.3.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pendulum
from lxml import etree

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
    read_letter,
    write_letter,
)

ADDRESSEES = 50
ATTACHMENT = 10 * 1024 * 1024
ROUNDS = 41


def _message() -> Message:
    when = pendulum.datetime(2024, 3, 1, 10, tz="Europe/Moscow")
    partners = [
        Partner(uid=str(uuid.UUID(int=i + 1)), organization=f"Администрация района № {i}")
        for i in range(ADDRESSEES)
    ]
    signer = Party(person=QualifiedValue("Иванов Иван Иванович"), post=QualifiedValue("Губернатор"))
    document = Document(
        uid=str(uuid.uuid4()),
        num=DocumentNumber("01-15/123", pendulum.date(2024, 3, 1)),
        signatories=(Signatory(signer, pendulum.date(2024, 3, 1)),),
        addressees=tuple(
            Addressee(Party(organization=QualifiedValue(p.organization)), uid=p.uid)
            for p in partners
        ),
        pages=120,
        annotation="О проекте закона края о бюджете на очередной финансовый год",
        kind=QualifiedValue("Письмо"),
    )
    files = (
        AttachedFile(
            "document.pdf",
            FileGroup.DOCUMENT_TEXT,
            0,
            FileType.PDF,
            signed_data=(SignedData((SignerInfo("document.pdf.p7s", when, signer),)),),
        ),
    )
    return Message(
        header=Header(
            source=Partner(str(uuid.uuid4()), "Правительство края"), uid=str(uuid.uuid4())
        ),
        content=DocumentContent(document, files),
        destinations=tuple(Destination(p) for p in partners),
    )


def _time(runs: tuple[Callable[[], object], ...]) -> list[float]:
    """Median time of each callable, the rounds interleaved so both see the same machine load."""
    samples: list[list[float]] = [[] for _ in runs]
    for _ in range(ROUNDS):
        for run, into in zip(runs, samples, strict=True):
            start = time.perf_counter()
            run()
            into.append(time.perf_counter() - start)
    return [statistics.median(s) for s in samples]


def main() -> None:
    """Build the letter in a temporary folder, time both sides, print the figures and ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_letter(
            Path(tmp) / "letter",
            _message(),
            {"document.pdf": os.urandom(ATTACHMENT), "document.pdf.p7s": os.urandom(3000)},
            addresses=("GOSD_S~MEDOGU",),
            encoding="windows-1251",
        )
        xml_path = folder / "document.xml"
        pdf_path = folder / "document.pdf"

        def bare() -> None:
            etree.fromstring(xml_path.read_bytes())
            hashlib.sha256(pdf_path.read_bytes()).hexdigest()

        def ours() -> None:
            read_letter(folder)

        bare()
        ours()
        ours_s, bare_s = _time((ours, bare))
        xml_kib = xml_path.stat().st_size / 1024
        print(f"letter: {ADDRESSEES} addressees, message {xml_kib:.0f} KiB, attachment 10 MiB")
        print(f"edmscore read_letter        : {ours_s * 1000:8.2f} ms (median of {ROUNDS})")
        print(f"lxml parse + sha256 (bare)  : {bare_s * 1000:8.2f} ms (median of {ROUNDS})")
        print(f"ratio                       : {ours_s / bare_s:8.2f}x (goal <= 1.3x)")


if __name__ == "__main__":
    main()
