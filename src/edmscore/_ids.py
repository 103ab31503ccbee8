"""Identifiers: opaque strings, new ones random."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """Return a new random identifier (32 lowercase hex digits)."""
    return uuid.uuid4().hex
