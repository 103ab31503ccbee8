"""Verify CMS signatures made by edmscore's test PKI: valid, tampered, revoked, GOST."""

from __future__ import annotations

import pendulum

from edmscore.signatures import SubjectFields, VerificationReport, gost_available, verify
from edmscore.testing.pki import TestPki


def _why(report: VerificationReport) -> str:
    return report.reason.value if report.reason is not None else "-"


def main() -> None:
    content = "Приказ № 17 «Об утверждении номенклатуры дел»".encode()
    algorithms = ["rsa", "ecdsa"] + (["gost256"] if gost_available() else [])
    for algorithm in algorithms:
        pki = TestPki.create(algorithm)
        user = pki.issue(
            SubjectFields(
                surname="Иванова",
                given_name="Мария",
                patronymic="Сергеевна",
                position="Начальник общего отдела",
                organization="Министерство примеров",
                snils="11223344595",
                inn="500100732259",
            )
        )
        signature = pki.sign(content, user)
        anchors = [pki.root.certificate]
        report = verify(content, signature, trust_anchors=anchors)
        signer = report.signers[0]
        assert signer.certificate is not None
        print(
            f"{algorithm}: {report.status.value}, {signer.certificate.fields.full_name}, "
            f"{signer.signature_algorithm}, серийный номер {signer.certificate.serial}"
        )
        tampered = verify(content + b" (edited)", signature, trust_anchors=anchors)
        print(f"  tampered content: {tampered.status.value} ({_why(tampered)})")
        pki.revoke(user, at=pendulum.now("UTC").subtract(hours=1))
        revoked = verify(content, signature, trust_anchors=anchors, crls=[pki.crl()])
        print(f"  after revocation: {revoked.status.value} ({_why(revoked)})")
        assert report.valid
        assert not tampered.valid
        assert not revoked.valid
    print(report.to_json()[:400], "…")


if __name__ == "__main__":
    main()
