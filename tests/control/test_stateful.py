"""Random sequences of control actions (hypothesis stateful testing) keep the invariants.

After every step: each assignment moved only along the state machine; a completed parent never
has an open child on control; no deadline exceeds its parent's; every change appended exactly one
audit event (the version equals the number of the assignment's events).
"""

from __future__ import annotations

import pendulum
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from edmscore.control import (
    MOVES,
    Assignment,
    AssignmentKind,
    AssignmentQuery,
    AssignmentState,
    ItemRequest,
    ResolutionRequest,
)
from edmscore.directory import Official, User
from edmscore.errors import AccessDenied, ConflictError, EdmsError, NotFound
from tests._adapters import AnyStorage, StorageFactory, adapter_settings
from tests.control.conftest import build_office

_EXPECTED = (EdmsError,)
_NEVER = (AccessDenied, ConflictError, NotFound)  # the machine always acts as the right person


class ControlMachine(RuleBasedStateMachine):
    """Drives ControlService with the right actors and random choices."""

    def __init__(self, storage: AnyStorage) -> None:
        super().__init__()
        self.office = build_office(storage)
        o = self.office
        self.people: list[Official] = [o.governor, o.deputy, o.chief, o.specialist, o.other]
        self.by_id = {p.id: p for p in self.people}
        self.seen: dict[str, AssignmentState] = {}
        self.governor_user = o.user(o.governor)
        self.made = 0  # ids are chosen here so that every run draws the same way

    # --- helpers -------------------------------------------------------------------------------

    def _user(self, official_id: str | None) -> User:
        assert official_id is not None
        return self.office.user(self.by_id[official_id])

    def _all(self) -> list[Assignment]:
        return list(self.office.control.assignments(self.governor_user, AssignmentQuery()))

    def _get(self, assignment_id: str) -> Assignment:
        return self.office.control.get(self.governor_user, assignment_id)

    def _today(self) -> pendulum.Date:
        return self.office.clock.now().in_timezone("Asia/Yakutsk").date()

    def _attempt(self, action: object, *args: object, **kwargs: object) -> None:
        try:
            action(*args, **kwargs)  # type: ignore[operator]
        except _NEVER:
            raise
        except _EXPECTED:
            pass

    def _item(self, data: st.DataObject, max_days: int | None) -> ItemRequest:
        executor = data.draw(st.sampled_from(self.people[1:]))
        co = data.draw(st.sets(st.sampled_from(self.people[1:])))
        co.discard(executor)
        on_control = data.draw(st.booleans())
        controller = data.draw(st.sampled_from(self.people)) if on_control else None
        kind = data.draw(
            st.sampled_from([AssignmentKind.EXECUTION] * 3 + [AssignmentKind.INFORMATION])
        )
        limit = 40 if max_days is None else max_days + 3  # sometimes past the parent's
        offset = data.draw(st.one_of(st.none(), st.integers(0, limit)))
        deadline = None if offset is None else self._today().add(days=offset)
        self.made += 1
        return ItemRequest(
            executor.id,
            "Поручение",
            deadline,
            co_executor_ids=tuple(sorted(p.id for p in co)),
            kind=kind,
            on_control=on_control,
            controller_id=controller.id if controller else None,
            assignment_id=f"a{self.made:05d}",
        )

    # --- rules ---------------------------------------------------------------------------------

    @rule(data=st.data(), count=st.integers(1, 3))
    def impose(self, data: st.DataObject, count: int) -> None:
        items = tuple(self._item(data, None) for _ in range(count))
        o = self.office
        self._attempt(
            o.control.impose,
            o.world.clerk,
            ResolutionRequest(o.card.id, o.governor.id, "Резолюция", items),
        )

    @precondition(lambda self: self.seen)
    @rule(data=st.data())
    def pass_down(self, data: st.DataObject) -> None:
        parent = self._get(data.draw(st.sampled_from(sorted(self.seen))))
        days = None if parent.due is None else (parent.due - self._today()).days
        item = self._item(data, max(days, 0) if days is not None else None)
        self._attempt(
            self.office.control.pass_down, self._user(parent.executor_id), parent.id, "Т", [item]
        )

    @precondition(lambda self: self.seen)
    @rule(data=st.data(), responsible=st.booleans())
    def report(self, data: st.DataObject, responsible: bool) -> None:
        a = self._get(data.draw(st.sampled_from(sorted(self.seen))))
        who = a.executor_id if responsible or not a.co_executor_ids else a.co_executor_ids[0]
        self._attempt(self.office.control.report, self._user(who), a.id, a.version, "Отчёт")

    @precondition(lambda self: self.seen)
    @rule(data=st.data())
    def acknowledge(self, data: st.DataObject) -> None:
        a = self._get(data.draw(st.sampled_from(sorted(self.seen))))
        self._attempt(self.office.control.acknowledge, self._user(a.executor_id), a.id, a.version)

    @precondition(lambda self: self.seen)
    @rule(data=st.data(), accept=st.booleans())
    def decide_report(self, data: st.DataObject, accept: bool) -> None:
        a = self._get(data.draw(st.sampled_from(sorted(self.seen))))
        if a.controller_id is None:
            return
        actor = self._user(a.controller_id)
        if accept:
            self._attempt(self.office.control.accept, actor, a.id, a.version)
        else:
            self._attempt(
                self.office.control.return_for_rework, actor, a.id, a.version, "Доработать"
            )

    @precondition(lambda self: self.seen)
    @rule(data=st.data(), days=st.integers(1, 10), approve=st.booleans())
    def extend(self, data: st.DataObject, days: int, approve: bool) -> None:
        a = self._get(data.draw(st.sampled_from(sorted(self.seen))))
        if a.due is None:
            return
        control = self.office.control
        self._attempt(
            control.request_extension,
            self._user(a.executor_id),
            a.id,
            a.version,
            a.due.add(days=days),
            "Причина",
        )
        a = self._get(a.id)
        self._attempt(
            control.decide_extension, self._user(a.deadline_set_by), a.id, a.version, approve
        )

    @precondition(lambda self: self.seen)
    @rule(data=st.data(), days=st.integers(-5, 5))
    def set_deadline(self, data: st.DataObject, days: int) -> None:
        a = self._get(data.draw(st.sampled_from(sorted(self.seen))))
        new_due = (a.due or self._today()).add(days=days)
        self._attempt(
            self.office.control.set_deadline,
            self._user(a.deadline_set_by),
            a.id,
            a.version,
            new_due,
            "Изменение срока",
        )

    @precondition(lambda self: self.seen)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        a = self._get(data.draw(st.sampled_from(sorted(self.seen))))
        self._attempt(self.office.control.cancel, self._user(a.author_id), a.id, a.version, "Снято")

    @rule(days=st.integers(0, 6))
    def time_passes(self, days: int) -> None:
        self.office.clock.advance(days=days)

    # --- invariants ----------------------------------------------------------------------------

    @invariant()
    def moves_follow_the_state_machine(self) -> None:
        for a in self._all():
            before = self.seen.get(a.id)
            assert isinstance(a.state, AssignmentState)
            if before is not None and before is not a.state:
                assert (before, a.state) in MOVES, (before, a.state)
            self.seen[a.id] = a.state

    @invariant()
    def trees_keep_their_rules(self) -> None:
        everything = {a.id: a for a in self._all()}
        for a in everything.values():
            if a.parent_id is None:
                continue
            parent = everything[a.parent_id]
            assert a.depth == parent.depth + 1
            if a.due is not None and parent.due is not None:
                assert a.due <= parent.due, (a.due, parent.due)
            if parent.state in (AssignmentState.REPORTED, AssignmentState.DONE):
                assert not (a.on_control and not a.state.is_closed), "open child on control"

    @invariant()
    def every_change_is_audited(self) -> None:
        for a in self._all():
            history = self.office.control.history(self.governor_user, a.id)
            assert len(history) == a.version
            assert history[0].action == "assignment.created"


def test_random_control_sequences_keep_the_invariants(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    class OnThisAdapter(ControlMachine):
        def __init__(self) -> None:
            super().__init__(new_storage())  # a fresh storage for every run of the machine

    run_state_machine_as_test(
        OnThisAdapter,
        settings=settings(adapter_settings(storage_adapter, 30), stateful_step_count=20),
    )
