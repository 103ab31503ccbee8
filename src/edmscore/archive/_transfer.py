"""Transfer of cases to the archive and the acceptance act (акт приема-передачи).

By the rules for keeping archival documents in state bodies (приказ Росархива от 31.07.2023
№ 77) cases of permanent and temporary (over 10 years) storage and personnel cases go to the
organisation's own archive (ведомственный архив) not earlier than one year and not later than
three years after they were closed, on the inventories the expert commission approved.
Permanent cases go on from there to the state (municipal) archive (передача на постоянное
хранение) on inventories approved by the archival authority's commission (ЭПК) once the time the
body keeps them itself has run out (a setting: :data:`DEFAULT_HOLDING_YEARS`).

The acceptance act lists the inventories handed over in the form's five columns; its total
counts the cases in figures and words, and it is signed by who handed over and who accepted.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from edmscore.archive._case_file import CaseFile, CaseState
from edmscore.archive._inventory import Commission, Inventory, InventoryKind
from edmscore.archive._words import Gender, counted
from edmscore.errors import ArchiveStateError, StateError, ValidationError

__all__ = [
    "DEFAULT_HOLDING_YEARS",
    "TRANSFER_HEADERS",
    "TransferAct",
    "TransferDestination",
    "TransferRow",
    "TransferState",
    "check_transferable",
]

#: Years a regional body keeps its permanent cases before the state archive takes them (a
#: setting: the term depends on the kind of body, ст. 22 Федерального закона № 125-ФЗ).
DEFAULT_HOLDING_YEARS = 10

#: The first and last year after closing in which a case goes to the organisation's archive.
DEPARTMENTAL_WINDOW = (1, 3)

#: The five columns of the acceptance act.
TRANSFER_HEADERS = (
    "№ п/п",
    "Название, номер и год описи",
    "Количество экземпляров описи",
    "Количество дел (единиц хранения)",
    "Примечание",
)


class TransferDestination(enum.Enum):
    """Where the cases go: the organisation's archive or the state (municipal) archive."""

    DEPARTMENTAL = "departmental"
    STATE = "state"

    @property
    def label(self) -> str:
        """The destination in Russian."""
        if self is TransferDestination.DEPARTMENTAL:
            return "архив организации (ведомственный архив)"
        return "государственный (муниципальный) архив"


class TransferState(enum.Enum):
    """An acceptance act is drawn up, then accepted (signed by both sides)."""

    DRAFT = "draft"
    ACCEPTED = "accepted"


@attrs.frozen
class TransferRow:
    """One inventory handed over: its title, copies of the inventory, the cases it brings."""

    number: int
    inventory_id: str
    inventory_title: str
    copies: int
    case_ids: tuple[str, ...]
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if isinstance(self.copies, bool) or not isinstance(self.copies, int) or self.copies < 1:
            raise ValidationError("copies", "an inventory is handed over in one copy or more")
        if not self.case_ids:
            raise ValidationError("case_ids", "an inventory row brings at least one case")

    @property
    def cases(self) -> int:
        """How many cases the row brings."""
        return len(self.case_ids)

    def cells(self) -> tuple[str, ...]:
        """The row as the form prints it."""
        return (str(self.number), self.inventory_title, str(self.copies), str(self.cases),
                self.note)  # fmt: skip


