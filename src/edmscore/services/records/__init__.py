"""Deprecated: moved to :mod:`edmscore.records.service` (a :class:`DeprecationWarning` on use)."""

from __future__ import annotations

from typing import Any

from edmscore import _deprecated
from edmscore.records import service as _service

_NAMES = ["EDITABLE_FIELDS", "RecordsService", "RegistrationRequest"]

_MOVED = dict.fromkeys(_NAMES, _service)


def __getattr__(name: str) -> Any:
    return _deprecated.moved(__name__, name, _MOVED)
