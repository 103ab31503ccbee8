"""Drafts stored before drafts had several signatories read and go on as before.

The stored document of that shape has ``pending_signature`` (one request) and cycles without
``co_signatories``, ``signing_order`` and ``signatures``; its signing decisions lack
``signatory_id``, ``value_sha256`` and ``combined``. Such a document is written into each
adapter's storage as it was, read back through the service, and signed.
"""

from __future__ import annotations

from typing import Any

import pendulum
import sqlalchemy as sa

from edmscore.approval import CmsSignatureVerifier, Draft, DraftState, VisaDecision, draft_problems
from edmscore.records.codec import decode, dumps, encode
from edmscore.signatures import SubjectFields
from edmscore.signatures.signing import LocalKeySigner
from edmscore.storage import MemoryStorage
from edmscore.storage.sql import SqlStorage
from edmscore.storage.sql._schema import drafts as drafts_table
from edmscore.testing.pki import Identity, TestPki

from .conftest import Ministry

_NEW_CYCLE_KEYS = ("co_signatories", "signing_order", "signatures")
_NEW_DECISION_KEYS = ("signatory_id", "value_sha256", "combined")


def _old_shape(draft: Draft) -> dict[str, Any]:
    """The stored document of ``draft`` as the one-signatory code wrote it."""
    data = encode(draft)
    pending = data.pop("pending_signatures")
    for item in pending:
        item.pop("signatory_id")
    data["pending_signature"] = pending[0] if pending else None
    for cycle in data["cycles"]:
        for key in _NEW_CYCLE_KEYS:
            cycle.pop(key)
        if cycle["signing"] is not None:
            for key in _NEW_DECISION_KEYS:
                cycle["signing"].pop(key)
    return data


def _store_as_is(m: Ministry, data: dict[str, Any]) -> None:
    """Put the stored document in the adapter exactly as given."""
    storage = m.storage
    if isinstance(storage, SqlStorage):
        with storage.engine.begin() as conn:
            conn.execute(
                sa.update(drafts_table)
                .where(drafts_table.c.id == data["id"])
                .values(document=dumps(data))
            )
    else:
        assert isinstance(storage, MemoryStorage)
        with storage.unit_of_work() as uow:
            stored = uow.drafts.get(data["id"])
            uow.drafts.update(decode(Draft, data), stored.version)
            uow.commit()


def _minister(pki: TestPki) -> Identity:
    fields = SubjectFields(
        common_name="Соколов Андрей Викторович",
        surname="Соколов",
        given_name="Андрей",
        patronymic="Викторович",
    )
    return pki.issue(
        fields,
        not_before=pendulum.datetime(2025, 6, 1, tz="UTC"),
        not_after=pendulum.datetime(2027, 6, 1, tz="UTC"),
    )


def test_a_stored_draft_with_one_pending_request_reads_and_signs_as_before(
    ministry: Ministry,
) -> None:
    m = ministry
    pki = TestPki.create("ecdsa", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    minister = _minister(pki)
    m.service.verifier = CmsSignatureVerifier([pki.root.certificate])
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    draft, request = m.service.request_signature(
        m.users["minister"], draft.id, draft.version, minister.certificate
    )
    old = _old_shape(draft)
    assert "pending_signatures" not in old and old["pending_signature"]["request_id"] == request.id
    _store_as_is(m, old)
    read = m.service.get(m.users["minister"], draft.id)
    assert read.pending_signature is not None
    assert [p.request_id for p in read.pending_signatures] == [request.id]
    assert read.pending_signatures[0].signatory_id is None  # the old shape names no seat
    assert read.cycles[-1].co_signatories == ()
    assert draft_problems(read) == ()
    value = LocalKeySigner(minister.private_key_pem).sign(request)
    signed = m.service.complete_signature(
        m.users["minister"], read.id, read.version, request.id, value, register_in=m.outgoing.id
    )
    assert signed.state is DraftState.REGISTERED
    assert draft_problems(signed) == ()


def test_a_stored_signed_cycle_of_one_signature_reads_as_before(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    signature = m.signer.sign(b"%PDF-1.7 letter v1")
    draft = m.service.sign(
        m.users["minister"], draft.id, draft.version, b"%PDF-1.7 letter v1", signature
    )
    old = _old_shape(draft)
    assert "signatures" not in old["cycles"][-1]
    _store_as_is(m, old)
    read = m.service.get(m.users["minister"], draft.id)
    cycle = read.cycles[-1]
    assert cycle.signatures == ()
    assert cycle.signing is not None and cycle.signing.signatory_id is None
    assert cycle.given_signatures == (cycle.signing,)
    assert cycle.signed_by(m.officials["minister"].id) == cycle.signing
    assert draft_problems(read) == ()
    rows = m.service.sheet(m.users["author"], read.id).cycles[-1].rows
    assert [(r.participant, r.decision) for r in rows][-1] == ("Соколов А.В.", "Подписано")
    registered, card = m.service.register(m.users["minister"], read.id, read.version, m.outgoing.id)
    assert registered.state is DraftState.REGISTERED
    assert [f.name for f in card.details.files] == ["letter.pdf", "letter.pdf.sig"]
