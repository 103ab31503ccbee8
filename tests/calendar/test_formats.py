"""xmlcalendar XML and JSON, the plain list, and calendar files."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.calendar import (
    Overlay,
    YearData,
    YearStatus,
    federal_years,
    from_plain_list,
    from_xmlcalendar,
    from_xmlcalendar_json,
    load_calendar,
    read_calendar_file,
    to_plain_list,
    to_xmlcalendar,
    to_xmlcalendar_json,
)
from edmscore.errors import CalendarFormatError

D = dt.date
YEARS = sorted(year for year in federal_years() if year <= 2026)

# A file as published by xmlcalendar-style services: 2025, only the special days listed.
SAMPLE_2025 = """<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2025" lang="ru" date="2024.10.04" country="ru">
 <holidays>
  <holiday id="1" title="Новогодние каникулы"/>
  <holiday id="2" title="Рождество Христово"/>
  <holiday id="3" title="День защитника Отечества"/>
  <holiday id="4" title="Международный женский день"/>
  <holiday id="5" title="Праздник Весны и Труда"/>
  <holiday id="6" title="День Победы"/>
  <holiday id="7" title="День России"/>
  <holiday id="8" title="День народного единства"/>
 </holidays>
 <days>
  <day d="01.01" t="1" h="1"/><day d="01.02" t="1" h="1"/><day d="01.03" t="1" h="1"/>
  <day d="01.04" t="1" h="1"/><day d="01.05" t="1" h="1"/><day d="01.06" t="1" h="1"/>
  <day d="01.07" t="1" h="2"/><day d="01.08" t="1" h="1"/>
  <day d="02.23" t="1" h="3"/>
  <day d="03.07" t="2"/><day d="03.08" t="1" h="4"/>
  <day d="04.30" t="2"/>
  <day d="05.01" t="1" h="5"/><day d="05.02" t="1" f="01.04"/>
  <day d="05.08" t="1" f="02.23"/><day d="05.09" t="1" h="6"/>
  <day d="06.11" t="2"/><day d="06.12" t="1" h="7"/><day d="06.13" t="1" f="03.08"/>
  <day d="11.01" t="2"/><day d="11.03" t="1" f="11.01"/><day d="11.04" t="1" h="8"/>
  <day d="12.31" t="1" f="01.05"/>
 </days>
