"""Analytics as Arrow tables and pandas or polars DataFrames, for partners' own analysis.

Needs the ``dataframes`` extra (pyarrow; pandas and polars for their frames). Tables are built
column by column: :func:`report_table` from a report's columns, :func:`cards_table` and
:func:`assignments_table` from the read model's rows for a reader. On PostgreSQL those two stream
the view's rows out of the server with ``COPY … TO STDOUT`` straight into Arrow's CSV reader,
so a million rows never become Python objects; elsewhere each column is gathered into one list.
pandas and polars frames are made from the Arrow table (polars without a copy).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from edmscore.access import ActorRef
from edmscore.errors import MissingDependency, WrongType
from edmscore.reports import _facts as f
from edmscore.reports._reader import open_reader
from edmscore.reports._report import Report
from edmscore.reports.rows import AssignmentRow, CardRow, assignment_row

__all__ = ["assignments_table", "cards_table", "report_table", "to_pandas", "to_polars"]


def _arrow() -> Any:
    try:
        import pyarrow  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:
        raise MissingDependency("pyarrow", "dataframes") from exc
    return pyarrow


def report_table(report: Report) -> Any:
    """The report's rows (without the totals row) as a ``pyarrow.Table``, headings as names."""
    pa = _arrow()
    columns = list(zip(*report.rows, strict=True)) if report.rows else [()] * len(report.headers)
    return pa.table({h: pa.array(list(c)) for h, c in zip(report.headers, columns, strict=True)})


def _schema(pa: Any, names: tuple[str, ...], sample: Any) -> Any:
    types = {
        "reg_date": pa.date32(),
        "issued_on": pa.date32(),
        "due": pa.date32(),
        "completed_on": pa.date32(),
        "on_control": pa.bool_(),
        "counted": pa.bool_(),
    }
    return pa.schema([(n, types.get(n, pa.string())) for n in names])


def _from_rows(pa: Any, names: tuple[str, ...], rows: Iterable[Any]) -> Any:
    columns: list[list[Any]] = [[] for _ in names]
    appenders = [c.append for c in columns]
    for row in rows:
        for append, value in zip(appenders, row.values(), strict=True):
            append(value)
    schema = _schema(pa, names, None)
    return pa.table(
        [pa.array(c, type=schema.field(i).type) for i, c in enumerate(columns)], schema=schema
    )


def _copy_out(uow: Any, statement: Any, names: tuple[str, ...]) -> Any:
    """PostgreSQL: the statement's rows as CSV from ``COPY`` read by Arrow's CSV reader."""
    pa = _arrow()
    from pyarrow import csv as pacsv  # type: ignore[import-untyped, unused-ignore]

    conn = uow._connection()
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    buffer = io.BytesIO()
    raw = conn.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        for chunk in copy:
            buffer.write(chunk)
    buffer.seek(0)
    schema = _schema(pa, names, None)
    options = pacsv.ReadOptions(column_names=list(names))
    convert = pacsv.ConvertOptions(
        column_types=schema, true_values=["t", "true"], false_values=["f", "false"]
    )
    return pacsv.read_csv(buffer, read_options=options, convert_options=convert)


def _postgres(uow: Any) -> bool:
    return f._sql(uow) and uow._connection().dialect.name == "postgresql"


def cards_table(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    *,
    organisation_id: str | None = None,
) -> Any:
    """The cards the reader may see, registered in the period, as a ``pyarrow.Table`` with the
    columns of :class:`~edmscore.reports.rows.CardRow`."""
    pa = _arrow()
    names = CardRow.COLUMNS
    with open_reader(edms, actor, period_from, period_to, organisation_id) as (uow, reader):
        if f._sql(uow):
            import sqlalchemy as sa

            from edmscore.reports import _sql_facts as q

            v = q._CARDS.c
            statement = sa.select(*(v[n] for n in names)).where(
                *q._card_conditions(reader), v.reg_date >= period_from, v.reg_date <= period_to
            )
            if _postgres(uow):
                return _copy_out(uow, statement, names)
            result = uow.execute(statement)
            return _from_columns(pa, names, result)
        return _from_rows(pa, names, f.card_rows(uow, reader, period_from, period_to))


def _from_columns(pa: Any, names: tuple[str, ...], result: Any) -> Any:
    schema = _schema(pa, names, None)
    batches = []
    while chunk := result.fetchmany(50_000):
        columns = list(zip(*chunk, strict=True))
        arrays = [pa.array(c, type=schema.field(i).type) for i, c in enumerate(columns)]
        batches.append(pa.record_batch(arrays, schema=schema))
    return pa.Table.from_batches(batches, schema=schema)


def assignments_table(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    *,
    organisation_id: str | None = None,
) -> Any:
    """Assignments on cards the reader may see, due in the period, as a ``pyarrow.Table`` with
    the columns of :class:`~edmscore.reports.rows.AssignmentRow`."""
    pa = _arrow()
    names = AssignmentRow.COLUMNS
    with open_reader(edms, actor, period_from, period_to, organisation_id) as (uow, reader):
        if f._sql(uow):
            import sqlalchemy as sa

            from edmscore.reports import _sql_facts as q

            a = q._ASSIGNMENTS.c
            visible = sa.select(q._CARDS.c.card_id).where(*q._card_conditions(reader))
            statement = sa.select(*(a[n] for n in names)).where(
                a.due >= period_from, a.due <= period_to, a.card_id.in_(visible)
            )
            if _postgres(uow):
                return _copy_out(uow, statement, names)
            return _from_columns(pa, names, uow.execute(statement))
        visible_ids = f.visible_card_ids(uow, reader)
        rows = (
            row
            for row in (assignment_row(x) for x in uow.export_records("assignments"))
            if row.card_id in visible_ids
            and row.due is not None
            and period_from <= row.due <= period_to
        )
        return _from_rows(pa, names, rows)


def to_pandas(table: Any) -> Any:
    """A ``pandas.DataFrame`` of an Arrow table (needs pandas)."""
    try:
        import pandas  # type: ignore[import-untyped, unused-ignore]  # noqa: F401
    except ImportError as exc:
        raise MissingDependency("pandas", "dataframes") from exc
    _check_table(table)
    return table.to_pandas()


def to_polars(table: Any) -> Any:
    """A ``polars.DataFrame`` of an Arrow table, sharing its buffers (needs polars)."""
    try:
        import polars
    except ImportError as exc:
        raise MissingDependency("polars", "dataframes") from exc
    _check_table(table)
    return polars.from_arrow(table)


def _check_table(table: object) -> None:
    if not isinstance(table, _arrow().Table):
        raise WrongType("table", "pyarrow.Table", table)


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())
