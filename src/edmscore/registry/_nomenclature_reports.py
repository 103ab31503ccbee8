"""Year-end summary and destruction candidates of a nomenclature (private).

Re-exported by :mod:`edmscore.registry.nomenclature`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from edmscore.registry._nomenclature_checks import check_year, index_sort_key
from edmscore.registry.retention import RetentionCategory, RetentionKind

if TYPE_CHECKING:
    from edmscore.registry._nomenclature_case import Case

__all__ = ["CategoryCount", "DestructionCandidates", "NomenclatureSummary"]


@attrs.frozen
class CategoryCount:
    """One row of the year-end summary, counted in storage units (cases, volumes, parts).

    ``total`` counts every unit of the category, ``carried_over`` those of cases carried over to
    the next year (переходящие), ``epk`` those whose period bears the «ЭПК» mark. Every case
    listed in the nomenclature counts, those carried over from an earlier year included.
    """

    total: int = 0
    carried_over: int = 0
    epk: int = 0

    def __add__(self, other: CategoryCount) -> CategoryCount:
        return CategoryCount(
            self.total + other.total,
            self.carried_over + other.carried_over,
            self.epk + other.epk,
        )


@attrs.frozen
class NomenclatureSummary:
    """The year-end summary (итоговая запись) of a nomenclature: counts by retention category."""

    year: int
    permanent: CategoryCount
    temporary_over_10: CategoryCount
    temporary_up_to_10: CategoryCount

    def for_category(self, category: RetentionCategory) -> CategoryCount:
        """The row of one category."""
        if category is RetentionCategory.PERMANENT:
            return self.permanent
        if category is RetentionCategory.TEMPORARY_OVER_10:
            return self.temporary_over_10
        return self.temporary_up_to_10

    @property
    def total(self) -> CategoryCount:
        """The «Итого» row: the three categories added up."""
        return self.permanent + self.temporary_over_10 + self.temporary_up_to_10

    @classmethod
    def of_cases(cls, year: int, cases: Iterable[Case]) -> NomenclatureSummary:
        """Count ``cases`` (each case counts its ``volumes``) into a summary for ``year``."""
        counts = {category: CategoryCount() for category in RetentionCategory}
        for case in cases:
            units = case.volumes
            category = case.retention.category
            counts[category] = counts[category] + CategoryCount(
                total=units,
                carried_over=units if case.carried_over_to is not None else 0,
                epk=units if case.retention.epk else 0,
            )
        return cls(
            year,
            counts[RetentionCategory.PERMANENT],
            counts[RetentionCategory.TEMPORARY_OVER_10],
            counts[RetentionCategory.TEMPORARY_UP_TO_10],
        )


@attrs.frozen
class DestructionCandidates:
    """Closed cases whose fixed term has run out by 1 January of ``act_year``.

    ``cases`` may go into the destruction act (акт о выделении к уничтожению) directly;
    ``expert_review`` holds the «ЭПК»-marked ones, which the expert commission must look at first
    (it may select them for permanent storage instead). Both are ordered by case index.
    """

    act_year: int
    cases: tuple[Case, ...]
    expert_review: tuple[Case, ...]

    def __bool__(self) -> bool:
        return bool(self.cases or self.expert_review)

    @classmethod
    def of_cases(cls, act_year: int, cases: Iterable[Case]) -> DestructionCandidates:
        """Pick the candidates among ``cases`` for an act drawn up in ``act_year``."""
        check_year("act_year", act_year)
        plain: list[Case] = []
        review: list[Case] = []
        for case in sorted(cases, key=lambda case: index_sort_key(case.index)):
            if case.closed_on is None or case.retention.kind is not RetentionKind.YEARS:
                continue
            disposal = case.retention.disposal_year(case.closed_on.year)
            if disposal is not None and disposal <= act_year:
                (review if case.retention.epk else plain).append(case)
        return cls(act_year, tuple(plain), tuple(review))
