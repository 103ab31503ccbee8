"""What an author hands in: a draft's files and the request that creates it."""

from __future__ import annotations

import attrs

from edmscore._validate import to_tuple
from edmscore.registry import CardDetails, CardKind

__all__ = ["DraftFile", "DraftRequest"]


@attrs.frozen
class DraftFile:
    """A file handed in by the host: its name, content and media type."""

    name: str
    content: bytes = attrs.field(repr=False)
    media_type: str = "application/octet-stream"


@attrs.frozen
class DraftRequest:
    """What an author submits to create a draft.

    ``details`` describe the draft for its РКПД card (kind ``CardKind.DRAFT``; for an outgoing
    target the addressees too), ``journal_id`` is the journal of drafts that numbers it,
    ``target_kind`` what it becomes when signed, ``files`` the first version (main file first).
    """

    journal_id: str
    details: CardDetails
    target_kind: CardKind
    signatory_id: str
    files: tuple[DraftFile, ...] = attrs.field(default=(), converter=to_tuple)
    note: str = ""
    draft_id: str | None = None
