"""ДСП closed on every path of the records use cases, and cards shared between organisations, on
every adapter under the strict policy."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.access import AccessPolicy
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Organisation, User
from edmscore.errors import AccessDenied, NotFound, PermissionDenied, ValidationError
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import AccessMark, CardKind, Journal, RegistrationCard
from edmscore.storage import CardQuery
from edmscore.testing import make_details, make_world, store_world
from tests._adapters import AnyStorage

T0 = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Yakutsk")


@attrs.frozen
class Office:
    storage: AnyStorage
    records: RecordsService
    journal: Journal
    dsp_journal: Journal
    registrar: User  # cleared
    listed: User  # may change access, no clearance
    executor: User  # no change_access
    outsider: User  # another organisation, a registrar


@pytest.fixture
def office(storage: AnyStorage) -> Office:
    world = make_world()
    org = world.organisation.id
    registrar = User("reg", "reg", org, clearance=Clearance.DSP, roles=("registrar",))
    listed = User("lst", "lst", org, roles=("registrar",))
    executor = User("exe", "exe", org, clearance=Clearance.DSP, roles=("executor",))
    outsider = User("out", "out", "other", clearance=Clearance.DSP, roles=("registrar",))
    dsp_journal = attrs.evolve(
        world.journal, id="dsp-journal", code="ДСП", template="{seq}-дсп", access=AccessMark.DSP
    )
    store_world(storage, world)
    with storage.unit_of_work() as uow:
        uow.directory.put_organisation(Organisation("other", "Другое ведомство"))
        for user in (registrar, listed, executor, outsider):
            uow.directory.put_user(user)
        uow.journals.add(dsp_journal)
        uow.commit()
    records = RecordsService(storage, FixedClock(T0), policy=AccessPolicy.strict())
    return Office(
        storage, records, world.journal, dsp_journal, registrar, listed, executor, outsider
    )


def _register(
    office: Office, *, dsp: bool = False, journal: Journal | None = None
) -> RegistrationCard:
    access = AccessMark.DSP if dsp else AccessMark.OPEN
    details = make_details(
        CardKind.INCOMING, access=access, access_list=frozenset({office.listed.id})
    )
    request = RegistrationRequest((journal or office.journal).id, details)
    return office.records.register(office.registrar.id, request)


def _actions(office: Office, entity_id: str) -> list[str]:
    with office.storage.unit_of_work() as uow:
        return [event.action for _, event in uow.audit.events(entity_id)]


def test_a_listed_user_without_clearance_cannot_declassify(office: Office) -> None:
    card = _register(office, dsp=True)
    assert office.records.get(office.listed.id, card.id).id == card.id  # listed: may read
    with pytest.raises(AccessDenied):
        office.records.update(office.listed.id, card.id, 1, {"access": AccessMark.OPEN})
    assert office.records.get(office.registrar.id, card.id).details.access is AccessMark.DSP
    plain = User("plain", "plain", office.registrar.organisation_id, roles=("registrar",))
    with office.storage.unit_of_work() as uow:
        uow.directory.put_user(plain)
        uow.commit()
    assert office.records.query(plain.id, CardQuery()).items == ()


def test_classifying_an_open_card_needs_clearance_and_the_permission(office: Office) -> None:
    card = _register(office)
    with pytest.raises(AccessDenied):
        office.records.update(office.listed.id, card.id, 1, {"access": AccessMark.DSP})
    with pytest.raises(PermissionDenied):
        office.records.update(office.executor.id, card.id, 1, {"access": AccessMark.DSP})


def test_a_journals_mark_binds_its_cards_on_change_too(office: Office) -> None:
    card = _register(office, dsp=True, journal=office.dsp_journal)
    with pytest.raises(ValidationError) as refused:
        office.records.update(office.registrar.id, card.id, 1, {"access": AccessMark.OPEN})
    assert refused.value.field == "access"
    open_only = attrs.evolve(
        office.journal, id="open-journal", code="ОТК", template="{seq}-о", access=AccessMark.OPEN
    )
    with office.storage.unit_of_work() as uow:
        uow.journals.add(open_only)
        uow.commit()
    open_card = _register(office, journal=open_only)
    with pytest.raises(ValidationError):
        office.records.update(office.registrar.id, open_card.id, 1, {"access": AccessMark.DSP})
    # A journal that takes any mark lets a cleared registrar classify.
    any_card = _register(office)
    changed = office.records.update(office.registrar.id, any_card.id, 1, {"access": AccessMark.DSP})
    assert changed.details.access is AccessMark.DSP


def test_reads_of_a_dsp_card_are_audited_and_refusals_recorded(office: Office) -> None:
    card = _register(office, dsp=True)
    office.records.get(office.registrar.id, card.id)
    office.records.query(office.registrar.id, CardQuery())
    office.records.history(office.registrar.id, card.id)
    with pytest.raises(NotFound):
        office.records.get(office.outsider.id, card.id)
    actions = _actions(office, card.id)
    assert actions[0] == "card.registered"
    for action in ("card.read", "card.listed", "card.history_read", "access.denied"):
        assert action in actions
    open_card = _register(office)
    office.records.get(office.registrar.id, open_card.id)
    assert _actions(office, open_card.id) == ["card.registered"]  # open reads are not recorded


def test_a_shared_card_reaches_the_other_organisation_and_nothing_else_does(
    office: Office,
) -> None:
    card = _register(office)
    kept = _register(office)
    assert office.records.query(office.outsider.id, CardQuery()).items == ()
    with pytest.raises(PermissionDenied):
        office.records.share(office.executor.id, card.id, 1, ["other"])
    shared = office.records.share(office.registrar.id, card.id, 1, ["other"])
    assert shared.details.shared_with == {"other"}
    seen = office.records.query(office.outsider.id, CardQuery()).items
    assert [c.id for c in seen] == [card.id]
    with pytest.raises(NotFound):
        office.records.get(office.outsider.id, kept.id)
    # The other organisation reads, but changes stay with the owner.
    with pytest.raises(PermissionDenied):
        office.records.update(office.outsider.id, card.id, 2, {"summary": "Чужая правка"})
    with pytest.raises(NotFound):
        office.records.share(office.registrar.id, card.id, 2, ["no-such-organisation"])
