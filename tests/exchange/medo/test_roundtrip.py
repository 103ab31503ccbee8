"""Round trips: build → parse gives the same message, and what is built validates."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from edmscore.exchange.medo import Message, build_message, parse_message, schema_errors
from edmscore.exchange.medo.strategies import (
    acknowledgments,
    document_messages,
    notification_messages,
)

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _round_trip(message: Message) -> None:
    for encoding in ("utf-8", "windows-1251"):
        data = build_message(message, encoding=encoding)
        assert schema_errors(data) == ()
        assert parse_message(data, source="roundtrip.xml") == message


@_SETTINGS
@given(document_messages())
def test_document_messages_round_trip(message: Message) -> None:
    _round_trip(message)


@_SETTINGS
@given(notification_messages())
def test_notifications_round_trip(message: Message) -> None:
    _round_trip(message)


@_SETTINGS
@given(acknowledgments())
def test_receipts_round_trip(message: Message) -> None:
    _round_trip(message)
