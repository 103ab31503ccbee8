"""The record codec's old home, kept for modules written against it: see
:mod:`edmscore.records.codec`."""

from __future__ import annotations

from edmscore.records.codec import (
    audit_to_json,
    card_from_json,
    card_to_json,
    decode,
    decode_json,
    dumps,
    encode,
    loads,
)

__all__ = [
    "audit_to_json",
    "card_from_json",
    "card_to_json",
    "decode",
    "decode_json",
    "dumps",
    "encode",
    "loads",
]
