"""Hypothesis strategies for retention periods, notations and nomenclatures.

Builders of valid values and of deliberately invalid ones, re-exported by
:mod:`edmscore.testing.strategies`.
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

import re
from typing import Any

import attrs
import pendulum

from edmscore.registry.nomenclature import Case, Nomenclature, NomenclatureSection
from edmscore.registry.retention import (
    MAX_RETENTION_YEARS,
    RetentionKind,
    RetentionPeriod,
    years_phrase,
)

_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"

#: Canonical article numbers of a standard list: ``16``, ``16а``, ``1.2б``.
articles = st.builds(
    lambda number, dotted, letter: number + dotted + letter,
    st.integers(1, 9999).map(str),
    st.sampled_from(["", "", "", ".1", ".2", ".12"]),
    st.sampled_from(["", *_LETTERS]),
)


@st.composite
def retention_periods(draw: st.DrawFn, *, kind: RetentionKind | None = None) -> RetentionPeriod:
    """Any valid retention period."""
    chosen = kind if kind is not None else draw(st.sampled_from(list(RetentionKind)))
    years = draw(st.integers(1, MAX_RETENTION_YEARS)) if chosen is RetentionKind.YEARS else None
    epk = False if chosen is RetentionKind.PERMANENT else draw(st.booleans())
    arts = draw(st.lists(articles, max_size=4, unique=True))
    return RetentionPeriod(chosen, years, epk, tuple(arts))


def _vary_case(draw: st.DrawFn, text: str) -> str:
    style = draw(st.sampled_from(["as is", "lower", "upper", "title"]))
    if style == "lower":
        return text.lower()
    if style == "upper":
        return text.upper()
    if style == "title":
        return text.capitalize()
    return text


_WORD_SPELLINGS: dict[RetentionKind, list[str]] = {
    RetentionKind.PERMANENT: ["Постоянно", "постоянно", "ПОСТОЯННО"],
    RetentionKind.UNTIL_LIQUIDATION: ["До ликвидации организации", "до ликвидации учреждения"],
    RetentionKind.UNTIL_NO_LONGER_NEEDED: [
        "До минования надобности",
        "ДМН",
        "до  минования надобности",
    ],
    RetentionKind.UNTIL_REPLACED: ["До замены новыми", "до замены новыми"],
}
_YEAR_WORDS = ["лет", "года", "год", "г.", "г", "л.", "лет."]
_EPK_SPELLINGS = ["ЭПК", "эпк", "Э.П.К.", "(ЭПК)", "ЭПK", "Эпк", "э. п. к."]
_ARTICLE_WORDS = ["ст.", "Ст.", "ст", "ст.ст.", "статьи", "СТ."]
_ARTICLE_SEPARATORS = [", ", ",", "; ", " и ", " ,  "]
_CLAUSE_SEPARATORS = [" ", ", ", "\n", "; ", "  ", " - ", " / "]
_FOOTNOTES = ["", "", "", "¹", "²", "*", " (1)", " [2]", "1"]
_GLUED_AFTER = re.compile(r"(постоянно|надобности|организации|учреждения|новыми|лет|года|год|эпк)$")


def _spaced_article(draw: st.DrawFn, article: str) -> str:
    if article[-1].isalpha() and draw(st.booleans()):
        return article[:-1] + " " + article[-1]
    return article


@st.composite
def retention_notations(draw: st.DrawFn, period: RetentionPeriod) -> str:
    """A notation of ``period`` as people write it: any spelling the parser must accept."""
    if period.kind is RetentionKind.YEARS:
        assert period.years is not None
        word = draw(st.sampled_from([years_phrase(period.years).split()[1], *_YEAR_WORDS]))
        gap = draw(st.sampled_from([" ", "", "  ", "\u00a0"]))
        core = f"{period.years}{gap}{word}"
    else:
        core = draw(st.sampled_from(_WORD_SPELLINGS[period.kind]))
    core = _vary_case(draw, core)
    if period.epk:
        core += draw(st.sampled_from([" ", "  ", "\t"])) + draw(st.sampled_from(_EPK_SPELLINGS))
    footnote = draw(st.sampled_from(_FOOTNOTES))
    if footnote == "1" and _GLUED_AFTER.search(core.lower()) is None:
        footnote = ""  # a bare digit is a footnote only when glued to a whole word
    core += footnote
    if not period.articles:
        return draw(st.sampled_from(["", " ", "\n"])) + core + draw(st.sampled_from(["", " ", "."]))
    separator = draw(st.sampled_from(_ARTICLE_SEPARATORS))
    listed = separator.join(_spaced_article(draw, article) for article in period.articles)
    clause = draw(st.sampled_from(_ARTICLE_WORDS)) + draw(st.sampled_from([" ", "", "  "])) + listed
    if draw(st.booleans()):
        clause = f"({clause})"
    between = draw(st.sampled_from(_CLAUSE_SEPARATORS))
    if draw(st.booleans()):
        return f"{core}{between}{clause}"
    return f"{clause}{between}{core}"


def invalid_notations() -> st.SearchStrategy[str]:
    """Text that is not a valid notation (unknown words, impossible periods, bad articles)."""
    return st.one_of(
        st.sampled_from(
            [
                "",
                "   ",
                "Хранить вечно",
                "лет",
                "ЭПК",
                "ст. 16а",
                "Постоянно ЭПК",
                "0 лет",
                "101 год",
                "5 лет ст. 16а, 16а",
                "ст. 16а 5 лет ст. 17",
                "5 лет ЭПК ЭПК",
                "50/75 лет",
                "10/20 лет",
                "5 недель",
                "пять лет",
                "5 лет после замены",
                "До минования",
                "Постоянно Постоянно",
            ]
        ),
        st.integers(101, 9999).map(lambda n: f"{n} лет"),
        st.text(alphabet="xyzqwжщ!?", min_size=1, max_size=20),
    )


# --- nomenclatures ------------------------------------------------------------------------------


@st.composite
def nomenclatures(
    draw: st.DrawFn, *, max_sections: int = 4, max_cases: int = 12, approved: bool | None = None
) -> Nomenclature:
    """A valid nomenclature: sections ``01``…, cases ``01-01``…, some closed or carried over."""
    year = draw(st.integers(1990, 2150))
    section_count = draw(st.integers(1, max_sections))
    sections = [
        NomenclatureSection(f"{n:02d}", draw(st.sampled_from(["Приёмная", "Отдел кадров"])))
        for n in range(1, section_count + 1)
    ]
    serials = {section.code: 0 for section in sections}
    cases = []
    for n in range(draw(st.integers(0, max_cases))):
        section = draw(st.sampled_from(sections))
        serials[section.code] += 1
        state = draw(st.sampled_from(["open", "closed", "carried", "carried in", "carried in+out"]))
        closed_on = None
        carried_from = None
        carried_to = None
        if state == "closed":
            day = draw(st.integers(0, 364))
            closed_on = pendulum.date(year, 1, 1).add(days=day)
        if state in ("carried", "carried in+out"):
            carried_to = year + 1
        if state in ("carried in", "carried in+out"):
            carried_from = year - draw(st.integers(1, 3))
        cases.append(
            Case(
                id=f"case-{n}",
                index=f"{section.code}-{serials[section.code]:02d}",
                title=draw(st.sampled_from(["Приказы по основной деятельности", "Переписка"])),
                section_code=section.code,
                retention=draw(retention_periods()),
                volumes=draw(st.integers(1, 3)),
                notes=draw(st.sampled_from(["", "Копии"])),
                carried_over_from=carried_from,
                carried_over_to=carried_to,
                closed_on=closed_on,
            )
        )
    approved_on = None
    if approved is None:
        approved = draw(st.booleans())
    if approved:
        approved_on = pendulum.date(year - 1, 12, draw(st.integers(1, 31)))
    order = draw(st.permutations(cases))
    return Nomenclature(f"nom-{year}", "org-1", year, sections, order, approved_on)


@st.composite
def invalid_nomenclature_arguments(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """Arguments for ``Nomenclature(**arguments)`` that break one rule, and the field it names.

    The field is the last part of the dotted name (``cases.3.section_code`` → ``section_code``).
    """
    valid = draw(nomenclatures(max_cases=6))
    arguments: dict[str, Any] = {
        "id": valid.id,
        "organisation_id": valid.organisation_id,
        "year": valid.year,
        "sections": list(valid.sections),
        "cases": list(valid.cases),
        "approved_on": valid.approved_on,
    }
    year = valid.year
    some_case = Case(
        "extra", "99-99", "Дело", valid.sections[0].code, RetentionPeriod(RetentionKind.PERMANENT)
    )
    breakage = draw(
        st.sampled_from(
            [
                "year",
                "id",
                "duplicate section",
                "missing section",
                "closed outside the year",
                "carried to a later year",
                "carried from this year",
                "approved after the year",
                "approved too early",
            ]
            + (["duplicate index", "duplicate id"] if valid.cases else [])
        )
    )
    if breakage == "year":
        arguments["year"] = draw(st.sampled_from([1899, 2201, -1]))
        return arguments, "year"
    if breakage == "id":
        arguments["id"] = draw(st.sampled_from(["", "a b", "x" * 201]))
        return arguments, "id"
    if breakage == "duplicate section":
        arguments["sections"].append(NomenclatureSection(valid.sections[0].code, "Ещё раз"))
        return arguments, "code"
    if breakage == "missing section":
        arguments["cases"].append(attrs.evolve(some_case, section_code="ZZ"))
        return arguments, "section_code"
    if breakage == "closed outside the year":
        other = year + draw(st.sampled_from([-1, 1]))
        arguments["cases"].append(attrs.evolve(some_case, closed_on=pendulum.date(other, 6, 1)))
        return arguments, "closed_on"
    if breakage == "carried to a later year":
        arguments["cases"].append(attrs.evolve(some_case, carried_over_to=year + 2))
        return arguments, "carried_over_to"
    if breakage == "carried from this year":
        arguments["cases"].append(attrs.evolve(some_case, carried_over_from=year))
        return arguments, "carried_over_from"
    if breakage == "approved after the year":
        arguments["approved_on"] = pendulum.date(year + 1, 1, 1)
        return arguments, "approved_on"
    if breakage == "approved too early":
        arguments["approved_on"] = pendulum.date(year - 6, 12, 31)
        return arguments, "approved_on"
    first = valid.cases[0]
    if breakage == "duplicate index":
        arguments["cases"].append(attrs.evolve(some_case, index=first.index))
        return arguments, "index"
    arguments["cases"].append(attrs.evolve(some_case, id=first.id))
    return arguments, "id"
