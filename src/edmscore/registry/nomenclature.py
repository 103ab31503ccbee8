"""The nomenclature of cases (номенклатура дел) of an organisation for one calendar year.

A :class:`Nomenclature` lists the cases (дела) documents are filed into, grouped in sections
(:class:`NomenclatureSection`, usually the departments), each :class:`Case` with its index, title,
number of volumes, retention period and notes. Everything here is an immutable value: the
operations (:meth:`Nomenclature.close_case`, :meth:`~Nomenclature.carry_over`,
:meth:`~Nomenclature.copy_to_next_year`, …) return a new nomenclature, validated again.

Case indexes follow the usual convention «department code + serial», e.g. ``01-12`` for the
twelfth case of department ``01`` (:func:`make_case_index`); only loose rules are enforced
(non-empty, no spaces, at most 50 characters), since bodies extend the scheme.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable

import attrs
import pendulum

from edmscore.errors import NotFound, StateError, ValidationError
from edmscore.registry._nomenclature_case import (
    MAX_ID_LENGTH,
    MAX_INDEX_LENGTH,
    Case,
    NomenclatureSection,
    make_case_index,
)
from edmscore.registry._nomenclature_checks import (
    MAX_YEAR,
    MIN_YEAR,
    check_token,
    check_year,
    index_sort_key,
    to_date,
)
from edmscore.registry._nomenclature_render import (
    render_nomenclature_table,
    render_year_end_summary,
)
from edmscore.registry._nomenclature_reports import (
    CategoryCount,
    DestructionCandidates,
    NomenclatureSummary,
)

__all__ = [
    "APPROVAL_YEARS_BEFORE",
    "MAX_INDEX_LENGTH",
    "MAX_YEAR",
    "MIN_YEAR",
    "Case",
    "CategoryCount",
    "DestructionCandidates",
    "Nomenclature",
    "NomenclatureSection",
    "NomenclatureSummary",
    "make_case_index",
    "render_nomenclature_table",
    "render_year_end_summary",
]

#: How many years before its own year a nomenclature may have been approved (a consolidated
#: nomenclature is approved at least once in five years and brought into force each year).
APPROVAL_YEARS_BEFORE = 5


def _approved_on(value: datetime.date | None) -> pendulum.Date | None:
    return None if value is None else to_date("approved_on", value)


def _sections(value: Iterable[NomenclatureSection]) -> tuple[NomenclatureSection, ...]:
    return tuple(value)


def _cases(value: Iterable[Case]) -> tuple[Case, ...]:
    return tuple(value)


@attrs.frozen(slots=False)  # not slotted: the lookup tables are cached in the instance dict
class Nomenclature:
    """The nomenclature of cases of one organisation for one calendar ``year``.

    Validated at construction: unique section codes, unique case ids and indexes, every case in
    an existing section, carry-over years around ``year`` (``carried_over_from`` earlier,
    ``carried_over_to`` exactly the next year), closing dates within ``year`` (a case carried over
    to the next year closes in that year or later), approval at most
    :data:`APPROVAL_YEARS_BEFORE` years before ``year`` and not after it.
    """

    id: str
    organisation_id: str
    year: int
    sections: tuple[NomenclatureSection, ...] = attrs.field(default=(), converter=_sections)
    cases: tuple[Case, ...] = attrs.field(default=(), converter=_cases)
    approved_on: pendulum.Date | None = attrs.field(default=None, converter=_approved_on)

    # Lookup tables, filled by validation. Not attrs fields: serialisers walking
    # ``attrs.fields`` see exactly the six constructor arguments.
    @functools.cached_property
    def _by_id(self) -> dict[str, Case]:
        return {case.id: case for case in self.cases}

    @functools.cached_property
    def _by_index(self) -> dict[str, Case]:
        return {case.index: case for case in self.cases}

    def __attrs_post_init__(self) -> None:
        check_token("id", self.id, max_length=MAX_ID_LENGTH)
        check_token("organisation_id", self.organisation_id, max_length=MAX_ID_LENGTH)
        check_year("year", self.year)
        codes: set[str] = set()
        for position, section in enumerate(self.sections):
            if not isinstance(section, NomenclatureSection):
                raise ValidationError(f"sections.{position}", f"not a section: {section!r}")
            if section.code in codes:
                raise ValidationError(f"sections.{position}.code", f"repeated: {section.code!r}")
            codes.add(section.code)
        by_id: dict[str, Case] = {}
        by_index: dict[str, Case] = {}
        for position, case in enumerate(self.cases):
            field = f"cases.{position}"
            if not isinstance(case, Case):
                raise ValidationError(field, f"not a case: {case!r}")
            if case.id in by_id:
                raise ValidationError(f"{field}.id", f"repeated case id {case.id!r}")
            if case.index in by_index:
                raise ValidationError(f"{field}.index", f"repeated case index {case.index!r}")
            if case.section_code not in codes:
                raise ValidationError(
                    f"{field}.section_code", f"no section {case.section_code!r} (case {case.index})"
                )
            self._check_case_years(field, case)
            by_id[case.id] = case
            by_index[case.index] = case
        if self.approved_on is not None and not (
            self.year - APPROVAL_YEARS_BEFORE <= self.approved_on.year <= self.year
        ):
            raise ValidationError(
                "approved_on",
                f"{self.approved_on} is not within {APPROVAL_YEARS_BEFORE} years before "
                f"the end of {self.year}",
            )
        self.__dict__["_by_id"] = by_id
        self.__dict__["_by_index"] = by_index

    def _check_case_years(self, field: str, case: Case) -> None:
        if case.carried_over_from is not None and case.carried_over_from >= self.year:
            raise ValidationError(
                f"{field}.carried_over_from",
                f"case {case.index}: must be earlier than {self.year}",
            )
        if case.carried_over_to is not None and case.carried_over_to != self.year + 1:
            raise ValidationError(
                f"{field}.carried_over_to", f"case {case.index}: must be {self.year + 1}"
            )
        if case.closed_on is None:
            return
        if case.carried_over_to is None and case.closed_on.year != self.year:
            raise ValidationError(
                f"{field}.closed_on",
                f"case {case.index} of {self.year} closed on {case.closed_on}",
            )
        if case.carried_over_to is not None and case.closed_on.year < case.carried_over_to:
            raise ValidationError(
                f"{field}.closed_on",
                f"case {case.index} is carried over to {case.carried_over_to}; "
                f"it cannot close on {case.closed_on}",
            )

    # --- lookups -----------------------------------------------------------------------------

    def case_by_id(self, case_id: str) -> Case:
        """The case with this id; :class:`~edmscore.errors.NotFound` if there is none."""
        try:
            return self._by_id[case_id]
        except (KeyError, TypeError):
            raise NotFound("case", case_id) from None

    def case_by_index(self, index: str) -> Case:
        """The case with this index; :class:`~edmscore.errors.NotFound` if there is none."""
        try:
            return self._by_index[index]
        except (KeyError, TypeError):
            raise NotFound("case index", index) from None

    def section_by_code(self, code: str) -> NomenclatureSection:
        """The section with this code; :class:`~edmscore.errors.NotFound` if there is none."""
        for section in self.sections:
            if section.code == code:
                return section
        raise NotFound("nomenclature section", code)

    def cases_in_section(self, code: str) -> tuple[Case, ...]:
        """The cases of one section in natural index order (``01-2`` before ``01-10``)."""
        self.section_by_code(code)
        cases = (case for case in self.cases if case.section_code == code)
        return tuple(sorted(cases, key=lambda case: index_sort_key(case.index)))

    # --- changes (each returns a new, validated nomenclature) ---------------------------------

    def with_section(self, section: NomenclatureSection) -> Nomenclature:
        """Add ``section``, or replace the section with the same code."""
        if not isinstance(section, NomenclatureSection):
            raise ValidationError("section", f"not a section: {section!r}")
        if all(s.code != section.code for s in self.sections):
            return attrs.evolve(self, sections=(*self.sections, section))
        return attrs.evolve(
            self, sections=tuple(section if s.code == section.code else s for s in self.sections)
        )

    def with_case(self, case: Case) -> Nomenclature:
        """Add ``case``, or replace the case with the same id (keeping its place)."""
        if not isinstance(case, Case):
            raise ValidationError("case", f"not a case: {case!r}")
        if case.id in self._by_id:
            return attrs.evolve(
                self, cases=tuple(case if c.id == case.id else c for c in self.cases)
            )
        return attrs.evolve(self, cases=(*self.cases, case))

    def close_case(self, case_id: str, on: datetime.date) -> Nomenclature:
        """Close a case on date ``on``; it must lie in the nomenclature's year.

        A case carried over to the next year closes in that year or later. Closing a closed
        case raises :class:`~edmscore.errors.StateError`; a date out of bounds raises
        :class:`~edmscore.errors.ValidationError` naming ``on``.
        """
        return self.close_cases((case_id,), on)

    def close_cases(self, case_ids: Iterable[str], on: datetime.date) -> Nomenclature:
        """Close several cases on date ``on`` at once, as :meth:`close_case` one by one would.

        Each case is checked as :meth:`close_case` checks it, in the order given (a case named
        twice is already closed the second time); the nomenclature is rebuilt once, so closing
        every case of a large nomenclature stays linear.
        """
        date: pendulum.Date | None = None
        closing: dict[str, Case] = {}
        for case_id in case_ids:
            case = closing.get(case_id) or self.case_by_id(case_id)
            if case.closed_on is not None:
                raise StateError(f"case {case.index} is already closed on {case.closed_on}")
            date = date or to_date("on", on)
            if case.carried_over_to is None and date.year != self.year:
                raise ValidationError(
                    "on", f"case {case.index} of {self.year} cannot close on {date}"
                )
            if case.carried_over_to is not None and date.year < case.carried_over_to:
                raise ValidationError(
                    "on",
                    f"case {case.index} is carried over to {case.carried_over_to}; "
                    f"it cannot close on {date}",
                )
            closing[case_id] = attrs.evolve(case, closed_on=date)
        if not closing:
            return self
        return attrs.evolve(self, cases=tuple(closing.get(c.id, c) for c in self.cases))

    def carry_over(self, case_id: str) -> Nomenclature:
        """Mark an open case as continuing into the next year («Переходящее на 20XX г.»)."""
        case = self.case_by_id(case_id)
        if case.closed_on is not None:
            raise StateError(f"case {case.index} is closed; a closed case is not carried over")
        if case.carried_over_to is not None:
            raise StateError(f"case {case.index} is already carried over to {case.carried_over_to}")
        check_year("year", self.year + 1)
        return self.with_case(attrs.evolve(case, carried_over_to=self.year + 1))

    def approve(self, on: datetime.date) -> Nomenclature:
        """The same nomenclature with its approval date set (or changed) to ``on``."""
        return attrs.evolve(self, approved_on=to_date("approved_on", on))

    def copy_to_next_year(
        self, new_id: str, *, case_ids: Callable[[Case], str] | None = None
    ) -> Nomenclature:
        """The nomenclature of the next year, with the same sections and case indexes.

        Every case starts open again. A case carried over and still open continues: it is marked
        «Переходящее с 20XX г.» (the year it began in) and keeps its volumes; the other cases
        start afresh with one volume. Free notes are kept; the copy is not yet approved.
        New case ids come from ``case_ids(old_case)``, by default ``f"{new_id}/{case.index}"``.
        """
        next_year = check_year("year", self.year + 1)
        cases = []
        for case in self.cases:
            continues = case.carried_over_to is not None and case.closed_on is None
            new_case_id = case_ids(case) if case_ids is not None else f"{new_id}/{case.index}"
            cases.append(
                attrs.evolve(
                    case,
                    id=new_case_id,
                    closed_on=None,
                    carried_over_to=None,
                    carried_over_from=(case.carried_over_from or self.year) if continues else None,
                    volumes=case.volumes if continues else 1,
                )
            )
        return Nomenclature(new_id, self.organisation_id, next_year, self.sections, cases)

    # --- reports -------------------------------------------------------------------------------

    def year_end_summary(self) -> NomenclatureSummary:
        """The year-end summary: units per retention category, carried over, «ЭПК»-marked."""
        return NomenclatureSummary.of_cases(self.year, self.cases)

    def destruction_candidates(self, act_year: int) -> DestructionCandidates:
        """Closed fixed-term cases whose period has run out by 1 January of ``act_year``."""
        return DestructionCandidates.of_cases(act_year, self.cases)
