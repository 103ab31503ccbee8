"""Deprecated: moved to :mod:`edmscore.exchange.service` (a :class:`DeprecationWarning` on use)."""

from __future__ import annotations

from typing import Any

from edmscore import _deprecated
from edmscore.exchange import service as _service

_MOVED = dict.fromkeys(("ExchangeService", "Received", "ReplyLink", "Sent", "Stuck"), _service)


def __getattr__(name: str) -> Any:
    return _deprecated.moved(__name__, name, _MOVED)
