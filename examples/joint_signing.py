"""A joint order signed by two ministers and countersigned by the chief accountant.

Run: ``python examples/joint_signing.py``. The route names two signatories besides the draft's
own: the second minister co-signs (a joint document, совместный документ) and the chief
accountant countersigns the first minister's signature (заверительная подпись). The first
minister signs on the phone (through the signing port), the second hands in a finished
signature, the accountant's phone countersigns; the draft is registered with the last signature,
and the one CMS holds every signer.
"""

from __future__ import annotations

import pendulum

from edmscore import Edms, FixedClock, Official, Organisation, PersonName, User
from edmscore.approval import (
    DraftFile,
    DraftRequest,
    ParticipantSpec,
    SignatorySpec,
    StageSpec,
    VisaDecision,
)
from edmscore.registry import CardDetails, CardKind, Journal
from edmscore.signatures import SubjectFields, gost_available, verify
from edmscore.signatures.signing import LocalKeySigner, assemble, prepare
from edmscore.testing.pki import Identity, TestPki

PEOPLE = (
    ("author", "Орлова Мария Петровна", "Консультант", ("executor",)),
    ("lawyer", "Ким Елена Сергеевна", "Начальник правового отдела", ("executor",)),
    ("digital", "Соколов Андрей Викторович", "Министр цифрового развития", ("head", "registrar")),
    ("finance", "Лаптева Ольга Ивановна", "Министр финансов", ("head",)),
    ("accountant", "Белов Игорь Андреевич", "Главный бухгалтер", ("head",)),
)


def main() -> None:
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk"))
    pki = TestPki.create(
        "gost256" if gost_available() else "ecdsa",
        not_before=pendulum.datetime(2025, 1, 1, tz="UTC"),
    )
    edms = Edms(clock=clock, trust_anchors=[pki.root.certificate])
    org = Organisation("gov", "Правительство Амурской области", timezone="Asia/Yakutsk")
    admin = edms.setup(org, User("admin", "admin", org.id))
    keys: dict[str, Identity] = {}
    for key, name, position, roles in PEOPLE:
        edms.admin.put_official(admin.id, Official(key, org.id, PersonName.parse(name), position))
        edms.admin.put_user(admin.id, User(f"u-{key}", key, org.id, key, roles=roles))
        surname, given, patronymic = name.split()
        keys[key] = pki.issue(
            SubjectFields(
                common_name=name, surname=surname, given_name=given, patronymic=patronymic
            ),
            not_before=pendulum.datetime(2025, 6, 1, tz="UTC"),
            not_after=pendulum.datetime(2027, 6, 1, tz="UTC"),
        )
    edms.admin.create_journal(
        admin.id, Journal("pr", org.id, "ПР", "Проекты", "П-{seq}", {CardKind.DRAFT})
    )
    edms.admin.create_journal(
        admin.id, Journal("ord", org.id, "ПРК", "Приказы", "{seq}-пр", {CardKind.INTERNAL})
    )
    service = edms.approval
    order = "Совместный приказ «О финансировании цифровых проектов»".encode()
    draft = service.create_draft(
        "u-author",
        DraftRequest(
            "pr",
            CardDetails(kind=CardKind.DRAFT, document_kind="Приказ", summary="О цифровых проектах"),
            CardKind.INTERNAL,
            "digital",
            (DraftFile("order.pdf", order, "application/pdf"),),
        ),
    )
    draft = service.start_approval(
        "u-author",
        draft.id,
        draft.version,
        [StageSpec("Правовая экспертиза", (ParticipantSpec("lawyer"),))],
        co_signatories=[
            SignatorySpec("finance"),  # the joint order's second signatory
            SignatorySpec("accountant", countersigns="digital"),  # countersigns the first
        ],
    )
    draft = service.give_visa("u-lawyer", draft.id, draft.version, VisaDecision.AGREED)
    print(f"«{draft.state.label}»: подписывают {', '.join(draft.cycles[-1].signatory_ids)}")

    # The first minister signs on the phone; the second minister's request waits alongside.
    draft, on_phone = service.request_signature(
        "u-digital", draft.id, draft.version, keys["digital"].certificate
    )
    value = LocalKeySigner(keys["digital"].private_key_pem).sign(on_phone)
    draft = service.complete_signature("u-digital", draft.id, draft.version, on_phone.id, value)
    print(f"подписал министр цифрового развития: «{draft.state.label}»")

    # The minister of finance hands in a signature made by their own program.
    request = prepare(order, keys["finance"].certificate, at=clock.now())
    value = LocalKeySigner(keys["finance"].private_key_pem).sign(request)
    made = assemble(request, value, order, at=clock.now())
    draft = service.sign("u-finance", draft.id, draft.version, order, made.signature)
    print(f"подписал министр финансов: «{draft.state.label}»")

    # The chief accountant countersigns the first minister's signature: the last one, so the
    # draft is signed; a registrar registers it (with register_in the last signer would, when
    # they may register).
    draft, counter = service.request_signature(
        "u-accountant", draft.id, draft.version, keys["accountant"].certificate
    )
    value = LocalKeySigner(keys["accountant"].private_key_pem).sign(counter)
    draft = service.complete_signature("u-accountant", draft.id, draft.version, counter.id, value)
    print(f"заверил главный бухгалтер: «{draft.state.label}»")
    draft, card = service.register("u-digital", draft.id, draft.version, "ord")
    print(f"«{draft.state.label}» под № {card.number}")
    print("подписанты: " + "; ".join(s.name for s in card.details.signatories))
    joint = next(f for f in card.details.files if f.name.endswith(".sig"))
    signature = edms.records.read_file("u-digital", card.id, joint.name)
    report = verify(order, signature, trust_anchors=[pki.root.certificate], at=clock.now())
    for signer in report.signers:
        assert signer.certificate is not None
        line = f"  {signer.certificate.fields.surname}: {signer.status.value}"
        for countersigner in signer.countersignatures:
            assert countersigner.certificate is not None
            line += f", заверил {countersigner.certificate.fields.surname}"
        print(line)
    rows = service.sheet("u-author", draft.id).cycles[-1].rows
    for row in rows:
        print(f"  {row.number}. {row.stage}: {row.participant} — {row.decision}")


if __name__ == "__main__":
    main()
