"""Deprecated: moved to :mod:`edmscore.records.admin` (a :class:`DeprecationWarning` on use)."""

from __future__ import annotations

from typing import Any

from edmscore import _deprecated
from edmscore.records import admin as _admin

_MOVED = {"AdminService": _admin}


def __getattr__(name: str) -> Any:
    return _deprecated.moved(__name__, name, _MOVED)
