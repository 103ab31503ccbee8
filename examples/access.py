"""Two organisations in one installation: who sees which card, and who may do what.

The governor's office (``gov``) and a ministry (``minfin``) share one installation. Each has its
own registrar; the governor's office supervises the ministry; a ДСП card needs clearance; a card
shared with another organisation is visible there. Every refusal is a typed error.
"""

from __future__ import annotations

import pendulum

from edmscore import (
    AccessPolicy,
    CardDetails,
    CardKind,
    CardQuery,
    Clearance,
    Edms,
    Journal,
    NotFound,
    Organisation,
    PermissionDenied,
    Principal,
    RegistrationRequest,
    User,
)
from edmscore.registry import AccessMark, Correspondent


def incoming(
    summary: str, *, dsp: bool = False, shared_with: set[str] | None = None
) -> CardDetails:
    """An incoming letter's card details."""
    return CardDetails(
        kind=CardKind.INCOMING,
        document_kind="Письмо",
        summary=summary,
        correspondents=(Correspondent("Министерство финансов Российской Федерации"),),
        received_on=pendulum.today("Europe/Moscow").date(),
        access=AccessMark.DSP if dsp else AccessMark.OPEN,
        shared_with=frozenset(shared_with or ()),
    )


def main() -> None:
    # The governor's office reads its subordinate ministry's cards (never by default).
    edms = Edms(policy=AccessPolicy.strict(supervision={"gov": ["minfin"]}))

    # First run: the installation's first organisation and its administrator.
    root = edms.setup(
        Organisation("gov", "Администрация Главы Республики", short_name="АГР"),
        User("root", "root", "gov"),
    )
    edms.admin.put_organisation(
        root.id, Organisation("minfin", "Министерство финансов Республики", parent_id="gov")
    )
    people = (
        User("gov-clerk", "ivanova", "gov", roles=("registrar",), clearance=Clearance.DSP),
        User("gov-control", "petrov", "gov", roles=("controller",)),
        User("mf-admin", "sidorov", "minfin", roles=("organisation_admin",)),
        User("mf-clerk", "kuznetsova", "minfin", roles=("registrar",)),
    )
    for person in people:
        edms.admin.put_user(root.id, person)
    for org, admin in (("gov", root.id), ("minfin", "mf-admin")):
        edms.admin.create_journal(
            admin, Journal(f"{org}-in", org, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
        )

    # Each registrar registers into their own organisation's journal.
    own = edms.records.register(
        Principal("mf-clerk", authenticated_by="password"),
        RegistrationRequest("minfin-in", incoming("О бюджете на 2027 год")),
    )
    shared = edms.records.register(
        "mf-clerk",
        RegistrationRequest("minfin-in", incoming("О совещании", shared_with={"gov"})),
    )
    secret = edms.records.register(
        "gov-clerk",
        RegistrationRequest("gov-in", incoming("О мобилизационной готовности", dsp=True)),
    )

    def titles(user: str) -> list[str]:
        return [card.details.summary for card in edms.records.query(user, CardQuery()).items]

    print("ministry's registrar sees:", titles("mf-clerk"))
    print("governor's registrar sees:", titles("gov-clerk"))
    print("governor's controller sees:", titles("gov-control"))
    assert titles("mf-clerk") == [own.details.summary, shared.details.summary]
    assert titles("gov-clerk") == [shared.details.summary, secret.details.summary]
    assert secret.details.summary not in titles("gov-control")  # no ДСП clearance

    # A hidden card answers exactly as a missing one.
    try:
        edms.records.get("mf-clerk", secret.id)
    except NotFound as error:
        print("ministry asking for the ДСП card:", error)

    # The controller supervises, but may not register or delete.
    try:
        edms.records.delete("gov-control", own.id, own.version, "ошибка")
    except PermissionDenied as error:
        print("controller deleting a card:", error)


if __name__ == "__main__":
    main()
