"""The appeals repository contract: one suite every storage that keeps appeals must pass.

Subclass :class:`AppealsContract` in a pytest module, name the subclass ``Test…`` and implement
the one factory hook::

    from edmscore.testing.appeals_contract import AppealsContract

    class TestMyAppeals(AppealsContract):
        def make_storage(self):
            return MyStorage(dsn=...)      # fresh and empty, its units of work keep appeals

:func:`make_appeal` builds a valid stored-shape appeal for such tests. Needs the ``testing``
extra (pytest).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    import pytest
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessScope
from edmscore.appeals import (
    Appeal,
    AppealKind,
    AppealsStorage,
    Author,
    Question,
    QuestionStatus,
    ReceiptForm,
    StatusChange,
)
from edmscore.directory import PersonName
from edmscore.errors import ConflictError, NotFound
from edmscore.registry import AccessMark, CardKind, RegistrationCard
from edmscore.testing._builders import make_card

__all__ = ["AppealsContract", "make_appeal"]

_EVERYTHING = AccessScope.everything()


def make_appeal(
    *,
    organisation_id: str = "org",
    registered_on: pendulum.Date | None = None,
    author: Author | None = None,
    topic: str = "0003.0001.0001.0001",
    card_id: str | None = None,
    number: str = "Д/1",
) -> Appeal:
    """A valid appeal with one question in work, registered on ``registered_on``."""
    day = registered_on or pendulum.Date(2026, 3, 2)
    return Appeal(
        id=new_id(),
        organisation_id=organisation_id,
        card_id=card_id or new_id(),
        number=number,
        kind=AppealKind.APPEAL,
        authors=(
            author
            or Author(PersonName("Дмитриев", "Олег", "Сергеевич"), "с. Ивановка, ул. Ленина, 5"),
        ),
        form=ReceiptForm.WRITTEN,
        received_on=day,
        registered_on=day,
        registration_due=day.add(days=3),
        review_due=day.add(days=30),
        redirect_due=day.add(days=7),
        questions=(
            Question(
                1, topic, "О качестве связи", (StatusChange(QuestionStatus.IN_WORK, day, "u"),)
            ),
        ),
    )


def _card_of(appeal: Appeal, access: AccessMark, department_id: str | None) -> RegistrationCard:
    card = make_card(
        "journal",
        appeal.id,
        organisation_id=appeal.organisation_id,
        kind=CardKind.APPEAL,
        access=access,
        access_list=frozenset({"listed"}) if access is AccessMark.DSP else frozenset(),
        card_id=appeal.card_id,
    )
    return attrs.evolve(card, details=attrs.evolve(card.details, department_id=department_id))


def _answered(appeal: Appeal, on: pendulum.Date) -> Appeal:
    from edmscore.appeals import Answer

    q = appeal.questions[0]
    history = (*q.history, StatusChange(QuestionStatus.EXPLAINED, on, "u"))
    return attrs.evolve(
        appeal, questions=(attrs.evolve(q, history=history, answer=Answer(on, "Разъяснено")),)
    )


class AppealsContract:
    """The appeals repository contract; subclasses implement :meth:`make_storage`."""

    def make_storage(self) -> AppealsStorage:
        """Return a fresh, empty storage whose units of work keep appeals."""
        raise NotImplementedError

    def _stored(
        self,
        storage: AppealsStorage,
        *appeals: Appeal,
        access: AccessMark = AccessMark.OPEN,
        department_id: str | None = None,
    ) -> None:
        """Store the appeals, each with a card of its own (``access``, ``department_id``)."""
        with storage.unit_of_work() as uow:
            for appeal in appeals:
                uow.cards.add(_card_of(appeal, access, department_id))
                uow.appeals.add(appeal)
            uow.commit()

    def test_add_then_get_and_by_card(self) -> None:
        storage = self.make_storage()
        appeal = make_appeal()
        self._stored(storage, appeal)
        with storage.unit_of_work() as uow:
            assert uow.appeals.get(appeal.id) == appeal
            assert uow.appeals.by_card(appeal.card_id) == appeal

    def test_missing_appeal_is_not_found(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.appeals.get("nope")
            with pytest.raises(NotFound):
                uow.appeals.by_card("nope")

    def test_add_twice_or_second_appeal_of_a_card_conflicts(self) -> None:
        storage = self.make_storage()
        appeal = make_appeal()
        self._stored(storage, appeal)
        with storage.unit_of_work() as uow:
            with pytest.raises(ConflictError):
                uow.appeals.add(appeal)
            with pytest.raises(ConflictError):
                uow.appeals.add(make_appeal(card_id=appeal.card_id))

    def test_update_checks_and_bumps_the_version(self) -> None:
        storage = self.make_storage()
        appeal = make_appeal()
        self._stored(storage, appeal)
        changed = _answered(appeal, pendulum.Date(2026, 3, 10))
        with storage.unit_of_work() as uow:
            stored = uow.appeals.update(changed, 1)
            uow.commit()
        assert stored.version == 2
        assert stored.questions[0].status is QuestionStatus.EXPLAINED
        with storage.unit_of_work() as uow:
            assert uow.appeals.get(appeal.id) == stored
            with pytest.raises(ConflictError) as caught:
                uow.appeals.update(changed, 1)
        assert caught.value.actual == 2

    def test_rollback_undoes_add_and_update(self) -> None:
        storage = self.make_storage()
        kept = make_appeal()
        self._stored(storage, kept)
        dropped = make_appeal()
        with storage.unit_of_work() as uow:
            uow.appeals.add(dropped)
            uow.appeals.update(_answered(kept, pendulum.Date(2026, 3, 5)), 1)
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.appeals.get(dropped.id)
            with pytest.raises(NotFound):
                uow.appeals.by_card(dropped.card_id)
            assert uow.appeals.get(kept.id) == kept
            key = next(iter(dropped.author_keys()))
            assert [a.id for a in uow.appeals.by_author("org", key)] == [kept.id]

    def test_by_author_finds_the_same_author_oldest_first(self) -> None:
        storage = self.make_storage()
        later = make_appeal(registered_on=pendulum.Date(2026, 4, 1))
        earlier = make_appeal(registered_on=pendulum.Date(2026, 3, 1))
        other = make_appeal(author=Author(PersonName("Иванов", "Иван"), "г. Тында"))
        elsewhere = make_appeal(organisation_id="org2")
        self._stored(storage, later, earlier, other, elsewhere)
        key = next(iter(later.author_keys()))
        with storage.unit_of_work() as uow:
            found = uow.appeals.by_author("org", key)
        assert [a.id for a in found] == [earlier.id, later.id]

    def test_changed_and_registered_between_bound_the_period(self) -> None:
        storage = self.make_storage()
        march = make_appeal(registered_on=pendulum.Date(2026, 3, 2))
        february = make_appeal(registered_on=pendulum.Date(2026, 2, 20))
        answered = _answered(february, pendulum.Date(2026, 3, 31))
        self._stored(storage, march, february, make_appeal(organisation_id="org2"))
        with storage.unit_of_work() as uow:
            uow.appeals.update(answered, 1)
            uow.commit()
        start, end = pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31)
        with storage.unit_of_work() as uow:
            changed = uow.appeals.changed_between("org", start, end, _EVERYTHING)
            registered = uow.appeals.registered_between("org", start, end, _EVERYTHING)
            april = uow.appeals.changed_between(
                "org", end.add(days=1), end.add(days=30), _EVERYTHING
            )
        assert [a.id for a in changed] == [february.id, march.id]
        assert [a.id for a in registered] == [march.id]
        assert list(april) == []

    def test_period_listings_return_only_appeals_whose_card_the_scope_permits(self) -> None:
        storage = self.make_storage()
        open_ = make_appeal()
        dsp = make_appeal()
        other_department = make_appeal()
        elsewhere = make_appeal(organisation_id="org2")
        cardless = make_appeal()
        self._stored(storage, open_, elsewhere)
        self._stored(storage, dsp, access=AccessMark.DSP)
        self._stored(storage, other_department, department_id="d2")
        with storage.unit_of_work() as uow:
            uow.appeals.add(cardless)  # an appeal whose card is missing is never listed
            uow.commit()
        start, end = pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31)
        plain = AccessScope("someone", False, "org")
        cleared = AccessScope("someone", True, "org")
        listed = AccessScope("listed", False, "org2")
        department = AccessScope("someone", True, "org", department_ids={"d2"})
        stranger = AccessScope("someone", True, "org3")
        expected = {
            plain: {open_.id, other_department.id},
            cleared: {open_.id, dsp.id, other_department.id},
            listed: {dsp.id},
            department: {other_department.id},
            stranger: set(),
            _EVERYTHING: {open_.id, dsp.id, other_department.id},
        }
        with storage.unit_of_work() as uow:
            for scope, ids in expected.items():
                changed = uow.appeals.changed_between("org", start, end, scope)
                registered = uow.appeals.registered_between("org", start, end, scope)
                assert {a.id for a in changed} == ids, scope
                assert {a.id for a in registered} == ids, scope
