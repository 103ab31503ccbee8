"""Deprecated: the use cases moved to their capabilities.

:class:`RecordsService`, :class:`RegistrationRequest` and ``EDITABLE_FIELDS`` are in
:mod:`edmscore.records.service`, :class:`AdminService` in :mod:`edmscore.records.admin` (all of
them also in :mod:`edmscore.records`), ``ExchangeService`` in :mod:`edmscore.exchange.service`.
The old paths still work for one release, with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

from typing import Any

from edmscore import _deprecated
from edmscore.records import admin as _admin
from edmscore.records import service as _service

_MOVED = {
    "AdminService": _admin,
    "EDITABLE_FIELDS": _service,
    "RecordsService": _service,
    "RegistrationRequest": _service,
}


def __getattr__(name: str) -> Any:
    return _deprecated.moved(__name__, name, _MOVED)
