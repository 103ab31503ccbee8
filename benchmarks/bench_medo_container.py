"""Receive a 2.7.1 container letter against lxml parse + ``openssl cms -verify`` (issue 16).

The letter: a transport message and a container holding a 10 MB PDF signed once and two signed
attachments (GOST R 34.10-2012 256-bit, edmscore's test CA), stamp images, a passport.
edmscore's side is what a clerk's "check" does: ``read_letter`` (envelope, names, SHA-256 of
every file), the container opened with every member bounded and hashed, the passport read and
mapped to the card, and the three signatures verified with edmscore's CMS verifier (Streebog
through OpenSSL's GOST provider when it loads). The peer: ``lxml`` parses the message and the
passport, and ``openssl cms -verify -engine gost`` checks the same three signatures over the same
files, already unpacked (one process each, as a gateway script runs it). Goal: ratio ≤ 1.3.

Times are medians of wall-clock and of CPU time (this process's, plus the ``openssl`` children's),
the two sides interleaved; on a shared machine the CPU ratio is the steadier one. Run:
``.venv/bin/python benchmarks/bench_medo_container.py``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pendulum
from lxml import etree

from edmscore.exchange.medo import (
    CONTAINER_NS_271,
    CmsVerifier,
    ContainerAttachment,
    ContainerAuthor,
    ContainerReference,
    ContainerSigner,
    Destination,
    Header,
    Message,
    Partner,
    Passport,
    SignatureStatus,
    StampPosition,
    build_container,
    incoming_draft,
    read_letter,
    write_letter,
)
from edmscore.signatures import SubjectFields, accelerated_available
from edmscore.testing.pki import TestPki

DOCUMENT = 10 * 1024 * 1024
ATTACHMENT = 200 * 1024
ROUNDS = 9
UID = "0c2b5a1e-7d3f-4b8a-9e6c-1f2a3b4c5d6e"
SENDER = Partner("6b3f4a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "Министерство")
RECEIVER = Partner("9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "Правительство края")
CONFIG = "[ req ]\ndistinguished_name = dn\n[ dn ]\n"


class _Directory:
    def organisation_by_medo_id(self, medo_id: str) -> None:
        return None


def _letter(folder: Path, pki: TestPki) -> dict[str, bytes]:
    signer = pki.issue(SubjectFields(surname="Соколов", given_name="Андрей", snils="11223344595"))
    files = {
        "document.pdf": b"%PDF-1.7\n" + os.urandom(DOCUMENT),
        "annex1.pdf": b"%PDF-1.7\n" + os.urandom(ATTACHMENT),
        "annex2.pdf": b"%PDF-1.7\n" + os.urandom(ATTACHMENT),
        "regStamp.png": b"\x89PNG\r\n\x1a\n" + os.urandom(2000),
        "stamp.png": b"\x89PNG\r\n\x1a\n" + os.urandom(3000),
    }
    for name in ("document.pdf", "annex1.pdf", "annex2.pdf"):
        files[name.replace(".pdf", ".p7s")] = pki.sign(files[name], signer)
    place = StampPosition(page=1, x=20, y=30, width=60, height=15)
    passport = Passport(
        uid=UID,
        document_name="document.pdf",
        pages=40,
        document_kind="Письмо",
        annotation="О проекте федерального закона",
        authors=(
            ContainerAuthor(
                organization=SENDER.organization,
                number="АС-12/345",
                date=pendulum.date(2024, 4, 1),
                registration_stamp="regStamp.png",
                stamp_position=place,
                signers=(
                    ContainerSigner(
                        "Министр",
                        "Соколов А.В.",
                        "document.p7s",
                        stamp="stamp.png",
                        stamp_position=place,
                    ),
                ),
            ),
        ),
        addressees=((RECEIVER.organization, None),),
        attachments=(
            ContainerAttachment("annex1.pdf", 1, "Расчёт", "annex1.p7s"),
            ContainerAttachment("annex2.pdf", 2, "Записка", "annex2.p7s"),
        ),
        namespace=CONTAINER_NS_271,
    )
    message = Message(
        header=Header(source=SENDER, uid=UID, created=pendulum.now("Europe/Moscow")),
        content=ContainerReference("document.edc.zip"),
        version="2.7.1",
        destinations=(Destination(RECEIVER),),
    )
    write_letter(
        folder / "letter",
        message,
        {"document.edc.zip": build_container(passport, files)},
        addresses=("RECEIVER~MEDOGU",),
    )
    return files


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the ``openssl`` runs)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _time(runs: tuple[Callable[[], object], ...]) -> list[tuple[float, float]]:
    """(median wall, median CPU) seconds of each callable, rounds interleaved."""
    wall: list[list[float]] = [[] for _ in runs]
    cpu: list[list[float]] = [[] for _ in runs]
    for _ in range(ROUNDS):
        for run, into_wall, into_cpu in zip(runs, wall, cpu, strict=True):
            start, start_cpu = time.perf_counter(), _cpu()
            run()
            into_wall.append(time.perf_counter() - start)
            into_cpu.append(_cpu() - start_cpu)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu, strict=True)]


def main() -> None:
    """Build the letter, time both sides, print the figures and the ratio."""
    pki = TestPki.create("gost256")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = _letter(root, pki)
        unpacked = root / "unpacked"
        unpacked.mkdir()
        for name, content in files.items():
            (unpacked / name).write_bytes(content)
        with zipfile.ZipFile(root / "letter" / "document.edc.zip") as archive:
            (unpacked / "passport.xml").write_bytes(archive.read("passport.xml"))
        (root / "ca.der").write_bytes(pki.root.certificate)
        (root / "openssl.cnf").write_text(CONFIG)
        env = {**os.environ, "OPENSSL_CONF": str(root / "openssl.cnf")}
        verifier = CmsVerifier(trust_anchors=[pki.root.certificate])

        def ours() -> None:
            draft = incoming_draft(
                read_letter(root / "letter"),
                directory=_Directory(),
                received_on=pendulum.date(2024, 4, 2),
                verifier=verifier,
            )
            assert all(c.status is SignatureStatus.VALID for c in draft.signatures), (
                draft.signatures
            )

        def peer() -> None:
            etree.fromstring((root / "letter" / "message.xml").read_bytes())
            etree.fromstring((unpacked / "passport.xml").read_bytes())
            for name in ("document.pdf", "annex1.pdf", "annex2.pdf"):
                subprocess.run(
                    [
                        "openssl",
                        "cms",
                        "-engine",
                        "gost",
                        "-verify",
                        "-binary",
                        "-inform",
                        "DER",
                        "-in",
                        name.replace(".pdf", ".p7s"),
                        "-content",
                        name,
                        "-CAfile",
                        str(root / "ca.pem"),
                        "-purpose",
                        "any",
                        "-out",
                        os.devnull,
                    ],
                    cwd=unpacked,
                    env=env,
                    check=True,
                    capture_output=True,
                )

        subprocess.run(
            ["openssl", "x509", "-inform", "DER", "-in", "ca.der", "-out", "ca.pem"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        ours()
        peer()
        (ours_s, ours_cpu), (peer_s, peer_cpu) = _time((ours, peer))
        print("2.7.1 container letter: 10 MiB document + 2 attachments, 3 GOST signatures")
        print(f"GOST accelerated path (OpenSSL provider): {accelerated_available()}")
        print(f"median of {ROUNDS}                        wall ms    CPU ms")
        print(f"edmscore read_letter + incoming_draft : {ours_s * 1e3:8.1f}  {ours_cpu * 1e3:7.1f}")
        print(f"lxml parse x2 + openssl cms -verify x3: {peer_s * 1e3:8.1f}  {peer_cpu * 1e3:7.1f}")
        wall, cpu = ours_s / peer_s, ours_cpu / peer_cpu
        print(f"ratio (goal <= 1.3x)                  : {wall:8.2f}x {cpu:7.2f}x")


if __name__ == "__main__":
    main()
