"""The archive repository contract: one suite every storage that keeps the archive passes.

Subclass :class:`ArchiveContract` in a pytest module, name the subclass ``Test…`` and implement
the one factory hook::

    from edmscore.testing.archive_contract import ArchiveContract

    class TestMyArchive(ArchiveContract):
        def make_storage(self):
            return MyStorage(dsn=...)      # fresh and empty, its units of work keep the archive

:func:`make_case_file` builds a valid open case file. Needs the ``testing`` extra (pytest).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    import pytest
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "pytest", "testing") from exc

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.archive import (
    ArchiveStorage,
    CaseFile,
    CaseState,
    Commission,
    CommissionApproval,
    DestructionAct,
    FiledDocument,
    Inventory,
    InventoryKind,
)
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.registry import CardStatus
from edmscore.registry.retention import parse_retention
from edmscore.testing._builders import make_card

__all__ = ["ArchiveContract", "make_case_file"]

#: One case of a drawn batch: stored beforehand?, its documents, closed by the batch?, notes,
#: the expected version given off by this much (0: right).
_Drawn = tuple[bool, int, bool, str, int]

_DRAWN = st.lists(
    st.tuples(
        st.booleans(),
        st.integers(0, 3),
        st.booleans(),
        st.sampled_from(["", "Том 2", "Переходящее"]),
        st.sampled_from([0, 0, 0, 0, 0, 0, 0, 1, -1]),
    ),
    max_size=8,
)


def make_case_file(
    *,
    organisation_id: str = "org",
    year: int = 2019,
    index: str = "01-05",
    retention: str = "5 лет ЭПК ст. 16а",
    case_id: str | None = None,
) -> CaseFile:
    """A valid open case file with no documents."""
    return CaseFile(
        case_id or new_id(), organisation_id, year, index, "Переписка с органами власти",
        parse_retention(retention),
    )  # fmt: skip


class ArchiveContract:
    """The behaviour every archive repository must show (see :mod:`edmscore.archive.ports`)."""

    def make_storage(self) -> ArchiveStorage:
        """Return a fresh, empty storage whose units of work keep the archive."""
        raise NotImplementedError

    @pytest.fixture
    def storage(self) -> ArchiveStorage:
        """A fresh storage for one test."""
        return self.make_storage()

    def test_case_file_round_trip_and_versions(self, storage: ArchiveStorage) -> None:
        """A new case file starts at version 1 and reads back equal; a stale write conflicts."""
        document = FiledDocument("card-1", "вх-1", pendulum.date(2019, 3, 1), "Письмо", 3, True)
        case = attrs.evolve(make_case_file(), documents=(document,))
        with storage.unit_of_work() as uow:
            stored = uow.archive.put_case_file(case, 0)
            uow.commit()
        assert stored.version == 1
        with storage.unit_of_work() as uow:
            assert uow.archive.case_file(case.case_id) == stored
            closed = attrs.evolve(
                stored, state=CaseState.CLOSED, closed_on=pendulum.date(2019, 12, 31)
            )
            assert uow.archive.put_case_file(closed, 1).version == 2
            with pytest.raises(ConflictError):
                uow.archive.put_case_file(closed, 1)
            with pytest.raises(ConflictError):
                uow.archive.put_case_file(make_case_file(case_id=case.case_id), 0)
            uow.commit()

    def test_missing_records(self, storage: ArchiveStorage) -> None:
        """Reading what is not there raises NotFound, or gives None from find."""
        with storage.unit_of_work() as uow:
            assert uow.archive.find_case_file("nope") is None
            with pytest.raises(NotFound):
                uow.archive.case_file("nope")
            with pytest.raises(NotFound):
                uow.archive.inventory("nope")
            with pytest.raises(NotFound):
                uow.archive.act("nope")

    def test_rollback_undoes_writes(self, storage: ArchiveStorage) -> None:
        """A unit of work left without commit keeps nothing."""
        case = make_case_file()
        with storage.unit_of_work() as uow:
            uow.archive.put_case_file(case, 0)
        with storage.unit_of_work() as uow:
            assert uow.archive.find_case_file(case.case_id) is None

    def test_listing_filters_and_order(self, storage: ArchiveStorage) -> None:
        """Case files come by year, natural index, id; filtered by organisation, year, state."""
        cases = [
            make_case_file(index="01-10", year=2019),
            make_case_file(index="01-2", year=2019),
            make_case_file(index="01-1", year=2020),
            make_case_file(index="01-3", year=2019, organisation_id="other"),
        ]
        closed = attrs.evolve(
            cases[1], state=CaseState.CLOSED, closed_on=pendulum.date(2019, 12, 31)
        )
        with storage.unit_of_work() as uow:
            for case in (cases[0], closed, cases[2], cases[3]):
                uow.archive.put_case_file(case, 0)
            uow.commit()
        with storage.unit_of_work() as uow:
            listed = uow.archive.case_files("org")
            assert [c.index for c in listed] == ["01-2", "01-10", "01-1"]
            assert [c.index for c in uow.archive.case_files("org", years=[2020])] == ["01-1"]
            only_closed = uow.archive.case_files("org", states=[CaseState.CLOSED])
            assert [c.case_id for c in only_closed] == [closed.case_id]
            assert uow.archive.case_files("org", years=[2018]) == []

    def test_inventories_and_acts(self, storage: ArchiveStorage) -> None:
        """Inventories and acts round-trip, approvals included, listed by id per organisation."""
        case = attrs.evolve(
            make_case_file(retention="Постоянно"),
            state=CaseState.CLOSED,
            closed_on=pendulum.date(2019, 12, 31),
        )
        day = pendulum.date(2020, 2, 1)
        inventory = Inventory.of_cases("inv-b", "org", InventoryKind.PERMANENT, "1", [case], day)
        approval = CommissionApproval(Commission.EPK, pendulum.date(2020, 3, 1), "4", "Архива")
        act = DestructionAct.of_cases("act-1", "org", "1", 2025, day, [], [inventory])
        with storage.unit_of_work() as uow:
            stored = uow.archive.put_inventory(inventory, 0)
            uow.archive.put_inventory(attrs.evolve(inventory, id="inv-a"), 0)
            uow.archive.put_act(act, 0)
            uow.commit()
        with storage.unit_of_work() as uow:
            approved = uow.archive.put_inventory(stored.approved(approval), stored.version)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.archive.inventory("inv-b") == approved
            assert [i.id for i in uow.archive.inventories("org")] == ["inv-a", "inv-b"]
            assert uow.archive.inventories("other") == []
            assert uow.archive.act("act-1") == attrs.evolve(act, version=1)
            assert [a.id for a in uow.archive.acts("org")] == ["act-1"]
            with pytest.raises(ConflictError):
                uow.archive.put_act(act, 0)

    def test_filed_documents(self, storage: ArchiveStorage) -> None:
        """Registered cards filed into the cases, in filing order; deleted ones left out."""
        journal = new_id()
        cases = (new_id(), new_id())
        cards = []
        for n, (case_id, day) in enumerate(
            [(cases[0], 20), (cases[0], 5), (cases[1], 7), (None, 8), (cases[0], 9)], 1
        ):
            at = pendulum.datetime(2019, 3, day, 10, tz="Europe/Moscow")
            card = make_card(journal, f"вх-{n}", registered_at=at, period=2019)
            details = attrs.evolve(card.details, case_id=case_id, sheets=n, on_control=n in (3, 5))
            cards.append(attrs.evolve(card, details=details))
        cards[4] = attrs.evolve(cards[4], status=CardStatus.DELETED)
        with storage.unit_of_work() as uow:
            for card in cards:
                uow.cards.add(card)
            uow.commit()
        with storage.unit_of_work() as uow:
            found = uow.archive.filed_documents("org", [cases[0], cases[1], "empty"])
        assert [d.number for d in found[cases[0]]] == ["вх-2", "вх-1"]
        assert [d.sheets for d in found[cases[0]]] == [2, 1]
        assert found[cases[0]][0].date == pendulum.date(2019, 3, 5)
        assert found[cases[0]][0].title == cards[1].details.summary
        assert [d.card_id for d in found[cases[1]]] == [cards[2].id]
        assert list(found["empty"]) == []
        assert [d.on_control for d in found[cases[1]]] == [True]
        with storage.unit_of_work() as uow:
            assert uow.archive.filed_documents("other", [cases[0]])[cases[0]] == []
            # card 5 (on control) is deleted: only case 2's card counts
            assert uow.archive.cases_under_control("org", [*cases, "empty"]) == {cases[1]}
            assert uow.archive.cases_under_control("other", cases) == frozenset()

    def _drawn_batch(
        self, storage: ArchiveStorage, prefix: str, drawn: list[_Drawn]
    ) -> list[tuple[CaseFile, int]]:
        """Store the cases drawn as stored (committed) and return the batch of changes."""
        changes: list[tuple[CaseFile, int]] = []
        with storage.unit_of_work() as uow:
            for n, (stored, documents, close, notes, off) in enumerate(drawn):
                case = attrs.evolve(
                    make_case_file(case_id=f"{prefix}-{n}", index=f"01-{n + 1}"),
                    documents=[
                        FiledDocument(f"card-{n}-{d}", f"{d}-вх", pendulum.date(2019, 1 + d, 9),
                                      "Письмо", 1 + d, d == 2)
                        for d in range(documents)
                    ],
                )  # fmt: skip
                version = 0
                if stored:
                    case = uow.archive.put_case_file(case, 0)
                    version = case.version
                if close:
                    case = attrs.evolve(
                        case, state=CaseState.CLOSED, closed_on=pendulum.date(2019, 12, 31)
                    )
                changes.append((attrs.evolve(case, notes=notes), max(version + off, 0)))
            uow.commit()
        return changes

    @staticmethod
    def _plain(cases: object, prefix: str) -> object:
        """Results with the namespace prefix taken off the case ids (to compare two runs)."""
        if isinstance(cases, dict):
            return {
                k.removeprefix(prefix): ArchiveContract._plain(v, prefix) for k, v in cases.items()
            }
        if isinstance(cases, list | tuple):
            return [ArchiveContract._plain(c, prefix) for c in cases]
        if isinstance(cases, CaseFile):
            return attrs.evolve(cases, case_id=cases.case_id.removeprefix(prefix))
        return cases

    @settings(
        max_examples=20,
        deadline=None,
        # Every adapter's subclass runs this test: one executor per subclass is intended.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.differing_executors,
        ],
    )
    @given(_DRAWN)
    def test_batch_writes_and_reads_equal_one_by_one(
        self, storage: ArchiveStorage, drawn: list[_Drawn]
    ) -> None:
        """``put_case_files``/``find_case_files`` give and store what ``put_case_file`` and
        ``find_case_file`` one by one do: the same new versions, the same conflict."""
        run = new_id()
        outcomes = []
        for mode in ("batch", "single"):
            prefix = f"{run}-{mode}"
            changes = self._drawn_batch(storage, prefix, drawn)
            keys = [case.case_id for case, _ in changes] + [f"{prefix}-missing"]
            outcome: object
            with storage.unit_of_work() as uow:
                try:
                    if mode == "batch":
                        written = list(uow.archive.put_case_files(changes))
                    else:
                        written = [uow.archive.put_case_file(c, v) for c, v in changes]
                except ConflictError as error:
                    outcome = ("conflict", str(error).replace(prefix + "-", ""))
                else:
                    uow.commit()
                    outcome = written
            with storage.unit_of_work() as uow:
                if mode == "batch":
                    found = dict(uow.archive.find_case_files(keys))
                else:
                    each = {k: uow.archive.find_case_file(k) for k in keys}
                    found = {k: v for k, v in each.items() if v is not None}
            if isinstance(outcome, list):
                assert list(found.values()) == outcome  # read back as written, in the order asked
            outcomes.append((self._plain(outcome, prefix + "-"), self._plain(found, prefix + "-")))
        assert outcomes[0] == outcomes[1]

    def test_batch_names_each_case_once(self, storage: ArchiveStorage) -> None:
        """A case given twice in one batch is refused; an empty batch writes nothing."""
        case = make_case_file()
        with storage.unit_of_work() as uow:
            with pytest.raises(ValidationError):
                uow.archive.put_case_files([(case, 0), (case, 1)])
            assert list(uow.archive.put_case_files([])) == []
            assert dict(uow.archive.find_case_files([])) == {}
