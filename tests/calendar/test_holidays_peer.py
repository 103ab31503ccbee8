"""Every day 2015–2026 against the `holidays` package (vacanza/holidays), a real peer.

Any disagreement must be listed in KNOWN_DISAGREEMENTS with its reason; none is known today.
The transfers are compared too: the peer records each decree's moves as substituted days.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from edmscore.calendar import federal_years, russian_calendar

try:
    import holidays
except ImportError:  # pragma: no cover - the package is in the dev extra
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("the holidays package is not installed", allow_module_level=True)

YEARS = range(2015, 2028)

# date -> why edmscore and the peer differ on it (none so far).
KNOWN_DISAGREEMENTS: dict[dt.date, str] = {}

# Transfers the peer pairs differently (the same days off, another provenance): date moved to ->
# the reason we keep ours.
KNOWN_PAIRING_DIFFERENCES: dict[dt.date, str] = {
    dt.date(2016, 5, 3): "decree 1017 of 24.09.2015 moves Saturday 2 January to 3 May; the peer "
    "(holidays 0.109) pairs 3 May with 3 January",
    dt.date(2016, 3, 7): "decree 1017 of 24.09.2015 moves Sunday 3 January to 7 March; the peer "
    "pairs 7 March with 2 January",
}


def _disagreements() -> dict[dt.date, str]:
    calendar = russian_calendar()
    peer = holidays.country_holidays("RU", years=YEARS)
    found: dict[dt.date, str] = {}
    day = dt.date(YEARS[0], 1, 1)
    while day.year < YEARS[-1] + 1:
        ours = calendar.is_working_day(day)
        theirs = peer.is_working_day(day)
        if ours != theirs:
            found[day] = f"edmscore {'working' if ours else 'off'}, holidays: {peer.get(day)}"
        day += dt.timedelta(days=1)
    return found


def test_every_day_agrees_with_the_holidays_package() -> None:
    found = _disagreements()
    unexplained = {day: why for day, why in found.items() if day not in KNOWN_DISAGREEMENTS}
    assert not unexplained, "\n".join(f"{d}: {w}" for d, w in sorted(unexplained.items()))
    assert set(KNOWN_DISAGREEMENTS) <= set(found), "a listed disagreement no longer happens"


def test_working_weekends_agree() -> None:
    peer = holidays.country_holidays("RU", years=YEARS)
    ours = {day for year in YEARS for day in federal_years()[year].working_weekends}
    assert ours == {day for day in peer.weekend_workdays if day.year in YEARS}


def test_decreed_transfers_agree() -> None:
    peer = holidays.country_holidays("RU", years=YEARS, language="ru")
    for year in YEARS:
        data = federal_years()[year]
        for transfer in data.transfers:
            name = peer.get(transfer.to_date)
            assert name, transfer
            if transfer.automatic or transfer.to_date in KNOWN_PAIRING_DIFFERENCES:
                continue
            # The peer names a substituted day after the day it was moved from.
            assert f"{transfer.from_date:%d.%m.%Y}" in name, (transfer, name)


def test_2027_matches_the_peer_where_it_has_the_year() -> None:
    peer = holidays.country_holidays("RU", years=2027)
    if not any(day.year == 2027 for day in peer):  # pragma: no cover - older peer data
        pytest.skip("this holidays release has no 2027 data")
    calendar = russian_calendar()
    assert calendar.is_confirmed(2027)
    day = dt.date(2027, 1, 1)
    while day.year == 2027:
        assert calendar.is_working_day(day) == peer.is_working_day(day), day
        day += dt.timedelta(days=1)
