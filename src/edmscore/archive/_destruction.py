"""The act on selecting cases for destruction (акт о выделении к уничтожению документов).

Cases whose fixed term has run out by 1 January of the act's year are listed in the act's eight
columns; the act totals them in figures and words over the years covered and states that the
permanent inventories for those years were approved and the personnel ones agreed by the expert
commission. «ЭПК»-marked cases need the commission's agreement first. Nothing is selected while
a case is under a legal hold or a document of it is under open execution control.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable

import attrs
import pendulum

from edmscore.archive._case_file import CaseFile, CaseState
from edmscore.archive._inventory import CommissionApproval, Inventory, InventoryKind, years_text
from edmscore.archive._words import Gender, counted
from edmscore.errors import StateError, ValidationError
from edmscore.registry.retention import RetentionKind, format_retention

__all__ = [
    "ACT_HEADERS",
    "ActRow",
    "ActState",
    "BlockReason",
    "Blocked",
    "DestructionAct",
    "DestructionSelection",
    "select_for_destruction",
]

#: The eight column headings of the act.
ACT_HEADERS = (
    "№ п/п",
    "Заголовок дела или групповой заголовок дел",
    "Дата дела или крайние даты дел",
    "Номера описей (номенклатур) за год (годы)",
    "Индекс дела (тома, части) по номенклатуре или № дела по описи",
    "Количество дел (томов, частей)",
    "Сроки хранения дела (тома, части) и номера статей по перечню",
    "Примечание",
)


class BlockReason(enum.Enum):
    """Why an expired case is kept out of a destruction act."""

    LEGAL_HOLD = "legal_hold"
    OPEN_CONTROL = "open_control"
    NEEDS_EPK = "needs_epk"

    @property
    def label(self) -> str:
        """The reason in Russian."""
        return _REASONS[self]


_REASONS = {
    BlockReason.LEGAL_HOLD: "Приостановлено уничтожение (судебное или иное требование)",
    BlockReason.OPEN_CONTROL: "Документ дела на контроле исполнения",
    BlockReason.NEEDS_EPK: "Отметка «ЭПК»: нужно согласование экспертной комиссии",
}


@attrs.frozen
class Blocked:
    """An expired case left out of the act, and why."""

    case_id: str
    index: str
    reason: BlockReason


@attrs.frozen
class ActRow:
    """One row of the act: the eight columns of the form, and the case behind it."""

    number: int
    case_id: str
    title: str
    date_range: str
    inventory_ref: str
    index: str
    volumes: int
    retention: str
    notes: str
    year: int

    def cells(self) -> tuple[str, ...]:
        """The row as the form prints it."""
        return (
            str(self.number),
            self.title,
            self.date_range,
            self.inventory_ref,
            self.index,
            str(self.volumes),
            self.retention,
            self.notes,
        )


@attrs.frozen
class DestructionSelection:
    """The cases an act may list, and the expired ones kept out with their reason."""

    act_year: int
    cases: tuple[CaseFile, ...]
    blocked: tuple[Blocked, ...]


def select_for_destruction(
    cases: Iterable[CaseFile],
    act_year: int,
    *,
    epk_agreed: bool = False,
    controlled: Collection[str] | None = None,
    departmental: Collection[str] = (),
) -> DestructionSelection:
    """Pick the closed cases whose term ran out by 1 January of ``act_year``.

    Only ``CLOSED`` and ``INVENTORIED`` cases with a fixed term count, and ``TRANSFERRED`` ones
    kept in the organisation's archive. A case under a legal hold or
    with a document under open control is blocked; an «ЭПК»-marked one too unless
    ``epk_agreed`` (the commission agreed the act). ``controlled`` names the cases with a card
    under open control now (None: as the case files' documents say). ``departmental`` names the
    accepted acts that handed cases to the organisation's own archive: a fixed-term case kept
    there is destroyed from there when its term runs out, like one still in the office.
    """
    chosen: list[CaseFile] = []
    blocked: list[Blocked] = []
    for case in cases:
        if case.state not in (CaseState.CLOSED, CaseState.INVENTORIED) and not (
            case.state is CaseState.TRANSFERRED and case.transfer_id in departmental
        ):
            continue
        if case.retention.kind is not RetentionKind.YEARS:
            continue
        disposal = case.disposal_year
        if disposal is None or disposal > act_year:
            continue
        if case.hold is not None:
            blocked.append(Blocked(case.case_id, case.index, BlockReason.LEGAL_HOLD))
        elif case.under_control if controlled is None else case.case_id in controlled:
            blocked.append(Blocked(case.case_id, case.index, BlockReason.OPEN_CONTROL))
        elif case.retention.epk and not epk_agreed:
            blocked.append(Blocked(case.case_id, case.index, BlockReason.NEEDS_EPK))
        else:
            chosen.append(case)
    return DestructionSelection(act_year, tuple(chosen), tuple(blocked))


class ActState(enum.Enum):
    """A destruction act's life: drawn up, approved by the head, carried out."""

    DRAFT = "draft"
    APPROVED = "approved"
    EXECUTED = "executed"


@attrs.frozen
class DestructionAct:
    """An act on selecting cases for destruction, from drawing up to the destruction itself.

    ``inventories`` are the approved inventories the act refers to; ``agreement`` the expert
    commission's agreement (ЭПК) where the act has «ЭПК»-marked cases or personnel cases;
    ``approved_by``/``approved_on`` the head who approved the act; ``executed_on`` and
    ``executed_by`` the destruction, ``files_removed`` whether the electronic files were erased
    or kept per the organisation's policy.
    """

    id: str
    organisation_id: str
    number: str
    act_year: int
    drawn_up_on: pendulum.Date
    rows: tuple[ActRow, ...]
    inventories: tuple[str, ...] = ()
    inventories_text: str = ""
    agreement: CommissionApproval | None = None
    state: ActState = ActState.DRAFT
    approved_by: str | None = None
    approved_on: pendulum.Date | None = None
    executed_by: str | None = None
    executed_on: pendulum.Date | None = None
    files_removed: bool = False
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.state, ActState):
            raise ValidationError("state", "must be an ActState")
        if len({row.case_id for row in self.rows}) != len(self.rows):
            raise ValidationError("rows", "a case listed twice")

    @property
    def years(self) -> tuple[int, ...]:
        """The years of the cases listed."""
        return tuple(sorted({row.year for row in self.rows}))

    @property
    def total_units(self) -> int:
        """The total of column 6: cases (volumes, parts)."""
        return sum(row.volumes for row in self.rows)

    @property
    def total_line(self) -> str:
        """«Итого 12 (двенадцать) дел за 2015–2018 годы.»"""
        count = counted(self.total_units, Gender.NEUTER, "дело", "дела", "дел")
        years = years_text(self.years) if self.rows else str(self.act_year)
        return f"Итого {count} за {years}."

    @property
    def inventories_line(self) -> str:
        """The statement that the inventories for those years were approved (agreed)."""
        if not self.rows:
            return ""
        years = years_text(self.years)
        line = (
            f"Описи дел постоянного хранения за {years} утверждены, "
            "а по личному составу согласованы"
        )
        if self.agreement is not None:
            line += f" с {self.agreement.text}"
        if self.inventories_text:
            line += f"; описи: {self.inventories_text}"
        return line + "."

    def approved(self, by: str, on: pendulum.Date) -> DestructionAct:
        """The act approved by the head of the organisation."""
        if self.state is not ActState.DRAFT:
            raise StateError(f"act {self.number} is {self.state.value}, not a draft")
        return attrs.evolve(self, state=ActState.APPROVED, approved_by=by, approved_on=on)

    def executed(self, by: str, on: pendulum.Date, *, files_removed: bool) -> DestructionAct:
        """The act carried out: the cases destroyed."""
        if self.state is not ActState.APPROVED:
            raise StateError(f"act {self.number} is {self.state.value}, not approved")
        return attrs.evolve(
            self, state=ActState.EXECUTED, executed_by=by, executed_on=on,
            files_removed=files_removed,
        )  # fmt: skip

    @classmethod
    def of_cases(
        cls,
        act_id: str,
        organisation_id: str,
        number: str,
        act_year: int,
        drawn_up_on: pendulum.Date,
        cases: Iterable[CaseFile],
        inventories: Iterable[Inventory],
        agreement: CommissionApproval | None = None,
    ) -> DestructionAct:
        """Draw up the act over ``cases``, referring to the approved ``inventories``.

        Every year a listed case comes from must have its approved permanent inventory among
        ``inventories`` when that year had permanent cases (the rules allow destruction only
        after that); ``needs_inventory_years`` is checked by the service.
        """
        from edmscore.registry._nomenclature_checks import index_sort_key

        ordered = sorted(cases, key=lambda c: (c.year, index_sort_key(c.index), c.case_id))
        by_id = {i.id: i for i in inventories}
        rows = []
        for n, case in enumerate(ordered, 1):
            ref = f"Номенклатура дел за {case.year} г."
            if case.inventory_id is not None and case.inventory_id in by_id:
                ref = f"Опись № {by_id[case.inventory_id].number} за {case.year} г."
            rows.append(
                ActRow(
                    n,
                    case.case_id,
                    case.title,
                    case.date_range,
                    ref,
                    case.index,
                    case.volume_count,
                    format_retention(case.retention),
                    case.remark,
                    case.year,
                )
            )
        permanent = sorted(
            (i for i in by_id.values() if i.kind in (InventoryKind.PERMANENT,
                                                       InventoryKind.PERSONNEL)),
            key=lambda i: (i.years, i.number),
        )  # fmt: skip
        text = ", ".join(f"№ {i.number} ({i.kind.title})" for i in permanent)
        return cls(
            act_id, organisation_id, number, act_year, drawn_up_on, tuple(rows),
            tuple(i.id for i in permanent), text, agreement,
        )  # fmt: skip
