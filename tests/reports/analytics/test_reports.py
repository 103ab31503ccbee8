"""The analytics reports: the same numbers on every adapter, only what the reader may see."""

from __future__ import annotations

import datetime as dt

import pytest

from edmscore.directory import Clearance, RoleGrant, User
from edmscore.errors import PermissionDenied, ValidationError
from edmscore.registry import AccessMark, CardStatus
from edmscore.reports.analytics import REPORTS, discipline_rollup, registrations, workload

from .conftest import YEAR


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_memory_and_sqlite_give_the_same_report(name, region_memory, region_sqlite):
    (mem, region), (sql, _) = region_memory, region_sqlite
    a = REPORTS[name](mem, region.reader.id, *YEAR)
    b = REPORTS[name](sql, region.reader.id, *YEAR)
    assert a == b
    assert a == REPORTS[name](mem, region.reader.id, *YEAR)  # reproducible on a fixed clock


def _visible_cards(edms, user_id, orgs):
    from edmscore.access import resolve_actor

    with edms.storage.unit_of_work() as uow:
        me = resolve_actor(uow.directory, user_id, edms.policy, edms.clock.now().date())
        scope = me.scope()
        return [
            c
            for c in uow.export_records("cards")
            if c.status is CardStatus.REGISTERED and c.organisation_id in orgs and scope.permits(c)
        ]


def test_registration_total_counts_only_visible_cards(region_memory):
    edms, region = region_memory
    report = registrations(edms, region.reader.id, *YEAR)
    everything = {o.id for o in region.organisations}
    visible = _visible_cards(edms, region.reader.id, everything)
    assert report.total is not None
    assert report.total[-1] == len(visible)
    with edms.storage.unit_of_work() as uow:
        stored = list(uow.export_records("cards"))
    dsp = [c for c in stored if c.details.access is AccessMark.DSP]
    assert dsp, "the region has ДСП cards"
    assert len(visible) == len(stored) - len(dsp)  # the reader is not cleared for ДСП


def test_a_body_head_sees_its_subtree_only(region_memory):
    edms, region = region_memory
    body = region.organisations[1]
    head = User(
        "body-head", "body.head", body.id, clearance=Clearance.DSP, roles=(RoleGrant("head"),)
    )
    with edms.storage.unit_of_work() as uow:
        uow.directory.put_user(head)
        uow.commit()
    report = registrations(edms, head.id, *YEAR)
    subtree = {o.id for o in region.organisations if body.id in (o.id, o.parent_id)}
    assert report.total is not None
    assert report.total[-1] == len(_visible_cards(edms, head.id, subtree))
    names = {row[0] for row in report.rows}
    assert "Правительство АО" not in names
    with pytest.raises(PermissionDenied):
        registrations(edms, head.id, *YEAR, organisation_id="region")


def _n(value: object) -> int:
    assert isinstance(value, int)
    return value


def test_rollup_counts_each_organisation_once(region_memory):
    edms, region = region_memory
    report = discipline_rollup(edms, region.reader.id, *YEAR)
    rows = {str(r[0]).strip(): r for r in report.rows}
    root = rows["Правительство АО"]
    assert report.total is not None
    assert root[1:6] == report.total[1:6]
    body = rows["Министерство 1"]
    children = [rows["Учреждение 1.1"], rows["Учреждение 1.2"]]
    own = workload(edms, region.reader.id, *YEAR, organisation_id="body000")
    own_total = sum(_n(r[2]) for r in own.rows if r[0] == "Министерство 1")
    assert body[1] == own_total + sum(_n(c[1]) for c in children)


def test_workload_matches_the_discipline_totals(region_memory):
    edms, region = region_memory
    load = workload(edms, region.reader.id, *YEAR)
    rollup = discipline_rollup(edms, region.reader.id, *YEAR)
    assert load.total is not None and rollup.total is not None
    assert load.total[2:7] == rollup.total[1:6]


def test_a_period_that_ends_before_it_starts_is_refused(region_memory):
    edms, region = region_memory
    with pytest.raises(ValidationError):
        registrations(edms, region.reader.id, dt.date(2026, 5, 1), dt.date(2026, 4, 1))


def test_a_reader_without_read_reports_is_refused(region_memory):
    edms, _ = region_memory
    clerk = User("clerk-x", "clerk.x", "region", roles=(RoleGrant("registrar"),))
    with edms.storage.unit_of_work() as uow:
        uow.directory.put_user(clerk)
        uow.commit()
    with pytest.raises(PermissionDenied):
        registrations(edms, clerk.id, *YEAR)


def test_a_department_limited_reader_counts_the_same_on_every_adapter(region_memory, region_sqlite):
    limited = User(
        "dept-head",
        "dept.head",
        "body000",
        clearance=Clearance.DSP,
        roles=(RoleGrant("head", department_id="body000-dep0"),),
    )
    totals: list[object] = []
    for edms, region in (region_memory, region_sqlite):
        with edms.storage.unit_of_work() as uow:
            uow.directory.put_user(limited)
            uow.commit()
        report = registrations(edms, limited.id, *YEAR)
        subtree = {o.id for o in region.organisations if "body000" in (o.id, o.parent_id)}
        assert report.total is not None
        assert report.total[-1] == len(_visible_cards(edms, limited.id, subtree))
        totals.append(report.total[-1])
        load = workload(edms, limited.id, *YEAR)
        totals.append(load.total)
    assert totals[0] == totals[2] and totals[1] == totals[3]
