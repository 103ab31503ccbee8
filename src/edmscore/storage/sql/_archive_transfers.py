"""Acceptance acts of the archive (:mod:`edmscore.archive.transfer_store`) in the SQL adapter.

One row of ``edms_archive_transfers`` per act: the id as the key, the organisation the listing
filters on, the state, the version the optimistic check compares and the whole act as a
document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from edmscore.errors import NotFound
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._codec import decode_json, dumps, encode

if TYPE_CHECKING:
    from edmscore.archive._transfer import TransferAct
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = [
    "SqlTransfers",
    "archive_transfers",
    "create_transfer_tables",
    "export_transfers",
    "import_transfer",
]

archive_transfers = sa.Table(
    "edms_archive_transfers",
    t.metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("organisation_id", sa.String(64), nullable=False, index=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)


def create_transfer_tables(conn: sa.Connection) -> None:
    """Schema 6 step: the acceptance acts' table (created if missing)."""
    archive_transfers.create(conn, checkfirst=True)


def _cls() -> type[TransferAct]:
    from edmscore.archive._transfer import TransferAct

    return TransferAct


def export_transfers(uow: SqlUnitOfWork, stream: Callable[..., Iterator[Any]]) -> Iterator[Any]:
    """Every acceptance act by id (the bulk port's export)."""
    a = archive_transfers.c
    order = a.id if uow._sqlite else a.id.collate("C")
    for (document,) in stream(uow, sa.select(a.document).order_by(order)):
        yield decode_json(_cls(), document)


def import_transfer(uow: SqlUnitOfWork, act: TransferAct) -> None:
    """Store an act as given, its version kept, replacing one with its id."""
    a = archive_transfers.c
    uow.execute(sa.delete(archive_transfers).where(a.id == act.id))
    uow.execute(sa.insert(archive_transfers).values(**_values(act)))


def _values(act: TransferAct) -> dict[str, Any]:
    return {
        "id": act.id,
        "organisation_id": act.organisation_id,
        "state": act.state.value,
        "version": act.version,
        "document": dumps(encode(act)),
    }


class SqlTransfers:
    """Acceptance acts in ``edms_archive_transfers``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def transfer(self, act_id: str) -> TransferAct:
        """The acceptance act, or NotFound."""
        a = archive_transfers.c
        document = self._uow.execute(
            sa.select(a.document).where(a.id == act_id)
        ).scalar_one_or_none()
        if document is None:
            raise NotFound("acceptance act", act_id)
        return decode_json(_cls(), document)

    def put_transfer(self, act: TransferAct, expected_version: int) -> TransferAct:
        """Store a new (0) or changed act; return it with its new version."""
        from edmscore.archive.transfer_store import next_transfer_version

        a = archive_transfers.c
        stored = self._uow.execute(
            sa.select(a.version).where(a.id == getattr(act, "id", None))
        ).scalar_one_or_none()
        new = next_transfer_version(act, stored, expected_version)
        if stored is None:
            if not self._uow.insert_ignoring_conflicts(archive_transfers, _values(new)):
                next_transfer_version(act, 1, expected_version)  # taken concurrently
        else:
            changed = self._uow.execute(
                sa.update(archive_transfers)
                .where(a.id == act.id, a.version == expected_version)
                .values(**_values(new))
            ).rowcount
            if changed != 1:
                next_transfer_version(act, expected_version + 1, expected_version)
        return new

    def transfers(self, organisation_id: str) -> Sequence[TransferAct]:
        """The organisation's acceptance acts, by id."""
        a = archive_transfers.c
        order = a.id if self._uow._sqlite else a.id.collate("C")
        statement = (
            sa.select(a.document).where(a.organisation_id == organisation_id).order_by(order)
        )
        return [decode_json(_cls(), d) for d in self._uow.execute(statement).scalars()]
