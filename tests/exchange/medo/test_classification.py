"""The restriction mark (гриф): real-world spellings, fail-closed reading, and the incoming card."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pendulum
import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.exchange.medo import (
    CONTAINER_NS_27,
    CONTAINER_NS_271,
    OPEN_WORDINGS,
    ClassificationLevel,
    DocumentContent,
    IncomingDraft,
    Message,
    QualifiedValue,
    classify_mark,
    incoming_draft,
    normalize_mark,
    parse_message,
    read_container,
    read_letter,
    write_letter,
)
from edmscore.exchange.medo._summary import summarize_container, summarize_message
from edmscore.registry import AccessMark
from edmscore.storage.memory import MemoryStorage

from .samples import DOCUMENT_XML, document_message

OPEN = ClassificationLevel.OPEN
DSP = ClassificationLevel.RESTRICTED_DSP
UNKNOWN = ClassificationLevel.UNKNOWN_RESTRICTIVE
NBSP, NNBSP = "\u00a0", "\u202f"
PDF = b"%PDF-1.7\n" + b"x" * 2000

DSP_SPELLINGS = [
    "ДСП",
    "дсп",
    "Дсп",
    "ДСП.",
    "«ДСП»",
    '"ДСП"',
    " ДСП ",
    "Д.С.П.",
    "Д. С. П.",
    "Д-С-П",
    "Д С П",
    "Для служебного пользования",
    "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ",
    "для служебного пользования",
    "Для служебного пользования.",
    f"Для{NBSP}служебного{NBSP}пользования",
    f"Для служебного{NNBSP}пользования",
    "Для  служебного   пользования",
    "Для\tслужебного\nпользования",
    "Для служ. пользования",
    "Для служ.пользования",
    "Для служебн. пользования",
    "Для сл. польз.",
    "«Для служебного пользования»",
    "Для служебного пользования (ДСП)",
    "ДСП — Для служебного пользования",
    "ДСП экз. № 2",
    "ДСП, экз. №2",
    "ДСП Экз.No 3",
    "ДСП экземпляр N 1",
    "Для служебного пользования Экз. № 1",
    "Для служебного пользования\nЭкземпляр № 12",
    "Экз. № 1 ДСП",
    "ДCП",  # Latin C
    "Для cлужeбнoгo пoльзoвaния",  # Latin c, e, o, a
    "ДЛЯ CЛУЖEБHOГO ПOЛЬЗOBAHИЯ",  # Latin C, E, H, O, B, A
    "Для служебного пользования\u200b",  # zero-width space
    "Д\u00adС\u00adП",  # soft hyphens
    "ДСП\ufeff",  # a byte order mark left in the text
]

OPEN_SPELLINGS = [
    "",
    " ",
    f"{NBSP}\t\n",
    "\u200b",
    "Без ограничений",
    "без ограничений",
    "БЕЗ ОГРАНИЧЕНИЙ",
    f"Без{NBSP}ограничений",
    "Без  ограничений.",
    "«Без ограничений»",
    "Без ограничения доступа",
    "Открыто",
    "открыто",
    "Открытo",  # Latin o
    "Открытый доступ",
    "Несекретно",
    "несекретно",
    "Не секретно",
    "Нет",
    "нет",
    "НЕТ.",
    "Отсутствует",
]

UNKNOWN_SPELLINGS = [
    "Конфиденциально",
    "Коммерческая тайна",
    "Секретно",
    "Совершенно секретно",
    "Служебная тайна",
    "ограниченного доступа",
    "Информация ограниченного распространения",
    "Для служебного использования",
    "Не ДСП",
    "ДСП, коммерческая тайна",
    "Персональные данные",
    "ДСР",
    "ДСP",  # a Latin P is drawn like the Cyrillic Р, so this reads «ДСР», not «ДСП»
    "DSP",
    "ДСП2",
    "Открыто для всех",
    "Нет ограничений?",
    "-",
    "—",
    "...",
    "xyz",
    "\ue000",  # a private-use character
    "Д\ue000СП",
    "qwerty йцукен",
]


@pytest.mark.parametrize("mark", DSP_SPELLINGS)
def test_every_spelling_of_dsp_is_dsp(mark: str) -> None:
    assert classify_mark(mark) is DSP


@pytest.mark.parametrize("mark", OPEN_SPELLINGS)
def test_open_wordings_and_blank_marks_are_open(mark: str) -> None:
    assert classify_mark(mark) is OPEN


@pytest.mark.parametrize("mark", UNKNOWN_SPELLINGS)
def test_other_wordings_are_restrictive_and_need_review(mark: str) -> None:
    level = classify_mark(mark)
    assert level is UNKNOWN
    assert level.is_restricted and level.review_needed


def test_no_mark_is_open() -> None:
    assert classify_mark(None) is OPEN


def test_the_levels_say_what_they_restrict() -> None:
    assert not OPEN.is_restricted and not OPEN.review_needed
    assert DSP.is_restricted and not DSP.review_needed
    assert UNKNOWN.is_restricted and UNKNOWN.review_needed


@pytest.mark.parametrize(
    ("mark", "normalised"),
    [
        (f"Для{NBSP}служебного  пользования", "для служебного пользования"),
        ("Д.С.П.", "д с п"),
        ("«ДCП» экз. № 2", "дсп экз номер 2"),
        ("Ёлка\tи\u200bещё", "елка иеще"),  # a zero-width space is dropped, a tab is a space
        ("ＡＢＣ", "авс"),  # fullwidth Latin → Latin by NFKC → Cyrillic look-alikes
    ],
)
def test_normalisation(mark: str, normalised: str) -> None:
    assert normalize_mark(mark) == normalised


def test_every_documented_open_wording_is_open() -> None:
    assert OPEN_WORDINGS
    assert all(classify_mark(wording) is OPEN for wording in OPEN_WORDINGS)


# --- properties --------------------------------------------------------------------------------

_SPACES = st.text(alphabet=" \u00a0\u202f\u2007\u3000\t\n\r\u2028", min_size=1, max_size=4)


@st.composite
def _spaced_and_recased(draw: st.DrawFn, mark: str) -> str:
    out = []
    for ch in mark:
        out.append(ch.upper() if draw(st.booleans()) else ch.lower())
        if draw(st.booleans()):
            out.append(draw(_SPACES))
    return draw(st.just("") | _SPACES) + "".join(out)


@settings(max_examples=300)
@given(_spaced_and_recased("Для служебного пользования"))
def test_whitespace_and_case_never_open_the_long_mark(mark: str) -> None:
    assert classify_mark(mark) is DSP


@settings(max_examples=200)
@given(_spaced_and_recased("ДСП"), st.sampled_from(["", ".", " экз. № 2", "»", ")"]))
def test_whitespace_and_case_never_open_the_abbreviation(mark: str, tail: str) -> None:
    assert classify_mark(mark + tail) is DSP


_OPEN_KEYS = {"".join(normalize_mark(w).split()) for w in OPEN_WORDINGS}
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def _blank(text: str) -> bool:
    return all(unicodedata.category(ch) in _INVISIBLE for ch in text)


@settings(max_examples=500)
@given(
    st.text(max_size=30)
    | st.lists(
        st.sampled_from([*OPEN_WORDINGS, "ДСП", "не", "для", " ", NBSP, ".", "-", "№", "1", "x"]),
        max_size=5,
    ).map("".join)
)
def test_a_mark_that_is_not_an_open_wording_is_never_open(mark: str) -> None:
    """Fail closed: OPEN only for a blank mark or, once normalised, a listed open wording."""
    level = classify_mark(mark)
    if level is OPEN:
        assert _blank(mark) or "".join(normalize_mark(mark).split()) in _OPEN_KEYS
    else:
        assert level.is_restricted
        assert not _blank(mark)


@settings(max_examples=300)
@given(st.text(min_size=1, max_size=20).filter(lambda t: any(ch.isalnum() for ch in t)))
def test_text_beside_an_open_wording_closes_it(extra: str) -> None:
    assert classify_mark(f"Без ограничений {extra}").is_restricted
    assert classify_mark(f"{extra} ДСП").is_restricted


# --- a received message: the document, the card, the summaries ---------------------------------


def _with_mark(mark: str | None) -> Message:
    message = document_message()
    assert isinstance(message.content, DocumentContent)
    document = evolve(
        message.content.document,
        classification=None if mark is None else QualifiedValue(mark),
    )
    return evolve(message, content=evolve(message.content, document=document))


def _draft(tmp_path: Path, mark: str | None) -> IncomingDraft:
    folder = write_letter(
        tmp_path / "in",
        _with_mark(mark),
        {"document.pdf": PDF, "document.pdf.p7s": b"sig"},
        addresses=("TEST~MEDOGU",),
    )
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        return incoming_draft(
            read_letter(folder), directory=uow.directory, received_on=pendulum.date(2024, 3, 4)
        )


def test_an_unknown_mark_is_registered_dsp_and_flagged_for_review(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "Конфиденциально")
    assert draft.details.access is AccessMark.DSP
    assert draft.classification_review_needed
    assert "Конфиденциально" in draft.details.notes
    assert any("гриф «Конфиденциально» не распознан" in w for w in draft.warnings)


@pytest.mark.parametrize(
    "mark",
    [f"Для{NBSP}служебного{NBSP}пользования", "Для  служебного пользования", "Д.С.П.", "ДCП"],
)
def test_an_odd_dsp_spelling_is_registered_dsp_without_review(tmp_path: Path, mark: str) -> None:
    draft = _draft(tmp_path, mark)
    content = draft.message.content
    assert isinstance(content, DocumentContent) and content.document.classification is not None
    assert content.document.classification.value == mark  # read back from the letter as sent
    assert draft.details.access is AccessMark.DSP
    assert not draft.classification_review_needed
    assert draft.details.notes == ""
    assert not any("гриф" in w for w in draft.warnings)


@pytest.mark.parametrize("mark", [None, "Без ограничений"])
def test_an_open_letter_stays_open(tmp_path: Path, mark: str | None) -> None:
    draft = _draft(tmp_path, mark)
    assert draft.details.access is AccessMark.OPEN
    assert not draft.classification_review_needed


def test_the_document_reads_its_mark() -> None:
    content = _with_mark("Служебная тайна").content
    assert isinstance(content, DocumentContent)
    assert content.document.classification_level is UNKNOWN
    assert content.document.is_restricted and content.document.classification_review_needed
    plain = _with_mark("ДСП").content
    assert isinstance(plain, DocumentContent)
    assert plain.document.is_restricted and not plain.document.classification_review_needed


def test_a_parsed_message_with_an_nbsp_mark_is_restricted() -> None:
    xml = DOCUMENT_XML.replace(
        "<x:classification>ДСП</x:classification>",
        f"<x:classification>Для{NBSP}служебного  пользования</x:classification>",
    )
    content = parse_message(xml.encode("cp1251"), source="document.xml").content
    assert isinstance(content, DocumentContent)
    assert content.document.classification_level is DSP


def test_the_message_summary_shows_the_level_and_the_review() -> None:
    summary = summarize_message(_with_mark("Коммерческая тайна"))["document"]
    assert summary["restricted"] is True
    assert summary["classification_level"] == "unknown"
    assert summary["classification_review_needed"] is True
    plain = summarize_message(_with_mark(None))["document"]
    assert (plain["restricted"], plain["classification_level"]) == (False, "open")
    assert plain["classification_review_needed"] is False


def _container(passport: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("passport.xml", passport.encode())
        archive.writestr("document.pdf", PDF)
        archive.writestr("document.pdf.p7s", b"sig")
    return buffer.getvalue()


def test_a_2_7_1_container_mark_fails_closed_in_its_summary() -> None:
    passport = f"""<?xml version="1.0" encoding="UTF-8"?>
