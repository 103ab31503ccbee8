"""The control storage contract: the suite every adapter of assignments and resolutions passes.

Subclass :class:`ControlStorageContract` in a pytest module and implement the one hook::

    from edmscore.testing.control_contract import ControlStorageContract

    class TestMyControlStorage(ControlStorageContract):
        def make_storage(self):
            return MyStorage(dsn=...)      # fresh and empty; its units of work hold assignments

Needs the ``testing`` extra (pytest, hypothesis).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    import pytest
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

import datetime as dt
from collections import Counter

import attrs
import pendulum

from edmscore.access import AccessScope
from edmscore.calendar import MONTHLY_REPORT, Period
from edmscore.control import (
    Acknowledgment,
    AcquaintanceSheet,
    Assignment,
    AssignmentKind,
    AssignmentQuery,
    AssignmentState,
    ControlStorage,
    DisciplineCount,
    DraftAction,
    DraftItem,
    DraftResolutionState,
    DraftStep,
    Recurrence,
    ResolutionDraft,
    classify,
)
from edmscore.errors import ConflictError, NotFound
from edmscore.registry import AccessMark
from edmscore.testing._builders import make_card
from edmscore.testing.control_builders import make_assignment, make_resolution

__all__ = ["ControlStorageContract", "reference_counts"]

_OPEN_SCOPE = AccessScope(user_id="nobody", dsp_cleared=False)
_CLEARED = AccessScope(user_id="cleared", dsp_cleared=True)
_ALL = AccessScope.everything()
_D = pendulum.Date


def reference_counts(
    assignments: list[Assignment],
    organisation_id: str,
    due_from: dt.date,
    due_to: dt.date,
    as_of: dt.date,
) -> dict[tuple[str | None, str], tuple[int, int, int, int]]:
    """The discipline counts computed the slow obvious way, keyed by (department, executor)."""
    tally: Counter[tuple[str | None, str, int]] = Counter()
    for a in assignments:
        if a.organisation_id != organisation_id or not a.counts_for_discipline:
            continue
        if a.due is None or not due_from <= a.due <= due_to:
            continue
        tally[(a.department_id, a.executor_id, classify(a.due, a.completed_on, as_of))] += 1
    keys = {(d, e) for d, e, _ in tally}
    return {(d, e): tuple(tally[(d, e, k)] for k in range(4)) for d, e in keys}  # type: ignore[misc]


def _as_dict(
    counts: list[DisciplineCount] | tuple[DisciplineCount, ...],
) -> dict[tuple[str | None, str], tuple[int, int, int, int]]:
    result = {}
    for c in counts:
        key = (c.department_id, c.executor_id)
        assert key not in result, f"two rows for {key}"
        result[key] = (c.on_time, c.late, c.overdue_open, c.open_not_due)
    return result


class ControlStorageContract:
    """The control adapter contract; subclasses implement :meth:`make_storage`."""

    def make_storage(self) -> ControlStorage:
        """Return a fresh, empty storage (the one hook a host implements)."""
        raise NotImplementedError

    def _with_card(self, access: AccessMark = AccessMark.OPEN) -> tuple[ControlStorage, str]:
        storage = self.make_storage()
        card = make_card("journal", "1", access=access, access_list=frozenset({"listed"}))
        with storage.unit_of_work() as uow:
            uow.cards.add(card)
            uow.commit()
        return storage, card.id

    def _store(self, storage: ControlStorage, *assignments: Assignment) -> None:
        with storage.unit_of_work() as uow:
            for assignment in assignments:
                uow.assignments.add(assignment)
            uow.commit()

    def _all(self, storage: ControlStorage, query: AssignmentQuery) -> list[Assignment]:
        found: list[Assignment] = []
        with storage.unit_of_work() as uow:
            while True:
                page = uow.assignments.query(query, _CLEARED)
                found.extend(page.items)
                if page.next_cursor is None:
                    return found
                query = attrs.evolve(query, after=page.next_cursor)

    # --- assignments ---------------------------------------------------------------------------

    def test_assignment_add_then_get_returns_an_equal_value(self) -> None:
        storage, card_id = self._with_card()
        assignment = make_assignment(card_id, controller_id="controller")
        self._store(storage, assignment)
        with storage.unit_of_work() as uow:
            assert uow.assignments.get(assignment.id) == assignment

    def test_assignment_get_of_a_missing_id_raises_not_found(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.assignments.get("missing")

    def test_assignment_add_of_an_existing_id_conflicts(self) -> None:
        storage, card_id = self._with_card()
        assignment = make_assignment(card_id)
        self._store(storage, assignment)
        with storage.unit_of_work() as uow, pytest.raises(ConflictError) as caught:
            uow.assignments.add(attrs.evolve(assignment, text="Другой текст"))
        assert caught.value.expected == 0

    def test_assignment_update_bumps_the_version_and_refuses_stale_writes(self) -> None:
        storage, card_id = self._with_card()
        assignment = make_assignment(card_id)
        self._store(storage, assignment)
        with storage.unit_of_work() as uow:
            stored = uow.assignments.update(attrs.evolve(assignment, text="Новый"), 1)
            uow.commit()
        assert stored.version == 2
        with storage.unit_of_work() as uow:
            assert uow.assignments.get(assignment.id).text == "Новый"
            with pytest.raises(ConflictError) as caught:
                uow.assignments.update(attrs.evolve(assignment, text="Устаревший"), 1)
        assert (caught.value.expected, caught.value.actual) == (1, 2)

    def test_rollback_undoes_assignment_and_resolution_writes(self) -> None:
        storage, card_id = self._with_card()
        kept = make_assignment(card_id)
        self._store(storage, kept)
        dropped = make_assignment(card_id)
        resolution = make_resolution(card_id, (dropped.id,))
        with storage.unit_of_work() as uow:
            uow.assignments.add(dropped)
            uow.assignments.update(attrs.evolve(kept, text="Не сохранится"), 1)
            uow.resolutions.add(resolution)
            uow.rollback()
        with storage.unit_of_work() as uow:
            assert uow.assignments.get(kept.id) == kept
            with pytest.raises(NotFound):
                uow.assignments.get(dropped.id)
            with pytest.raises(NotFound):
                uow.resolutions.get(resolution.id)

    def test_leaving_a_unit_of_work_without_commit_rolls_back(self) -> None:
        storage, card_id = self._with_card()
        assignment = make_assignment(card_id)
        with storage.unit_of_work() as uow:
            uow.assignments.add(assignment)
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.assignments.get(assignment.id)

    # --- queries -------------------------------------------------------------------------------

    def test_query_filters_by_each_field(self) -> None:
        storage, card_id = self._with_card()
        a = make_assignment(card_id, executor_id="e1", department_id="d1", due=_D(2026, 3, 10))
        b = make_assignment(
            card_id, executor_id="e2", department_id="d2", controller_id="c1", due=_D(2026, 3, 20)
        )
        c = make_assignment(
            card_id,
            executor_id="e1",
            department_id="d2",
            due=_D(2026, 4, 1),
            completed_on=_D(2026, 3, 5),
            parent_id=a.id,
        )
        d = make_assignment(card_id, kind=AssignmentKind.INFORMATION, executor_id="e3")
        self._store(storage, a, b, c, d)

        def ids(**filters: object) -> list[str]:
            return [x.id for x in self._all(storage, AssignmentQuery(**filters))]  # type: ignore[arg-type]

        assert ids(executor_id="e1") == [a.id, c.id]
        assert ids(department_id="d2") == [b.id, c.id]
        assert ids(controller_id="c1") == [b.id]
        assert ids(on_control=True) == [b.id]
        assert ids(states={AssignmentState.DONE}) == [c.id]
        assert ids(parent_id=a.id) == [c.id]
        assert ids(kinds={AssignmentKind.INFORMATION}) == [d.id]
        assert ids(due_from=_D(2026, 3, 10), due_to=_D(2026, 3, 20)) == [a.id, b.id]
        assert ids(due_to=_D(2026, 3, 9)) == []
        assert ids(organisation_id="org") == [a.id, b.id, c.id, d.id]  # no deadline sorts last
        assert ids(organisation_id="another") == []
        assert ids(card_id=card_id, executor_id="e2", on_control=False) == []

    def test_query_pages_cover_every_match_once_in_order(self) -> None:
        storage, card_id = self._with_card()
        made = [
            make_assignment(card_id, due=_D(2026, 3, 2).add(days=i % 7), executor_id=f"e{i % 3}")
            for i in range(23)
        ]
        self._store(storage, *made)
        found = self._all(storage, AssignmentQuery(limit=5))
        expected = sorted(made, key=lambda a: (a.due, a.id))
        assert [a.id for a in found] == [a.id for a in expected]

    def test_query_hides_assignments_on_restricted_cards(self) -> None:
        storage, open_card = self._with_card()
        dsp = make_card("journal", "2", access=AccessMark.DSP, access_list=frozenset({"listed"}))
        with storage.unit_of_work() as uow:
            uow.cards.add(dsp)
            uow.commit()
        visible = make_assignment(open_card)
        hidden = make_assignment(dsp.id)
        self._store(storage, visible, hidden)
        with storage.unit_of_work() as uow:
            plain = uow.assignments.query(AssignmentQuery(), _OPEN_SCOPE).items
            listed = uow.assignments.query(AssignmentQuery(), AccessScope("listed", False)).items
            cleared = uow.assignments.query(AssignmentQuery(), _CLEARED).items
        assert [a.id for a in plain] == [visible.id]
        assert {a.id for a in listed} == {visible.id, hidden.id}
        assert {a.id for a in cleared} == {visible.id, hidden.id}

    # --- discipline ----------------------------------------------------------------------------

    def test_discipline_counts_classify_the_edge_cases(self) -> None:
        storage, card_id = self._with_card()
        due = _D(2026, 3, 10)
        as_of = _D(2026, 3, 20)
        schedule = attrs.evolve(
            make_assignment(card_id, due=due),
            recurrence=Recurrence(Period.MONTH, _D(2026, 3, 2), _D(2026, 6, 30), MONTHLY_REPORT),
        )
        made = [
            make_assignment(card_id, due=due, completed_on=due),  # on time: on the day
            make_assignment(card_id, due=due, completed_on=_D(2026, 3, 11)),  # late
            make_assignment(card_id, due=due),  # overdue open
            make_assignment(card_id, due=as_of),  # due on the report day: not yet overdue
            make_assignment(card_id, due=due, completed_on=_D(2026, 3, 25)),  # done after as_of
            make_assignment(card_id, due=due, state=AssignmentState.CANCELLED),  # not counted
            make_assignment(card_id, kind=AssignmentKind.INFORMATION),  # not counted
            make_assignment(card_id, due=_D(2026, 4, 1)),  # outside the period
            make_assignment(card_id, due=due, organisation_id="another"),  # another organisation
            make_assignment(card_id, due=due, executor_id="x", department_id=None),
            schedule,  # a periodic schedule: its occurrences count, not it
        ]
        self._store(storage, *made)
        with storage.unit_of_work() as uow:
            counts = uow.assignments.discipline_counts(
                "org", _D(2026, 3, 1), _D(2026, 3, 31), as_of, _ALL
            )
        assert _as_dict(list(counts)) == {
            ("department", "executor"): (1, 1, 2, 1),
            (None, "x"): (0, 0, 1, 0),
        }

    def test_discipline_counts_leave_out_cards_the_scope_does_not_permit(self) -> None:
        storage, open_card = self._with_card()
        dsp = make_card("journal", "2", access=AccessMark.DSP)
        plain = make_card("journal", "3")
        department = attrs.evolve(plain, details=attrs.evolve(plain.details, department_id="d-2"))
        foreign = make_card("journal", "4", organisation_id="another")
        with storage.unit_of_work() as uow:
            for card in (dsp, department, foreign):
                uow.cards.add(card)
            uow.commit()
        due, as_of = _D(2026, 3, 10), _D(2026, 3, 20)
        self._store(
            storage,
            make_assignment(open_card, due=due),
            make_assignment(dsp.id, due=due, executor_id="secret"),
            make_assignment(department.id, due=due, executor_id="d2"),
            # an assignment of "org" on another organisation's card: the card decides
            make_assignment(foreign.id, due=due, executor_id="foreign"),
        )
        period = (_D(2026, 3, 1), _D(2026, 3, 31))

        def executors(scope: AccessScope) -> set[str]:
            with storage.unit_of_work() as uow:
                counts = uow.assignments.discipline_counts("org", *period, as_of, scope)
            return {c.executor_id for c in counts}

        assert executors(_ALL) == {"executor", "secret", "d2", "foreign"}
        assert executors(AccessScope("u", False, "org")) == {"executor", "d2"}
        assert executors(AccessScope("u", True, "org")) == {"executor", "secret", "d2"}
        only_d2 = AccessScope("u", True, "org", department_ids={"d-2"})
        assert executors(only_d2) == {"d2"}
        assert executors(AccessScope("u", True, "third")) == set()

    @settings(
        max_examples=25,
        deadline=None,
        # Every adapter's subclass runs this test: one executor per subclass is intended.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        st.lists(
            st.tuples(
                st.integers(0, 60),
                st.one_of(st.none(), st.integers(0, 70)),
                st.sampled_from(["e1", "e2", "e3"]),
                st.sampled_from(["d1", "d2", None]),
                st.booleans(),
            ),
            max_size=40,
        ),
        st.integers(0, 40),
        st.integers(0, 70),
    )
    def test_discipline_counts_agree_with_the_reference(
        self,
        rows: list[tuple[int, int | None, str, str | None, bool]],
        start: int,
        as_of_offset: int,
    ) -> None:
        storage, card_id = self._with_card()
        base = _D(2026, 3, 2)
        made = []
        for due_offset, done_offset, executor, department, cancelled in rows:
            due = base.add(days=due_offset)
            done = None if done_offset is None else base.add(days=done_offset)
            state = AssignmentState.CANCELLED if cancelled else None
            made.append(
                make_assignment(
                    card_id,
                    due=due,
                    completed_on=done,
                    executor_id=executor,
                    department_id=department,
                    state=state,
                )
            )
        self._store(storage, *made)
        low, high, as_of = (
            base.add(days=start),
            base.add(days=start + 20),
            base.add(days=as_of_offset),
        )
        with storage.unit_of_work() as uow:
            counts = uow.assignments.discipline_counts("org", low, high, as_of, _ALL)
        assert _as_dict(list(counts)) == reference_counts(made, "org", low, high, as_of)

    def test_discipline_counts_follow_a_moved_deadline_and_its_rollback(self) -> None:
        storage, card_id = self._with_card()
        assignment = make_assignment(card_id, due=_D(2026, 3, 10))
        self._store(storage, assignment)
        march, april = (_D(2026, 3, 1), _D(2026, 3, 31)), (_D(2026, 4, 1), _D(2026, 4, 30))
        as_of = _D(2026, 3, 2)

        def total(period: tuple[pendulum.Date, pendulum.Date]) -> int:
            with storage.unit_of_work() as uow:
                counts = uow.assignments.discipline_counts("org", *period, as_of, _ALL)
            return sum(c.total for c in counts)

        with storage.unit_of_work() as uow:
            uow.assignments.update(attrs.evolve(assignment, due=_D(2026, 4, 10)), 1)
            uow.rollback()
        assert (total(march), total(april)) == (1, 0)
        with storage.unit_of_work() as uow:
            uow.assignments.update(attrs.evolve(assignment, due=_D(2026, 4, 10)), 1)
            uow.commit()
        assert (total(march), total(april)) == (0, 1)

    # --- resolutions ---------------------------------------------------------------------------

    def test_resolutions_add_get_and_list_by_card(self) -> None:
        storage, card_id = self._with_card()
        first = make_resolution(card_id, ("a1", "a2"))
        second = attrs.evolve(make_resolution(card_id, ("a3",)), date=_D(2026, 3, 3))
        other = make_resolution("another-card", ("a4",))
        with storage.unit_of_work() as uow:
            for resolution in (second, first, other):
                uow.resolutions.add(resolution)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.resolutions.get(first.id) == first
            assert list(uow.resolutions.of_card(card_id)) == [first, second]
            with pytest.raises(ConflictError):
                uow.resolutions.add(first)
            with pytest.raises(NotFound):
                uow.resolutions.get("missing")

    # --- draft resolutions and acquaintance sheets ---------------------------------------------

    def _draft(self, card_id: str, draft_id: str, head_id: str = "head") -> ResolutionDraft:
        at = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Moscow")
        return ResolutionDraft(
            draft_id, "org", card_id, head_id, "Прошу рассмотреть",
            (DraftItem("executor", "Ответить", pendulum.Date(2026, 3, 20)),),
            steps=(DraftStep(DraftAction.DRAFT, at, "assistant", request_key="k1"),),
        )  # fmt: skip

    def test_resolution_drafts_version_list_and_roll_back(self) -> None:
        storage, card_id = self._with_card()
        first, second = self._draft(card_id, "d1"), self._draft(card_id, "d2", "other-head")
        with storage.unit_of_work() as uow:
            uow.resolution_drafts.add(second)
            uow.resolution_drafts.add(first)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.resolution_drafts.get("d1") == first
            assert list(uow.resolution_drafts.of_card(card_id)) == [first, second]
            assert list(uow.resolution_drafts.awaiting("head")) == [first]
            with pytest.raises(ConflictError):
                uow.resolution_drafts.add(first)
            with pytest.raises(NotFound):
                uow.resolution_drafts.get("missing")
            rejected = attrs.evolve(first, state=DraftResolutionState.REJECTED, reason="Нет")
            stored = uow.resolution_drafts.update(rejected, 1)
            assert stored.version == 2
            assert list(uow.resolution_drafts.awaiting("head")) == []
            with pytest.raises(ConflictError):
                uow.resolution_drafts.update(rejected, 1)
            uow.rollback()
        with storage.unit_of_work() as uow:
            assert uow.resolution_drafts.get("d1") == first

    def test_acquaintance_sheets_version_and_list_the_open_ones(self) -> None:
        storage, card_id = self._with_card()
        at = pendulum.datetime(2026, 3, 2, 9, tz="Europe/Moscow")
        sheet = AcquaintanceSheet("s1", "org", card_id, "clerk", at, ("u1", "u2"))
        with storage.unit_of_work() as uow:
            uow.acquaintances.add(sheet)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.acquaintances.get("s1") == sheet
            assert list(uow.acquaintances.open_sheets("org")) == [sheet]
            assert list(uow.acquaintances.of_card(card_id)) == [sheet]
            done = attrs.evolve(
                sheet, acknowledgments=(Acknowledgment("u1", at), Acknowledgment("u2", at))
            )
            assert uow.acquaintances.update(done, 1).version == 2
            assert list(uow.acquaintances.open_sheets("org")) == []
            with pytest.raises(ConflictError):
                uow.acquaintances.update(done, 1)
            with pytest.raises(ConflictError):
                uow.acquaintances.add(sheet)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.acquaintances.get("s1").pending == ()
