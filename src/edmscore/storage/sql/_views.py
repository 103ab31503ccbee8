"""The analytics read model as SQL views (version 1 of the row schemas, ``edms_v1_*``).

Partners' SQL and BI tools read these views; their column names follow
:mod:`edmscore.reports.rows` and never change within a version (tests pin them). Times are
microseconds since the epoch (UTC) in columns ending ``_us``. The views hold every
organisation's rows: a partner applies the reader's scope (the predicate is in the docs,
``docs/analytics.md``); the library's own reports apply it in their queries.

The views are created with the tables (``metadata.create_all`` fires :func:`create_views`) and by
the version 5 → 6 migration step; ``metadata.drop_all`` drops them first.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from edmscore.storage.sql import _schema

__all__ = ["VIEWS", "VIEW_COLUMNS", "create_views", "drop_views", "view_tables"]


def _j(dialect: str, column: str, *path: str) -> str:
    """Text at a JSON path of a text column."""
    if dialect == "postgresql":
        return f"(({column})::jsonb #>> '{{{','.join(path)}}}')"
    dotted = "".join(f"[{p}]" if p.lstrip("-").isdigit() else f".{p}" for p in path)
    return f"json_extract({column}, '${dotted}')"


def _date(dialect: str, expr: str) -> str:
    return f"CAST({expr} AS DATE)" if dialect == "postgresql" else expr


def _cards(d: str) -> str:
    doc = "c.document"
    correspondent = (
        f"COALESCE({_j(d, doc, 'details', 'correspondents', '0', 'name')}, "
        f"{_j(d, doc, 'details', 'addressees', '0', 'name')}, '')"
    )
    return (
        "SELECT c.id AS card_id, c.organisation_id, c.journal_id, c.number, c.reg_date, c.kind, "
        f"{_j(d, doc, 'details', 'document_kind')} AS document_kind, "
        f"{_j(d, doc, 'details', 'delivery_method')} AS channel, "
        f"CASE WHEN c.kind IN ('incoming', 'outgoing') THEN {correspondent} ELSE '' END "
        "AS correspondent, "
        "c.department_id, c.executor_id, c.access, c.status, c.on_control, c.registered_us "
        "FROM edms_cards c"
    )


def _assignments(d: str) -> str:
    doc = "a.document"
    return (
        "SELECT a.id AS assignment_id, a.organisation_id, a.card_id, a.executor_id, "
        "a.department_id, a.kind, a.state, "
        f"{_date(d, _j(d, doc, 'issued_on'))} AS issued_on, a.due, a.completed_on, a.counted, "
        "a.on_control FROM edms_assignments a"
    )


def _dispatches(d: str) -> str:
    doc = "x.document"
    return (
        "SELECT x.id AS dispatch_id, x.organisation_id, x.card_id, x.recipient, "
        f"{_j(d, doc, 'recipient_name')} AS recipient_name, x.state, "
        "x.first_sent_us, x.since_us, "
        f"{_j(d, doc, 'refusal', 'reason')} AS refusal_reason FROM edms_dispatches x"
    )


def _questions(d: str) -> str:
    if d == "postgresql":
        return (
            "SELECT a.id AS appeal_id, a.organisation_id, a.card_id, a.registered_on, "
            "(a.document::jsonb ->> 'form') AS form, "
            "CAST(q.value ->> 'number' AS INTEGER) AS question_number, "
            "(q.value ->> 'topic') AS topic, "
            "(q.value -> 'history' -> -1 ->> 'status') AS status, "
            "CAST(q.value -> 'history' -> -1 ->> 'on' AS DATE) AS status_date, "
            "CAST(a.document::jsonb ->> 'review_due' AS DATE) AS review_due, "
            "(q.value ->> 'executor_id') AS executor_id "
            "FROM edms_appeals a "
            "CROSS JOIN LATERAL jsonb_array_elements(a.document::jsonb -> 'questions') AS q(value)"
        )
    return (
        "SELECT a.id AS appeal_id, a.organisation_id, a.card_id, a.registered_on, "
        "json_extract(a.document, '$.form') AS form, "
        "json_extract(q.value, '$.number') AS question_number, "
        "json_extract(q.value, '$.topic') AS topic, "
        "json_extract(q.value, '$.history[#-1].status') AS status, "
        "json_extract(q.value, '$.history[#-1].on') AS status_date, "
        "json_extract(a.document, '$.review_due') AS review_due, "
        "json_extract(q.value, '$.executor_id') AS executor_id "
        "FROM edms_appeals a, json_each(a.document, '$.questions') AS q"
    )


def _visas(d: str) -> str:
    if d == "postgresql":
        return (
            "SELECT r.id AS draft_id, r.organisation_id, "
            "(r.document::jsonb ->> 'access') AS access, "
            "CAST(cy.value ->> 'number' AS INTEGER) AS cycle_number, "
            "(cy.value ->> 'outcome') AS cycle_outcome, "
            "CAST(st.ord AS INTEGER) AS stage_number, (st.value ->> 'name') AS stage_name, "
            "(p.value ->> 'official_id') AS official_id, "
            "(p.value ->> 'activated_at') AS activated_at, "
            "(p.value -> 'visa' ->> 'at') AS decided_at, "
            "(p.value -> 'visa' ->> 'decision') AS decision, "
            "CAST(p.value ->> 'term_days' AS INTEGER) AS term_days "
            "FROM edms_drafts r "
            "CROSS JOIN LATERAL jsonb_array_elements(r.document::jsonb -> 'cycles') AS cy(value) "
            "CROSS JOIN LATERAL jsonb_array_elements(cy.value -> 'stages') "
            "WITH ORDINALITY AS st(value, ord) "
            "CROSS JOIN LATERAL jsonb_array_elements(st.value -> 'assignments') AS p(value)"
        )
    return (
        "SELECT r.id AS draft_id, r.organisation_id, "
        "json_extract(r.document, '$.access') AS access, "
        "json_extract(cy.value, '$.number') AS cycle_number, "
        "json_extract(cy.value, '$.outcome') AS cycle_outcome, "
        "st.key + 1 AS stage_number, json_extract(st.value, '$.name') AS stage_name, "
        "json_extract(p.value, '$.official_id') AS official_id, "
        "json_extract(p.value, '$.activated_at') AS activated_at, "
        "json_extract(p.value, '$.visa.at') AS decided_at, "
        "json_extract(p.value, '$.visa.decision') AS decision, "
        "json_extract(p.value, '$.term_days') AS term_days "
        "FROM edms_drafts r, json_each(r.document, '$.cycles') AS cy, "
        "json_each(cy.value, '$.stages') AS st, json_each(st.value, '$.assignments') AS p"
    )


#: Each view's name and its SELECT for a dialect.
VIEWS = {
    "edms_v1_cards": _cards,
    "edms_v1_assignments": _assignments,
    "edms_v1_dispatches": _dispatches,
    "edms_v1_questions": _questions,
    "edms_v1_visas": _visas,
}

#: The columns of each view, in order: the stable names partners rely on (version 1).
VIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "edms_v1_cards": (
        "card_id",
        "organisation_id",
        "journal_id",
        "number",
        "reg_date",
        "kind",
        "document_kind",
        "channel",
        "correspondent",
        "department_id",
        "executor_id",
        "access",
        "status",
        "on_control",
        "registered_us",
    ),
    "edms_v1_assignments": (
        "assignment_id",
        "organisation_id",
        "card_id",
        "executor_id",
        "department_id",
        "kind",
        "state",
        "issued_on",
        "due",
        "completed_on",
        "counted",
        "on_control",
    ),
    "edms_v1_dispatches": (
        "dispatch_id",
        "organisation_id",
        "card_id",
        "recipient",
        "recipient_name",
        "state",
        "first_sent_us",
        "since_us",
        "refusal_reason",
    ),
    "edms_v1_questions": (
        "appeal_id",
        "organisation_id",
        "card_id",
        "registered_on",
        "form",
        "question_number",
        "topic",
        "status",
        "status_date",
        "review_due",
        "executor_id",
    ),
    "edms_v1_visas": (
        "draft_id",
        "organisation_id",
        "access",
        "cycle_number",
        "cycle_outcome",
        "stage_number",
        "stage_name",
        "official_id",
        "activated_at",
        "decided_at",
        "decision",
        "term_days",
    ),
}


def create_views(conn: sa.Connection) -> None:
    """Create (or replace) every ``edms_v1_*`` view."""
    dialect = conn.dialect.name
    for name, select in VIEWS.items():
        if dialect == "postgresql":
            conn.exec_driver_sql(f"CREATE OR REPLACE VIEW {name} AS {select(dialect)}")
        else:
            conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
            conn.exec_driver_sql(f"CREATE VIEW {name} AS {select(dialect)}")


def drop_views(conn: sa.Connection) -> None:
    """Drop every ``edms_v1_*`` view (before the tables they read)."""
    for name in VIEWS:
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")


def _after_create(target: sa.MetaData, connection: sa.Connection, **_: object) -> None:
    create_views(connection)


def _before_drop(target: sa.MetaData, connection: sa.Connection, **_: object) -> None:
    drop_views(connection)


sa.event.listen(_schema.metadata, "after_create", _after_create)
sa.event.listen(_schema.metadata, "before_drop", _before_drop)

#: The views as SQLAlchemy tables for queries (kept off the schema's metadata: never created).
_view_metadata = sa.MetaData()


_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "reg_date": sa.Date(),
    "issued_on": sa.Date(),
    "due": sa.Date(),
    "completed_on": sa.Date(),
    "registered_on": sa.Date(),
    "status_date": sa.Date(),
    "review_due": sa.Date(),
    "on_control": sa.Boolean(),
    "counted": sa.Boolean(),
}


def _table(name: str, columns: tuple[str, ...]) -> sa.Table:
    return sa.Table(
        name,
        _view_metadata,
        *(sa.Column(c, _TYPES.get(c, sa.types.NullType())) for c in columns),
    )


#: Each view as a :class:`sqlalchemy.Table` of its columns, for building queries.
VIEW_TABLES: dict[str, sa.Table] = {name: _table(name, cols) for name, cols in VIEW_COLUMNS.items()}


def view_tables() -> dict[str, sa.Table]:
    """Each view as a :class:`sqlalchemy.Table` (dates and flags typed), for building queries."""
    return dict(VIEW_TABLES)