@attrs.frozen
class TransferAct:
    """The acceptance act (акт приема-передачи архивных документов на хранение).

    ``archive_name`` is the receiving archive, ``basis`` what the transfer rests on (the
    nomenclature, a schedule, an agreement), ``fund`` the fund's name and number where the
    state archive keeps one. The act becomes ``ACCEPTED`` when the receiving side signs it.
    """

    id: str
    organisation_id: str
    number: str
    destination: TransferDestination
    archive_name: str
    drawn_up_on: pendulum.Date
    rows: tuple[TransferRow, ...]
    basis: str = ""
    fund: str = ""
    state: TransferState = TransferState.DRAFT
    handed_over_by: str = ""
    accepted_by: str = ""
    accepted_on: pendulum.Date | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.destination, TransferDestination):
            raise ValidationError("destination", "must be a TransferDestination")
        if not isinstance(self.archive_name, str) or not self.archive_name.strip():
            raise ValidationError("archive_name", "the receiving archive must be named")
        if not self.rows:
            raise ValidationError("rows", "an acceptance act lists at least one inventory")
        ids = [case_id for row in self.rows for case_id in row.case_ids]
        if len(set(ids)) != len(ids):
            raise ValidationError("rows", "a case is handed over twice in one act")
        if (self.state is TransferState.ACCEPTED) != (self.accepted_on is not None):
            raise ValidationError("accepted_on", "an accepted act has its date, a draft none")

    @property
    def case_ids(self) -> tuple[str, ...]:
        """Every case the act hands over, row by row."""
        return tuple(case_id for row in self.rows for case_id in row.case_ids)

    @property
    def total(self) -> int:
        """How many cases the act hands over."""
        return sum(row.cases for row in self.rows)

    @property
    def title(self) -> str:
        """«Акт № 3 приема-передачи архивных документов на хранение»."""
        return f"Акт № {self.number} приема-передачи архивных документов на хранение"

    @property
    def total_line(self) -> str:
        """«Итого принято 12 (двенадцать) дел (единиц хранения).»"""
        cases = counted(self.total, Gender.NEUTER, "дело", "дела", "дел")
        return f"Итого принято {cases} (единиц хранения)."

    def accepted(self, handed_over_by: str, accepted_by: str, on: pendulum.Date) -> TransferAct:
        """The act signed by both sides on ``on``."""
        if self.state is TransferState.ACCEPTED:
            raise StateError(f"acceptance act {self.number} is already accepted")
        for field, value in (("handed_over_by", handed_over_by), ("accepted_by", accepted_by)):
            if not isinstance(value, str) or not value.strip():
                raise ValidationError(field, "who signed must be named")
        if not isinstance(on, pendulum.Date):
            raise ValidationError("on", "must be a date")
        return attrs.evolve(
            self,
            state=TransferState.ACCEPTED,
            handed_over_by=handed_over_by.strip(),
            accepted_by=accepted_by.strip(),
            accepted_on=on,
        )

    @classmethod
    def of_inventories(
        cls,
        act_id: str,
        organisation_id: str,
        number: str,
        destination: TransferDestination,
        archive_name: str,
        drawn_up_on: pendulum.Date,
        inventories: Iterable[Inventory],
        cases: Mapping[str, Iterable[str]],
        *,
        copies: int = 2,
        basis: str = "",
        fund: str = "",
    ) -> TransferAct:
        """The act handing over ``cases`` (by inventory id) of the approved ``inventories``."""
        rows = []
        kinds = list(InventoryKind)
        ordered = sorted(inventories, key=lambda i: (kinds.index(i.kind), i.years, i.id))
        for n, inventory in enumerate(ordered, 1):
            approval = inventory.approval
            note = "" if approval is None else f"Утверждена: {approval.text}"
            listed = {row.case_id for row in inventory.rows}
            handed = tuple(c for c in cases.get(inventory.id, ()) if c in listed)
            if handed:
                rows.append(TransferRow(n, inventory.id, inventory.title, copies, handed, note))
        rows = [attrs.evolve(row, number=n) for n, row in enumerate(rows, 1)]
        return cls(act_id, organisation_id, number, destination, archive_name, drawn_up_on,
                   tuple(rows), basis, fund)  # fmt: skip


def check_transferable(
    case: CaseFile,
    inventory: Inventory,
    destination: TransferDestination,
    on: pendulum.Date,
    *,
    holding_years: int = DEFAULT_HOLDING_YEARS,
) -> None:
    """Raise :class:`~edmscore.errors.ArchiveStateError` unless ``case`` may go to
    ``destination`` on the day ``on`` on ``inventory``; else return quietly.

    To the organisation's archive: a case listed in an approved inventory, closed at least a year
    before (the three-year limit is a duty of the office, not a bar: later is still allowed). To
    the state archive: a permanent case, from the office or the organisation's archive, on a
    permanent inventory the ЭПК approved, the body's holding time run out.
    """
    move = f"transfer to the {destination.value} archive"
    state = case.state.value
    if not inventory.is_approved:
        raise ArchiveStateError(case.index, state, move, "its inventory is not approved")
    if case.hold is not None:
        raise ArchiveStateError(case.index, state, move, "under a legal hold")
    closed = case.closed_on
    if closed is None:
        raise ArchiveStateError(case.index, state, move, "the case is open")
    if destination is TransferDestination.DEPARTMENTAL:
        if case.state is not CaseState.INVENTORIED or case.inventory_id != inventory.id:
            raise ArchiveStateError(case.index, state, move, "not listed in this inventory")
        if on < closed.add(years=DEPARTMENTAL_WINDOW[0]):
            raise ArchiveStateError(case.index, state, move, "less than a year after closing")
        return
    approval = inventory.approval
    if inventory.kind is not InventoryKind.PERMANENT:
        raise ArchiveStateError(case.index, state, move, "only permanent cases go there")
    if approval is None or approval.commission not in (Commission.EPK, Commission.CEK):
        raise ArchiveStateError(case.index, state, move, "the inventory needs the ЭПК's approval")
    if case.state not in (CaseState.INVENTORIED, CaseState.TRANSFERRED):
        raise ArchiveStateError(case.index, state, move, "not kept by the organisation")
    if on < closed.add(years=holding_years):
        raise ArchiveStateError(case.index, state, move, "the holding time has not run out")


def is_departmental_overdue(case: CaseFile, on: pendulum.Date) -> bool:
    """Whether an inventoried case should have gone to the organisation's archive by ``on``."""
    return (
        case.state is CaseState.INVENTORIED
        and case.closed_on is not None
        and on > case.closed_on.add(years=DEPARTMENTAL_WINDOW[1])
    )
