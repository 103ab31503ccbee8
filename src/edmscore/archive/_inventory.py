"""Inventories of cases (описи дел) and the expert commission's approval of them.

Cases of permanent storage, of temporary storage over 10 years and of personnel records each have
their own inventory, drawn up per year and consolidated over years. Cases are numbered in order;
a case added to an approved order later gets a lettered number (``12а``), a number left free is
a skipped number. The closing note (итоговая запись) counts the cases in figures and words, names
the first and last numbers and lists the lettered and skipped ones. The expert commission (ЭК of
the body; ЭПК of the archival authority for inventories it must approve or agree) approves an
inventory by its minutes; an approved inventory does not change.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs
import pendulum

from edmscore.archive._case_file import CaseFile
from edmscore.archive._words import Gender, counted
from edmscore.errors import StateError, ValidationError
from edmscore.registry.retention import RetentionCategory, format_retention

__all__ = [
    "HEADERS_PERMANENT",
    "HEADERS_TEMPORARY",
    "Commission",
    "CommissionApproval",
    "Inventory",
    "InventoryKind",
    "InventoryRow",
    "inventory_kind_of",
    "years_text",
]

_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


class InventoryKind(enum.Enum):
    """Which inventory a case goes to."""

    PERMANENT = "permanent"
    OVER_10 = "over_10"
    PERSONNEL = "personnel"

    @property
    def title(self) -> str:
        """The inventory's heading: «Опись № … дел постоянного хранения»."""
        return _KIND_TITLES[self]

    @property
    def has_retention_column(self) -> bool:
        """Whether the form has the retention column (temporary and personnel inventories)."""
        return self is not InventoryKind.PERMANENT


_KIND_TITLES = {
    InventoryKind.PERMANENT: "дел постоянного хранения",
    InventoryKind.OVER_10: "дел временного (свыше 10 лет) хранения",
    InventoryKind.PERSONNEL: "дел по личному составу",
}


def inventory_kind_of(case: CaseFile) -> InventoryKind | None:
    """The inventory a closed case belongs in; ``None`` for cases kept up to 10 years."""
    if case.personnel:
        return InventoryKind.PERSONNEL
    if case.category is RetentionCategory.PERMANENT:
        return InventoryKind.PERMANENT
    if case.category is RetentionCategory.TEMPORARY_OVER_10:
        return InventoryKind.OVER_10
    return None


class Commission(enum.Enum):
    """The expert commission that approves or agrees a document."""

    EK = "ЭК"
    EPK = "ЭПК"
    CEK = "ЦЭК"


@attrs.frozen
class CommissionApproval:
    """The commission's decision: which commission, the minutes' date and number, who signed."""

    commission: Commission
    minutes_date: pendulum.Date
    minutes_number: str
    body: str = ""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.commission, Commission):
            raise ValidationError("commission", "must be a Commission")
        if not isinstance(self.minutes_date, pendulum.Date):
            raise ValidationError("minutes_date", "must be a date")
        if not isinstance(self.minutes_number, str) or not self.minutes_number.strip():
            raise ValidationError("minutes_number", "the minutes need their number")

    @property
    def text(self) -> str:
        """«ЭПК Архивного управления (протокол от 12.03.2025 № 3)»."""
        who = f"{self.commission.value} {self.body}".strip()
        return (
            f"{who} (протокол от {self.minutes_date.format('DD.MM.YYYY')} № {self.minutes_number})"
        )


def years_text(years: Iterable[int]) -> str:
    """«2024 год», «2021–2024 годы», «2019, 2021 годы»."""
    ordered = sorted(set(years))
    if not ordered:
        raise ValidationError("years", "at least one year")
    if len(ordered) == 1:
        return f"{ordered[0]} год"
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]} годы"
    return ", ".join(str(y) for y in ordered) + " годы"


@attrs.frozen
class InventoryRow:
    """One case in an inventory: number (maybe lettered), the case and its form columns."""

    number: int
    letter: str
    case_id: str
    index: str
    title: str
    date_range: str
    sheets: int
    volumes: int
    retention: str
    notes: str
    year: int

    @property
    def label(self) -> str:
        """The number as printed: ``12`` or ``12а``."""
        return f"{self.number}{self.letter}"

    def cells(self, kind: InventoryKind) -> tuple[str, ...]:
        """The row as the form prints it (the retention column only where the form has it)."""
        head = (self.label, self.index, self.title, self.date_range)
        notes = self.notes
        if self.volumes > 1:
            notes = "; ".join(p for p in (f"{self.volumes} т.", notes) if p)
        if kind.has_retention_column:
            return (*head, self.retention, str(self.sheets), notes)
        return (*head, str(self.sheets), notes)


#: The column headings of each form.
HEADERS_PERMANENT = (
    "№ п/п", "Индекс дела", "Заголовок дела", "Крайние даты", "Количество листов", "Примечание",
)  # fmt: skip
HEADERS_TEMPORARY = (
    "№ п/п", "Индекс дела", "Заголовок дела", "Крайние даты",
    "Срок хранения, статья по перечню", "Количество листов", "Примечание",
)  # fmt: skip


def row_of(case: CaseFile, number: int, letter: str = "") -> InventoryRow:
    """The inventory row of a closed case."""
    return InventoryRow(
        number,
        letter,
        case.case_id,
        case.index,
        case.title,
        case.date_range,
        case.sheets,
        case.volume_count,
        format_retention(case.retention),
        case.remark,
        case.year,
    )


