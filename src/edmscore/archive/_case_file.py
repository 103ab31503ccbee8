"""The case file (дело): the documents filed into a case, its sheets, dates, volumes and state.

A case of the nomenclature becomes a case file as cards are filed into it. Its documents are
numbered on sheets in filing order (date, then number); the internal inventory (внутренняя опись)
lists them with their sheet numbers. A case grows into volumes (тома) past the sheet limit of a
volume, 250 by the records rules; a document is never split between volumes. At year end a case
is closed, or carried over (переходящее) into the next year's nomenclature.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Iterable

import attrs
import pendulum

from edmscore.archive._words import Gender, counted
from edmscore.errors import ValidationError
from edmscore.registry.retention import RetentionCategory, RetentionPeriod

__all__ = [
    "DEFAULT_VOLUME_SHEETS",
    "CaseFile",
    "CaseState",
    "FiledDocument",
    "InternalInventoryRow",
    "Volume",
]

#: The most sheets one volume of a case holds (records rules: not over 250 sheets).
DEFAULT_VOLUME_SHEETS = 250


class CaseState(enum.Enum):
    """Where a case is in its archival life: exactly one at a time.

    ``OPEN`` — documents are still filed into it; ``CLOSED`` — closed at year end, kept in the
    records office; ``INVENTORIED`` — listed in an inventory (опись дел); ``SELECTED`` — listed in a
    destruction act not yet carried out; ``DESTROYED`` — destroyed by an act; ``TRANSFERRED`` —
    transferred to the archive by an acceptance act.
    """

    OPEN = "open"
    CLOSED = "closed"
    INVENTORIED = "inventoried"
    SELECTED = "selected"
    DESTROYED = "destroyed"
    TRANSFERRED = "transferred"

    @property
    def label(self) -> str:
        """The state in Russian, as an archivist reads it."""
        return _STATE_LABELS[self]


_STATE_LABELS = {
    CaseState.OPEN: "Открыто",
    CaseState.CLOSED: "Закрыто",
    CaseState.INVENTORIED: "Внесено в опись",
    CaseState.SELECTED: "Выделено к уничтожению",
    CaseState.DESTROYED: "Уничтожено",
    CaseState.TRANSFERRED: "Передано в архив",
}


@attrs.frozen
class FiledDocument:
    """A document filed into a case: its card, registration number and date, title and sheets.

    ``sheets`` is the sheet count of the card (main document and enclosures); a document with
    none recorded still takes one sheet of the case. ``on_control`` tells that the card is under
    execution control, which blocks the destruction of its case.
    """

    card_id: str
    number: str
    date: pendulum.Date
    title: str
    sheets: int = 1
    on_control: bool = False

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.card_id, str) or not self.card_id:
            raise ValidationError("card_id", "must be a non-empty string")
        if not isinstance(self.date, pendulum.Date):
            raise ValidationError("date", f"must be a date, got {self.date!r}")
        if isinstance(self.sheets, bool) or not isinstance(self.sheets, int) or self.sheets < 1:
            raise ValidationError("sheets", f"must be a positive integer, got {self.sheets!r}")

    @property
    def order(self) -> tuple[pendulum.Date, str, str]:
        """Filing order: date, then number, then card id."""
        return (self.date, self.number, self.card_id)


@attrs.frozen
class InternalInventoryRow:
    """One row of a volume's internal inventory: the six columns of the form."""

    number: int
    registration_number: str
    date: pendulum.Date
    title: str
    first_sheet: int
    last_sheet: int
    note: str = ""

    @property
    def sheets_cell(self) -> str:
        """Column 5, «Номера листов дела»: ``3`` or ``3–7``."""
        if self.first_sheet == self.last_sheet:
            return str(self.first_sheet)
        return f"{self.first_sheet}–{self.last_sheet}"

    def cells(self) -> tuple[str, ...]:
        """The row as the form prints it."""
        return (
            str(self.number),
            self.registration_number,
            self.date.format("DD.MM.YYYY"),
            self.title,
            self.sheets_cell,
            self.note,
        )


@attrs.frozen
class Volume:
    """One volume (том) of a case: its documents, sheets and date range."""

    number: int
    documents: tuple[FiledDocument, ...]

    @property
    def sheets(self) -> int:
        """The volume's sheets."""
        return sum(d.sheets for d in self.documents)

    @property
    def start(self) -> pendulum.Date | None:
        """The date of its earliest document."""
        return min((d.date for d in self.documents), default=None)

    @property
    def end(self) -> pendulum.Date | None:
        """The date of its latest document."""
        return max((d.date for d in self.documents), default=None)

    def internal_inventory(self) -> tuple[InternalInventoryRow, ...]:
        """The internal inventory (внутренняя опись) of the volume, sheets numbered from 1."""
        rows: list[InternalInventoryRow] = []
        sheet = 1
        for number, document in enumerate(self.documents, 1):
            last = sheet + document.sheets - 1
            rows.append(
                InternalInventoryRow(
                    number, document.number, document.date, document.title, sheet, last
                )
            )
            sheet = last + 1
        return tuple(rows)

    def internal_inventory_total(self) -> str:
        """The closing note of the internal inventory, counts in figures and words."""
        documents = counted(len(self.documents), Gender.MASCULINE, "документ", "документа",
                            "документов")  # fmt: skip
        sheets = counted(self.sheets, Gender.MASCULINE, "лист", "листа", "листов")
        return f"Итого {documents}. Количество листов документов — {sheets}."


