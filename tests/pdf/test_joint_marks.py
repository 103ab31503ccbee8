"""A document signed by several people gets a mark per signature: co-signers and the
countersigner of one of them, none overlapping, each legible in the stamped page's text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pendulum
import pytest

from edmscore.pdf import ESignatureMark, SignatureMarkData, Stamp, stamp_pdf
from edmscore.signatures import SubjectFields, verify
from edmscore.signatures.signing import (
    LocalKeySigner,
    assemble,
    merge_signatures,
    prepare,
    prepare_countersignature,
)
from edmscore.testing.pki import TestPki

CORPUS = Path(__file__).parent.parent / "corpus" / "pdf"
AT = pendulum.datetime(2026, 3, 2, 12, tz="UTC")


def _joint_report(content: bytes) -> object:
    pki = TestPki.create("ecdsa", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    people = [
        pki.issue(SubjectFields(surname=s, given_name=g, common_name=f"{s} {g}"))
        for s, g in (("Соколов", "Андрей Викторович"), ("Зуев", "Павел Олегович"))
    ]
    accountant = pki.issue(
        SubjectFields(surname="Белова", given_name="Ирина Андреевна", common_name="Белова И.А.")
    )
    signatures = []
    for person in people:
        request = prepare(content, person.certificate, at=AT)
        value = LocalKeySigner(person.private_key_pem).sign(request)
        signatures.append(assemble(request, value, content, at=AT).signature)
    joint = merge_signatures(*signatures)
    report = verify(content, joint, trust_anchors=[pki.root.certificate], at=AT)
    head = next(
        i
        for i, s in enumerate(report.signers)
        if s.certificate is not None and s.certificate.fields.surname == "Соколов"
    )
    request = prepare_countersignature(joint, accountant.certificate, index=head, at=AT)
    value = LocalKeySigner(accountant.private_key_pem).sign(request)
    countersigned = assemble(request, value, content, at=AT).signature
    return verify(content, countersigned, trust_anchors=[pki.root.certificate], at=AT)


def test_every_signature_of_a_joint_document_gets_its_mark(tmp_path: Path) -> None:
    pdf = (CORPUS / "google-docs-letter.pdf").read_bytes()
    report = _joint_report(pdf)
    data = SignatureMarkData.from_report(report)
    owners = [d.owner for d in data]
    assert sorted(owners) == [
        "Белова Ирина Андреевна",
        "Зуев Павел Олегович",
        "Соколов Андрей Викторович",
    ]
    # The countersigner follows the signature they countersign.
    assert owners.index("Белова Ирина Андреевна") == owners.index("Соколов Андрей Викторович") + 1
    result = stamp_pdf(pdf, [Stamp(ESignatureMark(d)) for d in data])
    boxes = [p.box_mm for p in result.placements]
    assert len(boxes) == 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            disjoint = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert disjoint, (a, b)
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    (tmp_path / "out.pdf").write_bytes(result.pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "out.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    for owner in owners:
        assert owner in " ".join(text.split())
