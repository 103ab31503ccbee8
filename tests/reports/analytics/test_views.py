"""The ``edms_v1_*`` views: their columns are pinned, so a change to them is deliberate."""

from __future__ import annotations

import sqlalchemy as sa

from edmscore.reports.rows import READ_MODEL_VERSION, AssignmentRow, CardRow
from edmscore.storage.sql import SqlStorage

#: Version 1 of the views, as partners' SQL reads it. Change only with a new version.
PINNED = {
    "edms_v1_cards": "card_id organisation_id journal_id number reg_date kind document_kind "
    "channel correspondent department_id executor_id access status on_control registered_us",
    "edms_v1_assignments": "assignment_id organisation_id card_id executor_id department_id kind "
    "state issued_on due completed_on counted on_control",
    "edms_v1_dispatches": "dispatch_id organisation_id card_id recipient recipient_name state "
    "first_sent_us since_us refusal_reason",
    "edms_v1_questions": "appeal_id organisation_id card_id registered_on form question_number "
    "topic status status_date review_due executor_id",
    "edms_v1_visas": "draft_id organisation_id access cycle_number cycle_outcome stage_number "
    "stage_name official_id activated_at decided_at decision term_days",
}


def test_the_views_have_the_pinned_columns():
    engine = sa.create_engine("sqlite://")
    SqlStorage(engine)
    with engine.connect() as conn:
        for name, columns in PINNED.items():
            assert tuple(conn.exec_driver_sql(f"SELECT * FROM {name}").keys()) == tuple(
                columns.split()
            )


def test_the_rows_share_the_views_names():
    assert READ_MODEL_VERSION == 1
    assert tuple(PINNED["edms_v1_cards"].split()[:-1]) == CardRow.COLUMNS
    assert tuple(PINNED["edms_v1_assignments"].split()) == AssignmentRow.COLUMNS


def test_the_card_and_assignment_views_agree_with_the_rows(region_sqlite):
    from edmscore.reports.rows import assignment_row, card_row

    edms, _ = region_sqlite
    with edms.storage.unit_of_work() as uow:
        cards = [card_row(c) for c in uow.export_records("cards")]
        assignments = [assignment_row(a) for a in uow.export_records("assignments")]
    views = {name: sa.table(name, *(sa.column(c) for c in PINNED[name].split())) for name in PINNED}
    cv, av = views["edms_v1_cards"], views["edms_v1_assignments"]
    with edms.storage.engine.connect() as conn:
        got_cards = sorted(
            tuple(r)
            for r in conn.execute(
                sa.select(cv.c.card_id, cv.c.kind, cv.c.channel, cv.c.correspondent, cv.c.access)
            )
        )
        got_assignments = sorted(
            (str(r[0]), str(r[1]), r[2])
            for r in conn.execute(sa.select(av.c.assignment_id, av.c.issued_on, av.c.state))
        )
    assert got_cards == sorted(
        (c.card_id, c.kind, c.channel, c.correspondent, c.access) for c in cards
    )
    assert got_assignments == sorted(
        (a.assignment_id, a.issued_on.isoformat(), a.state) for a in assignments
    )
    assert any(c.channel == "medo" for c in cards)


def test_the_question_and_visa_views_agree_with_the_rows(region_sqlite):
    from edmscore.reports.rows import question_rows

    edms, _ = region_sqlite
    with edms.storage.unit_of_work() as uow:
        appeals = list(uow.export_records("appeals"))
        drafts = list(uow.export_records("drafts"))
    expected = sorted(
        (q.appeal_id, q.question_number, q.topic, q.status, q.status_date)
        for a in appeals
        for q in question_rows(a)
    )
    participants = sum(
        len(stage.assignments) for d in drafts for cycle in d.cycles for stage in cycle.stages
    )
    with edms.storage.engine.connect() as conn:
        table = sa.table(
            "edms_v1_questions",
            sa.column("appeal_id"),
            sa.column("question_number"),
            sa.column("topic"),
            sa.column("status"),
            sa.column("status_date", sa.Date),
        )
        got = sorted(
            tuple(r)
            for r in conn.execute(
                sa.select(
                    table.c.appeal_id,
                    table.c.question_number,
                    table.c.topic,
                    table.c.status,
                    table.c.status_date,
                )
            )
        )
        visas = conn.exec_driver_sql("SELECT count(*) FROM edms_v1_visas").scalar()
    assert expected and got == expected
    assert participants and visas == participants


def test_the_migration_to_version_6_creates_the_views(tmp_path):
    from edmscore.storage.sql import SCHEMA_VERSION, migrate
    from edmscore.storage.sql import _migrate as migrations
    from edmscore.storage.sql import _schema as schema

    assert SCHEMA_VERSION == 6
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'v5.db'}")
    SqlStorage(engine)
    with engine.begin() as conn:  # a version 5 database: no views
        migrations._views.drop_views(conn)
        conn.execute(sa.update(schema.schema_version).values(version=5))
    assert not [n for n in sa.inspect(engine).get_view_names() if n.startswith("edms_v1_")]
    assert migrate(engine) == (5, 6)
    assert sorted(sa.inspect(engine).get_view_names()) == sorted(PINNED)


def test_drop_all_drops_the_views_first(tmp_path):
    from edmscore.storage.sql import _schema as schema

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    SqlStorage(engine)
    schema.metadata.drop_all(engine)
    assert sa.inspect(engine).get_view_names() == []
    assert not set(sa.inspect(engine).get_table_names()) & set(schema.metadata.tables)
