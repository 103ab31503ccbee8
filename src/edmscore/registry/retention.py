"""Retention periods of cases (сроки хранения): the standard list notation, categories, disposal.

A :class:`RetentionPeriod` is what column 4 of a nomenclature says about a case: a fixed term in
years (optionally marked «ЭПК»: the expert commission may still select the case for permanent
storage), «Постоянно», or one of the event-bound terms («До ликвидации организации», «До
минования надобности», «До замены новыми»), followed by the article numbers of the standard list
(приказ Росархива от 20.12.2019 № 236).

:func:`parse_retention` reads the notation as people write it; :func:`format_retention` writes the
one canonical form, so ``parse_retention(format_retention(p)) == p`` for every valid period.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

import attrs

from edmscore.errors import RetentionFormatError, ValidationError
from edmscore.registry._nomenclature_checks import check_year
from edmscore.registry._retention_grammar import MAX_NOTATION_LENGTH, scan

__all__ = [
    "MAX_RETENTION_YEARS",
    "PERSONNEL_RULE_CHANGE_YEAR",
    "STANDARD_TERMS",
    "RetentionCategory",
    "RetentionKind",
    "RetentionPeriod",
    "format_retention",
    "parse_retention",
    "personnel_retention",
    "years_phrase",
]

#: The fixed terms (in years) the 2019 standard list uses. Other terms are accepted (departmental
#: lists differ) but :attr:`RetentionPeriod.is_standard_term` tells them apart.
STANDARD_TERMS: frozenset[int] = frozenset({1, 3, 5, 6, 10, 15, 45, 50, 75})

#: The longest fixed term accepted; the longest in any Russian list is 75 years.
MAX_RETENTION_YEARS = 100

#: Personnel records closed before 1 January of this year are kept 75 years, later ones 50.
PERSONNEL_RULE_CHANGE_YEAR = 2003

_ARTICLE = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,4})*[а-я]?")
_MAX_ARTICLES = 20


class RetentionKind(enum.Enum):
    """How a retention period is stated: a number of years, or a word."""

    YEARS = "years"
    PERMANENT = "permanent"
    UNTIL_LIQUIDATION = "until_liquidation"
    UNTIL_NO_LONGER_NEEDED = "until_no_longer_needed"
    UNTIL_REPLACED = "until_replaced"

    @property
    def label(self) -> str | None:
        """The canonical Russian notation of a word kind; ``None`` for ``YEARS``."""
        return _KIND_LABELS.get(self)


_KIND_LABELS: dict[RetentionKind, str] = {
    RetentionKind.PERMANENT: "Постоянно",
    RetentionKind.UNTIL_LIQUIDATION: "До ликвидации организации",
    RetentionKind.UNTIL_NO_LONGER_NEEDED: "До минования надобности",
    RetentionKind.UNTIL_REPLACED: "До замены новыми",
}

_SCANNED_KINDS: dict[str, RetentionKind] = {
    "years": RetentionKind.YEARS,
    "permanent": RetentionKind.PERMANENT,
    "liquidation": RetentionKind.UNTIL_LIQUIDATION,
    "need": RetentionKind.UNTIL_NO_LONGER_NEEDED,
    "replaced": RetentionKind.UNTIL_REPLACED,
}


class RetentionCategory(enum.Enum):
    """The three categories of the nomenclature's year-end summary.

    Fixed terms of up to and including 10 years are ``TEMPORARY_UP_TO_10``, longer ones
    ``TEMPORARY_OVER_10``. Of the word kinds, «До ликвидации организации» counts as over 10 years
    (the case lives as long as the organisation), «До минования надобности» and «До замены
    новыми» as up to 10 years (short-lived working material).
    """

    PERMANENT = "permanent"
    TEMPORARY_OVER_10 = "temporary_over_10"
    TEMPORARY_UP_TO_10 = "temporary_up_to_10"

    @property
    def label(self) -> str:
        """The row heading of the year-end summary, in Russian."""
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS: dict[RetentionCategory, str] = {
    RetentionCategory.PERMANENT: "Постоянного хранения",
    RetentionCategory.TEMPORARY_OVER_10: "Временного (свыше 10 лет) хранения",
    RetentionCategory.TEMPORARY_UP_TO_10: "Временного (до 10 лет включительно) хранения",
}


def _to_articles(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ValidationError("articles", "must be a sequence of article numbers, not one string")
    return tuple(value)


@attrs.frozen
class RetentionPeriod:
    """A retention period: kind, years (``YEARS`` only), the ЭПК mark and list articles.

    Articles are stored canonically: digits (dotted parts allowed) and an optional lower-case
    Cyrillic letter, without spaces — ``"16а"``, ``"1.2"``. :func:`parse_retention` normalises the
    forms people write («Ст. 16 а»).
    """

    kind: RetentionKind
    years: int | None = None
    epk: bool = False
    articles: tuple[str, ...] = attrs.field(default=(), converter=_to_articles)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.kind, RetentionKind):
            raise ValidationError("kind", f"must be a RetentionKind, got {self.kind!r}")
        if self.kind is RetentionKind.YEARS:
            years = self.years
            if isinstance(years, bool) or not isinstance(years, int):
                raise ValidationError("years", f"a YEARS period needs an integer, got {years!r}")
            if not 1 <= years <= MAX_RETENTION_YEARS:
                raise ValidationError(
                    "years", f"must be between 1 and {MAX_RETENTION_YEARS}, got {years}"
                )
        elif self.years is not None:
            raise ValidationError("years", f"only a YEARS period has years, not {self.kind.name}")
        if not isinstance(self.epk, bool):
            raise ValidationError("epk", f"must be a bool, got {self.epk!r}")
        if self.epk and self.kind is RetentionKind.PERMANENT:
            raise ValidationError("epk", "a permanent period cannot carry the ЭПК mark")
        if len(self.articles) > _MAX_ARTICLES:
            raise ValidationError("articles", f"at most {_MAX_ARTICLES} articles")
        for article in self.articles:
            if not isinstance(article, str) or _ARTICLE.fullmatch(article) is None:
                raise ValidationError(
                    "articles", f"not a canonical article number (like '16а'): {article!r}"
                )
        if len(set(self.articles)) != len(self.articles):
            raise ValidationError("articles", f"repeated article in {self.articles!r}")

    @property
    def category(self) -> RetentionCategory:
        """The year-end summary category (see :class:`RetentionCategory` for the word kinds)."""
        if self.kind is RetentionKind.PERMANENT:
            return RetentionCategory.PERMANENT
        if self.kind is RetentionKind.UNTIL_LIQUIDATION:
            return RetentionCategory.TEMPORARY_OVER_10
        if self.kind is RetentionKind.YEARS and self.years is not None and self.years > 10:
            return RetentionCategory.TEMPORARY_OVER_10
        return RetentionCategory.TEMPORARY_UP_TO_10

    @property
    def is_standard_term(self) -> bool:
        """Whether a ``YEARS`` period uses a term of the 2019 standard list (word kinds: True)."""
        return self.kind is not RetentionKind.YEARS or self.years in STANDARD_TERMS

    def disposal_year(self, closed_year: int) -> int | None:
        """The first year on whose 1 January the period has run out; ``None`` if it never does.

        Counting starts on 1 January of the year after the case was closed: a case closed in 2017
        with 5 years runs from 01.01.2018 and has run out on 01.01.2023, so the answer is 2023.
        Permanent and event-bound periods (no fixed term) give ``None``.
        """
        check_year("closed_year", closed_year)
        if self.kind is not RetentionKind.YEARS or self.years is None:
            return None
        return closed_year + 1 + self.years

    def __str__(self) -> str:
        return format_retention(self)


def years_phrase(years: int) -> str:
    """A number of years with the Russian plural: «1 год», «3 года», «5 лет», «21 год»."""
    last_two = years % 100
    last = years % 10
    if last == 1 and last_two != 11:
        word = "год"
    elif 2 <= last <= 4 and not 12 <= last_two <= 14:
        word = "года"
    else:
        word = "лет"
    return f"{years} {word}"


def format_retention(period: RetentionPeriod) -> str:
    """The canonical notation: «5 лет ЭПК ст. 16а, 17б», «Постоянно ст. 19а», «1 год»."""
    if period.kind is RetentionKind.YEARS:
        assert period.years is not None  # guaranteed by validation
        text = years_phrase(period.years)
    else:
        text = _KIND_LABELS[period.kind]
    if period.epk:
        text += " ЭПК"
    if period.articles:
        text += " ст. " + ", ".join(period.articles)
    return text


def personnel_retention(
    closed_year: int, *, epk: bool = False, articles: Iterable[str] = ()
) -> RetentionPeriod:
    """The term of personnel records: 75 years if closed before 01.01.2003, 50 years after.

    The standard list writes it as «50/75 лет»; ``closed_year`` is the year the case was closed.
    """
    check_year("closed_year", closed_year)
    years = 75 if closed_year < PERSONNEL_RULE_CHANGE_YEAR else 50
    return RetentionPeriod(RetentionKind.YEARS, years, epk, tuple(articles))


def parse_retention(text: str, *, closed_year: int | None = None) -> RetentionPeriod:
    """Parse a retention notation of the standard list, in the variants found in real files.

    Accepted: the word kinds («Постоянно», «До ликвидации организации», «До минования
    надобности» or «ДМН», «До замены новыми»); fixed terms with any plural or abbreviation
    («1 год», «3 года», «5 лет», «5 л.», «3 г.»); the ЭПК mark («ЭПК», «Э.П.К.», «(ЭПК)»);
    article references before or after the period («ст. 16а», «Ст. 16 а», «ст.ст. 16а, 17б»,
    «(ст. 16а)»); footnote markers («¹», «*», «(1)», a digit glued to a word), which are
    dropped; any case, ``ё``, Latin look-alike letters, extra spaces and line breaks.

    The personnel split term «50/75 лет» needs ``closed_year`` to pick its figure (see
    :func:`personnel_retention`).

    Raises :class:`~edmscore.errors.RetentionFormatError` quoting ``text`` when it is not a
    notation or names an impossible period.
    """
    if not isinstance(text, str):
        raise RetentionFormatError(repr(text), "retention notation must be a string")
    if len(text) > MAX_NOTATION_LENGTH:
        raise RetentionFormatError(
            text[:MAX_NOTATION_LENGTH] + "…",
            f"retention notation longer than {MAX_NOTATION_LENGTH} characters",
        )
    if not text.strip():
        raise RetentionFormatError(text, "empty retention notation")
    raw = scan(text)
    if raw is None:
        raise RetentionFormatError(text)
    years = raw.years
    if raw.split_years is not None:
        if (raw.split_years, raw.years) != (50, 75):
            raise RetentionFormatError(text, "only the personnel split term 50/75 is known")
        if closed_year is None:
            raise RetentionFormatError(
                text, "the split term 50/75 needs closed_year (see personnel_retention)"
            )
        years = personnel_retention(closed_year).years
    try:
        return RetentionPeriod(_SCANNED_KINDS[raw.kind], years, raw.epk, raw.articles)
    except RetentionFormatError:
        raise
    except ValidationError as error:
        raise RetentionFormatError(text, f"{error.field}: {error.detail}") from error
