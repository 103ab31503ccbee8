"""Sign through an external signer: prepare the CAdES request, let a "phone" sign, assemble.

The phone is edmscore's reference remote service with a local key; a real host plugs its
transport to a mobile app or a cloud signing service into the same shape.
"""

from __future__ import annotations

import pendulum

from edmscore.errors import SignatureValueInvalid, SigningRequestUnknown
from edmscore.signatures import SubjectFields, gost_available
from edmscore.signatures.signing import (
    InProcessSigningService,
    LocalKeySigner,
    SigningDesk,
    prepare_countersignature,
)
from edmscore.testing.pki import TestPki


def main() -> None:
    content = "Постановление главы района № 45 «О мерах поддержки»".encode()
    algorithm = "gost256" if gost_available() else "ecdsa"
    pki = TestPki.create(algorithm)
    head = pki.issue(SubjectFields(common_name="Орлов Виктор Викторович", surname="Орлов"))
    deputy = pki.issue(SubjectFields(common_name="Громов Илья Павлович", surname="Громов"))
    desk = SigningDesk(trust_anchors=[pki.root.certificate])
    phone = InProcessSigningService(LocalKeySigner(head.private_key_pem))

    request = desk.prepare(content, head.certificate, valid_for=pendulum.duration(minutes=30))
    print(f"запрос {request.id[:8]}…: подписать хэш {request.to_be_signed_digest.hex()[:16]}…")
    phone.submit(request)
    assert desk.poll(phone, request.id, content) is None
    phone.answer(request.id)
    signed = desk.poll(phone, request.id, content)
    assert signed is not None
    print(f"подпись собрана: {signed.report.status.value}, {len(signed.signature)} байт")
    try:
        desk.poll(phone, request.id, content)
    except SigningRequestUnknown:
        print("повторный ответ отклонён: запрос уже исполнен")

    counter = prepare_countersignature(signed.signature, deputy.certificate)
    desk.pending.put(counter)
    value = bytearray(LocalKeySigner(deputy.private_key_pem).sign(counter))
    try:
        desk.deliver(counter.id, bytes(value[:-1]) + bytes([value[-1] ^ 1]), None)
    except SignatureValueInvalid:
        print("искажённая заверяющая подпись отклонена")
    countersigned = desk.deliver(counter.id, bytes(value), None)
    report = countersigned.report
    print(f"заверяющая подпись: {report.signers[0].countersignatures[0].status.value}")


if __name__ == "__main__":
    main()
