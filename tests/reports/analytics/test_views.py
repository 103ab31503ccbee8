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


def test_the_card_view_reads_the_stored_cards(region_sqlite):
    edms, _ = region_sqlite
    with edms.storage.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT count(*) FROM edms_cards").scalar()
        viewed = conn.exec_driver_sql(
            "SELECT count(*) FROM edms_v1_cards WHERE channel IS NOT NULL"
        ).scalar()
        medo = conn.exec_driver_sql(
            "SELECT count(*) FROM edms_v1_dispatches WHERE state IN "
            "('sent','delivered','registered','refused')"
        ).scalar()
    assert stored and viewed == stored
    assert medo