class _Filed(tuple[FiledDocument, ...]):
    """A case file's documents once checked and put in filing order.

    A plain tuple to everyone (equal to one with the same documents); a case file changed with
    ``attrs.evolve`` (closed, listed, selected…) keeps it without checking and sorting the
    thousands of documents again.
    """

    __slots__ = ()


#: Filing order (:attr:`FiledDocument.order`), read in C.
_FILING_ORDER = operator.attrgetter("date", "number", "card_id")


def _documents(value: Iterable[FiledDocument]) -> tuple[FiledDocument, ...]:
    if type(value) is _Filed:
        return value
    documents = tuple(value)
    for document in documents:
        if not isinstance(document, FiledDocument):
            raise ValidationError("documents", f"must be FiledDocument values: {document!r}")
    if len({d.card_id for d in documents}) != len(documents):
        raise ValidationError("documents", "a card is filed into the case twice")
    return _Filed(sorted(documents, key=_FILING_ORDER))


@attrs.frozen
class CaseFile:
    """A case of the nomenclature as a file: its documents, state and archival references.

    ``year`` is the nomenclature's year; ``inventory_id``, ``act_id`` and ``transfer_id`` name the
    inventory, destruction act and acceptance act the case is listed in; ``hold`` is the reason of
    a legal hold, which keeps the case from destruction while set. ``personnel`` marks a case of
    personnel records (по личному составу), listed in its own inventory.
    """

    case_id: str
    organisation_id: str
    year: int
    index: str
    title: str
    retention: RetentionPeriod
    documents: tuple[FiledDocument, ...] = attrs.field(default=(), converter=_documents)
    state: CaseState = CaseState.OPEN
    closed_on: pendulum.Date | None = None
    carried_over_from: int | None = None
    carried_over_to: int | None = None
    personnel: bool = False
    volume_sheets: int = DEFAULT_VOLUME_SHEETS
    inventory_id: str | None = None
    act_id: str | None = None
    transfer_id: str | None = None
    hold: str | None = None
    notes: str = ""
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.state, CaseState):
            raise ValidationError("state", f"must be a CaseState, got {self.state!r}")
        if not isinstance(self.retention, RetentionPeriod):
            raise ValidationError("retention", "must be a RetentionPeriod")
        sheets = self.volume_sheets
        if isinstance(sheets, bool) or not isinstance(sheets, int) or sheets < 1:
            raise ValidationError("volume_sheets", f"must be a positive integer, got {sheets!r}")
        if (self.state is CaseState.OPEN) != (self.closed_on is None):
            raise ValidationError("closed_on", "an open case has no closing date, a closed one has")
        needs = {
            CaseState.INVENTORIED: ("inventory_id", self.inventory_id),
            CaseState.SELECTED: ("act_id", self.act_id),
            CaseState.DESTROYED: ("act_id", self.act_id),
            CaseState.TRANSFERRED: ("transfer_id", self.transfer_id),
        }
        if self.state in needs and needs[self.state][1] is None:
            raise ValidationError(needs[self.state][0], f"a {self.state.value} case names it")
        if self.state in (CaseState.OPEN, CaseState.CLOSED) and self.act_id is not None:
            raise ValidationError("act_id", f"a {self.state.value} case is in no destruction act")
        if self.hold is not None and not self.hold.strip():
            raise ValidationError("hold", "a legal hold needs its reason")

    @property
    def category(self) -> RetentionCategory:
        """The retention category (permanent, over 10 years, up to 10 years)."""
        return self.retention.category

    @property
    def sheets(self) -> int:
        """The sheets of every document filed into the case."""
        return sum(d.sheets for d in self.documents)

    @property
    def start(self) -> pendulum.Date | None:
        """The date of the case's earliest document (крайняя дата начала)."""
        return self.documents[0].date if self.documents else None

    @property
    def end(self) -> pendulum.Date | None:
        """The date of its latest document (крайняя дата окончания)."""
        return max((d.date for d in self.documents), default=None)

    @property
    def date_range(self) -> str:
        """The date range as the forms print it: «10.01.2024–25.12.2024»; a year if empty."""
        if self.start is None or self.end is None:
            return str(self.year)
        start, end = self.start.format("DD.MM.YYYY"), self.end.format("DD.MM.YYYY")
        return start if start == end else f"{start}–{end}"

    def volumes(self) -> tuple[Volume, ...]:
        """The case split into volumes of at most :attr:`volume_sheets` sheets each.

        Documents stay whole: one larger than a volume fills a volume of its own.
        """
        volumes: list[list[FiledDocument]] = [[]]
        used = 0
        for document in self.documents:
            if volumes[-1] and used + document.sheets > self.volume_sheets:
                volumes.append([])
                used = 0
            volumes[-1].append(document)
            used += document.sheets
        return tuple(Volume(n, tuple(docs)) for n, docs in enumerate(volumes, 1))

    @property
    def volume_count(self) -> int:
        """How many volumes the case takes (at least one)."""
        return len(self.volumes())

    @property
    def under_control(self) -> bool:
        """Whether a document of the case is under open execution control."""
        return any(d.on_control for d in self.documents)

    @property
    def disposal_year(self) -> int | None:
        """The first year on whose 1 January the closed case's term has run out, if fixed."""
        if self.closed_on is None:
            return None
        return self.retention.disposal_year(self.closed_on.year)

    @property
    def remark(self) -> str:
        """The notes column: carry-over marks, the volume count, free notes."""
        parts = []
        if self.carried_over_from is not None:
            parts.append(f"Переходящее с {self.carried_over_from} г.")
        if self.carried_over_to is not None:
            parts.append(f"Переходящее на {self.carried_over_to} г.")
        if self.notes.strip():
            parts.append(self.notes.strip())
        return "; ".join(parts)