<c:container xmlns:c="{CONTAINER_NS_271}">
  <c:requisites><c:classification>Информация ограниченного распространения</c:classification>
  </c:requisites>
  <c:document c:localName="document.pdf"><c:pagesQuantity>1</c:pagesQuantity></c:document>
</c:container>"""
    container = read_container(_container(passport))
    assert container.passport.classification_level is UNKNOWN
    summary = summarize_container(container)["document"]
    assert summary["restricted"] is True
    assert summary["classification_review_needed"] is True


def test_a_2_7_container_mark_is_read_even_when_split_by_markup() -> None:
    passport = f"""<?xml version="1.0" encoding="UTF-8"?>
<c:container xmlns:c="{CONTAINER_NS_27}" version="1.0">
  <c:requisites><c:documentKind>Письмо</c:documentKind>
    <c:classification>Для <c:b>служебного</c:b> пользования</c:classification></c:requisites>
  <c:authors/><c:addressees/>
  <c:document localName="document.pdf"><c:pagesQuantity>1</c:pagesQuantity></c:document>
</c:container>"""
    container = read_container(_container(passport))
    assert container.passport.classification == "Для служебного пользования"
    assert container.passport.classification_level is DSP
    summary = summarize_container(container)["document"]
    assert (summary["restricted"], summary["classification_review_needed"]) == (True, False)