</calendar>
"""


def _same_days(a: YearData, b: YearData) -> None:
    assert a.year == b.year
    for day in a.days():
        assert a.is_day_off(day) == b.is_day_off(day), day
    assert a.shortened == b.shortened


def test_a_published_xmlcalendar_file_reads_to_the_federal_year() -> None:
    data = from_xmlcalendar(SAMPLE_2025)
    assert data.status is YearStatus.IMPORTED
    assert data.count_working_days() == 247
    assert data.decree is not None
    assert data.decree.date == D(2024, 10, 4)
    assert data.holiday_titles[7] == "День России"
    assert D(2025, 11, 1) in data.working_weekends
    _same_days(data, federal_years()[2025])
    assert {(t.from_date, t.to_date) for t in data.transfers} == {
        (t.from_date, t.to_date) for t in federal_years()[2025].transfers
    }


@pytest.mark.parametrize("year", YEARS)
def test_xml_round_trip(year: int) -> None:
    original = federal_years()[year]
    back = from_xmlcalendar(to_xmlcalendar(original))
    _same_days(back, original)
    assert dict(back.holidays) == dict(original.holidays)
    assert back.decree is not None
    assert original.decree is not None
    assert (back.decree.number, back.decree.date) == (original.decree.number, original.decree.date)


@pytest.mark.parametrize("year", YEARS)
def test_json_round_trip(year: int) -> None:
    original = federal_years()[year]
    back = from_xmlcalendar_json(to_xmlcalendar_json(original))
    _same_days(back, original)
    assert back.official_working_days == original.official_working_days


def test_json_statistic_of_2025() -> None:
    document = json.loads(to_xmlcalendar_json(federal_years()[2025]))
    assert document["statistic"] == {
        "workdays": 247,
        "holidays": 118,
        "hours40": 1972.0,
        "hours36": 1774.4,
        "hours24": 1181.6,
    }
    november = document["months"][10]["days"].split(",")
    assert "1*" in november
    assert "3+" in november
    assert "4" in november
    assert {"from": "01.04", "to": "05.02"} in document["transitions"]


@pytest.mark.parametrize(
    "xml",
    [
        '<?xml version="1.0"?><!DOCTYPE calendar [<!ENTITY a "aaaa">]>'
        '<calendar year="2025">&a;</calendar>',
        '<!DOCTYPE calendar SYSTEM "http://example.invalid/x.dtd"><calendar year="2025"/>',
        "<calendar year='2025'><days><day d='01.01' t='1'",
        "<other year='2025'/>",
        "<calendar year='twenty'/>",
        "<calendar year='2025'><days><day d='13.45' t='1'/></days></calendar>",
        "<calendar year='2025'><days><day d='01.10' t='7'/></days></calendar>",
        "<calendar year='2025'><days><day d='01.09' t='3'/></days></calendar>",
        "<calendar year='2025'><days><day d='01.01' t='1' h='x'/></days></calendar>",
        # Numbers past a C long: OverflowError inside datetime unless caught.
        "<calendar year='2025'><days><day d='99999999999999999999.01' t='1'/></days></calendar>",
        "<calendar year='2025'><days><day d='01.99999999999999999999' t='1'/></days></calendar>",
        "<calendar year='2025'><days><day d='01.02' t='1' f='01.9999999999999999999'/></days>"
        "</calendar>",
        "<calendar year='2025'><days><day d='01.01' t='1' h='99999999999999999999'/></days>"
        "</calendar>",
        "<calendar year='2025'><holidays><holiday id='99999999999999999999' title='x'/>"
        "</holidays></calendar>",
    ],
)
def test_bad_or_hostile_xml_is_refused(xml: str) -> None:
    with pytest.raises(CalendarFormatError):
        from_xmlcalendar(xml)


def test_oversized_input_is_refused() -> None:
    with pytest.raises(CalendarFormatError):
        from_xmlcalendar(b"<calendar year='2025'>" + b" " * 1_000_001 + b"</calendar>")


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "not json",
        '{"year": 2025}',
        '{"year": 2025, "months": [{"month": 1, "days": "1,32"}]}',
        '{"year": 2025, "months": [{"month": 1, "days": "1"}], "statistic": {"workdays": 1}}',
        '{"year": 2025, "months": [{"month": 1, "days": "99999999999999999999999"}]}',
        '{"year": 2025, "months": [{"month": 99999999999999999999999, "days": "1"}]}',
    ],
)
def test_bad_json_is_refused(text: str) -> None:
    with pytest.raises(CalendarFormatError):
        from_xmlcalendar_json(text)


def test_plain_list_round_trip() -> None:
    years = [federal_years()[year] for year in (2024, 2025)]
    text = to_plain_list(years)
    assert "2025-11-01 work" in text
    assert "2025-11-01 short" in text
    back = from_plain_list(text)
    assert [data.year for data in back] == [2024, 2025]
    for original, read in zip(years, back, strict=True):
        _same_days(read, original)


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-01 off\n",
        "year 2025\n2025-01-01 party\n",
        "year 2025\n2025-02-30 off\n",
        "year nineteen\n",
        "year 2025\n2025-01-08 work\n",
    ],
)
def test_bad_plain_lists_are_refused(text: str) -> None:
    with pytest.raises(CalendarFormatError):
        from_plain_list(text)


def test_files_by_kind(tmp_path: pathlib.Path) -> None:
    (tmp_path / "2025.xml").write_text(SAMPLE_2025, encoding="utf-8")
    (tmp_path / "2024.json").write_text(to_xmlcalendar_json(federal_years()[2024]), "utf-8")
    (tmp_path / "2026.txt").write_text(to_plain_list([federal_years()[2026]]), "utf-8")
    calendar = load_calendar(sorted(tmp_path.iterdir()))
    assert (calendar.first_year, calendar.last_year) == (2024, 2026)
    assert calendar.count_working_days(D(2024, 1, 1), D(2026, 12, 31)) == 248 + 247 + 247
    with pytest.raises(CalendarFormatError):
        read_calendar_file(tmp_path / "missing.xml")


_days_2025 = st.dates(min_value=D(2025, 1, 1), max_value=D(2025, 12, 31))


@settings(max_examples=60, deadline=None)
@given(
    st.sets(_days_2025.filter(lambda d: d.weekday() < 5), max_size=8),
    st.sets(_days_2025.filter(lambda d: d.weekday() >= 5), max_size=4),
)
def test_round_trips_keep_a_hosts_days(off: set[dt.date], work: set[dt.date]) -> None:
    work -= set(federal_years()[2025].holidays)
    overlay = Overlay(
        "org",
        days_off=dict.fromkeys(off, "день организации"),
        working_days=dict.fromkeys(work, "отработка"),
    )
    data = overlay.apply(federal_years()[2025])
    _same_days(from_xmlcalendar(to_xmlcalendar(data)), data)
    _same_days(from_xmlcalendar_json(to_xmlcalendar_json(data)), data)
    (back,) = from_plain_list(to_plain_list([data]))
    _same_days(back, data)


@given(month=st.integers(min_value=-(10**30), max_value=10**30), day=st.integers(-(10**30), 10**30))
def test_any_day_number_reads_or_is_a_format_error(month: int, day: int) -> None:
    xml = f"<calendar year='2025'><days><day d='{month}.{day}' t='1'/></days></calendar>"
    try:
        data = from_xmlcalendar(xml)
    except CalendarFormatError:
        return
    assert dt.date(2025, month, day) in data.days_off
