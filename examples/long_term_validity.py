"""A signature that outlives its certificate: CAdES-BES → CAdES-T → CAdES-X Long Type 1,
verified years later with the proof in the report, and recorded on the letter's card.

The test PKI stands in for an accredited CA, its TSA and its OCSP responder.
Run: python examples/long_term_validity.py
"""

from __future__ import annotations

import pendulum

from edmscore import (
    CardDetails,
    CardKind,
    Edms,
    FixedClock,
    Journal,
    Organisation,
    RegistrationRequest,
    User,
)
from edmscore.registry import Correspondent
from edmscore.signatures import SubjectFields, verify
from edmscore.signatures.evidence import (
    add_esc_timestamp,
    add_signature_timestamp,
    add_validation_data,
    esc_timestamp_imprint,
    signature_timestamp_imprint,
)
from edmscore.signatures.ltv import verify_ltv
from edmscore.testing.ltv import ocsp_response, timestamp_token
from edmscore.testing.pki import TestPki

SIGNED = pendulum.datetime(2023, 5, 15, 9, 0, tz="UTC")
TODAY = pendulum.datetime(2026, 3, 2, 10, 0, tz="UTC")


def main() -> None:
    content = "Письмо № 12-04/77 о предоставлении сведений".encode()
    pki = TestPki.create("ecdsa", not_before=SIGNED.subtract(years=2))
    signer = pki.issue(
        SubjectFields(surname="Иванова", given_name="Мария Сергеевна", snils="11223344595"),
        not_before=SIGNED.subtract(months=3),
        not_after=SIGNED.add(months=9),  # expired long before today
    )
    tsa = pki.issue(
        SubjectFields(common_name="Служба штампов времени"),
        not_before=SIGNED.subtract(months=3),
        not_after=SIGNED.add(years=6),
        time_stamping=True,
    )
    anchors = [pki.root.certificate]
    bes = pki.sign(content, signer, signing_time=SIGNED)
    plain = verify(content, bes, trust_anchors=anchors, at=TODAY)
    print("CAdES-BES today:", plain.status.value, plain.reason.value if plain.reason else "")

    # The host asks its TSA for a token over the signature value (here: the test TSA).
    token = timestamp_token(tsa, signature_timestamp_imprint(bes), at=SIGNED.add(minutes=1))
    cades_t = add_signature_timestamp(bes, token)
    # …and its CA's OCSP responder, then a second token over the whole: X Long Type 1.
    status = ocsp_response(pki.root, signer, this_update=SIGNED.add(minutes=5), wrapped=False)
    with_values = add_validation_data(cades_t, certificates=anchors, ocsp_responses=[status])
    esc = timestamp_token(tsa, esc_timestamp_imprint(with_values), at=SIGNED.add(minutes=6))
    x_long = add_esc_timestamp(with_values, esc)

    report = verify_ltv(content, x_long, trust_anchors=anchors, at=TODAY)
    result = report.signers[0]
    print(f"{result.level.value} today: {report.status.value}")
    print("  proof:", result.proof)
    for evidence in result.evidence:
        print(f"  {evidence.kind.value}: {evidence.status.value} ({evidence.time})")
    assert not plain.valid and report.valid

    # The letter arrives and is registered; its signature and the check go on the card.
    edms = Edms(clock=FixedClock(TODAY))
    admin = edms.setup(Organisation("mcr", "Министерство примеров"), User("admin", "admin", "mcr"))
    edms.admin.put_user(admin.id, User("clerk", "clerk", "mcr", roles=("registrar",)))
    journal = edms.admin.create_journal(
        admin.id, Journal("in", "mcr", "ВХ", "Входящие", "вх-{seq}", {CardKind.INCOMING})
    )
    details = CardDetails(
        kind=CardKind.INCOMING,
        document_kind="Письмо",
        summary="О предоставлении сведений",
        correspondents=(Correspondent("Министерство финансов"),),
        received_on=TODAY.date(),
    )
    card = edms.records.register("clerk", RegistrationRequest(journal.id, details))
    edms.signatures.record("clerk", card.id, x_long, report, file_name="letter.pdf")
    for record in edms.signatures.signatures("clerk", card.id):
        print(f"card {card.number}: {record.signer}, сертификат {record.certificate_serial}")
        print(f"  {record.check_result}; {record.level}; подписано {record.signing_time}")


if __name__ == "__main__":
    main()