@attrs.frozen
class Inventory:
    """An inventory of cases (опись дел) of one kind, for one year or consolidated over years.

    ``skipped`` are numbers left free. The approval, once given, freezes the inventory.
    """

    id: str
    organisation_id: str
    kind: InventoryKind
    number: str
    rows: tuple[InventoryRow, ...]
    compiled_on: pendulum.Date
    section: str = ""
    skipped: tuple[int, ...] = ()
    approval: CommissionApproval | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.kind, InventoryKind):
            raise ValidationError("kind", "must be an InventoryKind")
        labels = [row.label for row in self.rows]
        if len(set(labels)) != len(labels):
            raise ValidationError("rows", "two rows with one number")
        if len({row.case_id for row in self.rows}) != len(self.rows):
            raise ValidationError("rows", "a case listed twice")
        if set(self.skipped) & {row.number for row in self.rows if not row.letter}:
            raise ValidationError("skipped", "a skipped number is in use")

    @property
    def years(self) -> tuple[int, ...]:
        """The years of the cases listed."""
        return tuple(sorted({row.year for row in self.rows}))

    @property
    def is_approved(self) -> bool:
        """Whether the expert commission has approved it."""
        return self.approval is not None

    @property
    def headers(self) -> tuple[str, ...]:
        """The form's column headings."""
        return HEADERS_TEMPORARY if self.kind.has_retention_column else HEADERS_PERMANENT

    @property
    def title(self) -> str:
        """«Опись № 1 дел постоянного хранения за 2024 год»."""
        years = f" за {years_text(self.years)}" if self.rows else ""
        return f"Опись № {self.number} {self.kind.title}{years}"

    @property
    def first_number(self) -> int:
        """The first case number."""
        return min((row.number for row in self.rows), default=0)

    @property
    def last_number(self) -> int:
        """The last case number (skipped numbers included)."""
        return max((*(row.number for row in self.rows), *self.skipped), default=0)

    @property
    def lettered(self) -> tuple[str, ...]:
        """The lettered numbers (литерные номера)."""
        return tuple(row.label for row in self.rows if row.letter)

    @property
    def closing_note(self) -> str:
        """The closing note: the count in figures and words, first and last numbers, lettered
        and skipped numbers («В данный раздел описи внесено 25 (двадцать пять) дел …»)."""
        count = counted(len(self.rows), Gender.NEUTER, "дело", "дела", "дел")
        lettered = ", ".join(self.lettered) or "нет"
        skipped = ", ".join(str(n) for n in sorted(self.skipped)) or "нет"
        return (
            f"В данный раздел описи внесено {count} с № {self.first_number} "
            f"по № {self.last_number}, в том числе: литерные номера: {lettered}; "
            f"пропущенные номера: {skipped}."
        )

    def _open(self) -> None:
        if self.is_approved:
            raise StateError(f"inventory {self.number} is approved and does not change")

    def with_lettered(self, after: int, case: CaseFile) -> Inventory:
        """Add ``case`` after number ``after`` with the next free letter (``12а``, ``12б``)."""
        self._open()
        if not any(row.number == after and not row.letter for row in self.rows):
            raise ValidationError("after", f"no case number {after} in the inventory")
        used = {row.letter for row in self.rows if row.number == after}
        letter = next(x for x in _LETTERS if x not in used)
        rows = sorted(
            (*self.rows, row_of(case, after, letter)),
            key=lambda r: (r.number, _LETTERS.find(r.letter) if r.letter else -1),
        )
        return attrs.evolve(self, rows=tuple(rows))

    def without(self, number: int) -> Inventory:
        """Withdraw case ``number`` (not lettered); the number becomes a skipped number."""
        self._open()
        kept = tuple(r for r in self.rows if not (r.number == number and not r.letter))
        if len(kept) == len(self.rows):
            raise ValidationError("number", f"no case number {number} in the inventory")
        return attrs.evolve(self, rows=kept, skipped=tuple(sorted({*self.skipped, number})))

    def approved(self, approval: CommissionApproval) -> Inventory:
        """The inventory approved by the commission."""
        self._open()
        if not isinstance(approval, CommissionApproval):
            raise ValidationError("approval", "must be a CommissionApproval")
        return attrs.evolve(self, approval=approval)

    @classmethod
    def of_cases(
        cls,
        inventory_id: str,
        organisation_id: str,
        kind: InventoryKind,
        number: str,
        cases: Iterable[CaseFile],
        compiled_on: pendulum.Date,
        *,
        start: int = 1,
    ) -> Inventory:
        """Number ``cases`` (by year, then case index) into a new inventory from ``start``."""
        from edmscore.registry._nomenclature_checks import index_sort_key

        ordered = sorted(cases, key=lambda c: (c.year, index_sort_key(c.index), c.case_id))
        rows = tuple(row_of(case, n) for n, case in enumerate(ordered, start))
        return cls(inventory_id, organisation_id, kind, number, rows, compiled_on)

    @classmethod
    def consolidated(
        cls,
        inventory_id: str,
        number: str,
        inventories: Iterable[Inventory],
        compiled_on: pendulum.Date,
    ) -> Inventory:
        """One inventory over several years' approved inventories of one kind, renumbered."""
        parts = sorted(inventories, key=lambda i: (i.years, i.number))
        if not parts:
            raise ValidationError("inventories", "at least one inventory to consolidate")
        kinds = {i.kind for i in parts}
        organisations = {i.organisation_id for i in parts}
        if len(kinds) != 1 or len(organisations) != 1:
            raise ValidationError("inventories", "one kind of one organisation only")
        if not all(i.is_approved for i in parts):
            raise StateError("only approved annual inventories are consolidated")
        rows = [row for part in parts for row in part.rows]
        renumbered = tuple(attrs.evolve(row, number=n, letter="") for n, row in enumerate(rows, 1))
        return cls(inventory_id, parts[0].organisation_id, parts[0].kind, number, renumbered,
                   compiled_on)  # fmt: skip
