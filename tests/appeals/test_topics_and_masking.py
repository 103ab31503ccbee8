"""The topic classifier (host-loadable, a marked sample shipped) and personal-data masking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edmscore.appeals import (
    Author,
    is_question_code,
    load_topics,
    mask_address,
    mask_author,
    mask_email,
    mask_name,
    mask_phone,
    sample_topics,
    topic_level,
)
from edmscore.directory import PersonName
from edmscore.errors import ValidationError


def test_the_shipped_classifier_is_a_marked_sample_with_the_four_level_structure() -> None:
    sample = sample_topics()
    assert sample.sample is True
    assert "SAMPLE" in sample.name
    assert sample.children() == ("0001", "0002", "0003", "0004", "0005")
    assert [level for level, _ in enumerate(sample.path("0003.0001.0001.0001"), 1)] == [1, 2, 3, 4]
    assert sample.path("0003.0001.0001.0001")[0] == ("0003", "Экономика")
    assert all(topic_level(code) in (1, 2, 3, 4) for code in sample.titles)


def test_codes_and_levels() -> None:
    assert topic_level("0001") == 1
    assert topic_level("0001.0002.0003.0004") == 4
    assert is_question_code("0001.0002.0003.0004")
    assert not is_question_code("0001.0002.0003")
    for bad in ("1.2.3.4", "0001.0002.0003.0004.0005", "00010", "", "0001."):
        with pytest.raises(ValidationError):
            topic_level(bad)


def test_a_host_loads_its_classifier_from_json_or_csv(tmp_path: Path) -> None:
    document = {
        "name": "Классификатор",
        "version": "2024",
        "topics": [
            {"code": "0002", "title": "Социальная сфера"},
            {"code": "0002.0007", "title": "Тема"},
            {"code": "0002.0007.0001", "title": "Подтема"},
            {"code": "0002.0007.0001.0003", "title": "Вопрос"},
        ],
    }
    path = tmp_path / "topics.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    loaded = load_topics(path)
    assert (loaded.name, loaded.version, loaded.sample) == ("Классификатор", "2024", False)
    assert loaded.title("0002.0007.0001.0003") == "Вопрос"
    csv_text = "код;наименование\n0002;Социальная сфера\n0002.0007;Тема\n"
    from_csv = load_topics(csv_text.encode("utf-8"), name="csv")
    assert from_csv.children("0002") == ("0002.0007",)
    with pytest.raises(ValidationError):
        from_csv.check("0002.0008")
    with pytest.raises(ValidationError):
        from_csv.check("0002.0007", question=True)


@pytest.mark.parametrize(
    "data",
    [
        b"0001;A\n0001.0002.0003;orphan\n",
        b"0001;A\n0001;again\n",
        b'{"topics": [{"code": "x1", "title": "bad"}]}',
        b'{"topics": 5}',
        b"{not json",
        b"0001\n",
        b"\xff\xfe",
    ],
)
def test_a_broken_classifier_is_refused(data: bytes) -> None:
    with pytest.raises(ValidationError):
        load_topics(data)


def test_masking_hides_personal_data_and_keeps_the_rest() -> None:
    assert mask_name("Дмитриев Олег Сергеевич") == "Д******* О. С."
    assert mask_email("oleg.d@mail.ru") == "o*****@mail.ru"
    assert mask_phone("+7 914 555-12-34") == "+7 *** ***-**-34"
    assert mask_address("676930, с. Ивановка, ул. Ленина, 5") == "с. Ивановка, ***"
    author = Author(
        PersonName("Дмитриев", "Олег", "Сергеевич"),
        "676930, с. Ивановка, ул. Ленина, 5",
        "oleg.d@mail.ru",
        "+7 914 555-12-34",
        social_status="Пенсионер",
        privileged_category="Ветеран труда",
    )
    masked = mask_author(author)
    text = repr(masked)
    for secret in ("митриев", "Олег", "Ленина", "oleg.d", "555"):
        assert secret not in text
    assert (masked.social_status, masked.privileged_category) == ("Пенсионер", "Ветеран труда")
    assert mask_author(Author()) == Author()
