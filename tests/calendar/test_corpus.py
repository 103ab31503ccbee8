"""Real published calendar files against the shipped federal data (tests/corpus/calendar)."""

from __future__ import annotations

import pathlib

from edmscore.calendar import YearStatus, federal_years, from_xmlcalendar

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "corpus" / "calendar"


def test_the_published_2027_xmlcalendar_file_matches_the_decree() -> None:
    published = from_xmlcalendar((CORPUS / "ru-2027-calendar.xml").read_bytes())
    shipped = federal_years()[2027]
    assert shipped.status is YearStatus.OFFICIAL
    for day in shipped.days():
        assert published.is_day_off(day) == shipped.is_day_off(day), day
    assert published.shortened == shipped.shortened
    assert published.working_weekends == shipped.working_weekends
    assert {(t.from_date, t.to_date) for t in published.transfers} == {
        (t.from_date, t.to_date) for t in shipped.transfers
    }
    assert published.count_working_days() == shipped.count_working_days() == 247
