"""Signature records of cards (:mod:`edmscore.records.signature_records`) in the SQL adapter.

One row of ``edms_signature_records`` per record: the whole record as a document, with the card
and the check time as columns the listing of a card's records reads from an index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa

from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.codec import decode_json, dumps, encode
from edmscore.records.signature_records import SignatureRecord
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._cards import micros

if TYPE_CHECKING:
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["SqlSignatureRecords"]


class SqlSignatureRecords:
    """Signature records in ``edms_signature_records`` (append-only)."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def add(self, record: SignatureRecord) -> None:
        """Store a new record; ConflictError when its id is taken."""
        if not isinstance(record, SignatureRecord):
            raise ValidationError("record", "must be a SignatureRecord")
        inserted = self._uow.insert_ignoring_conflicts(
            t.signature_records,
            {
                "id": record.id,
                "card_id": record.card_id,
                "organisation_id": record.organisation_id,
                "checked_us": micros(record.checked_at),
                "document": dumps(encode(record)),
            },
        )
        if not inserted:
            raise ConflictError("signature record", record.id, 0, 1)

    def get(self, record_id: str) -> SignatureRecord:
        """The record, or NotFound."""
        r = t.signature_records.c
        document = self._uow.select_by_key(r.document, r.id, record_id)
        if document is None:
            raise NotFound("signature record", record_id)
        return decode_json(SignatureRecord, document)

    def for_card(self, card_id: str) -> Sequence[SignatureRecord]:
        """The card's records, oldest check first."""
        r = t.signature_records.c
        statement = sa.select(r.document).where(r.card_id == card_id).order_by(r.checked_us, r.id)
        return [decode_json(SignatureRecord, d) for d in self._uow.execute(statement).scalars()]
