"""Delivery control of letters sent over MEDO: sent → delivered → registered or refused.

A :class:`Dispatch` follows one outgoing card to one recipient through its attempts, the
receipts (квитанции) and the recipient's notification (registered with their number and date,
or refused with a reason). :class:`DispatchRepository` is the storage port; the in-memory and
SQL adapters expose it as ``uow.dispatches``. The use cases are on
:class:`edmscore.exchange.service.ExchangeService`; see ``docs/exchange.md``.
"""

from __future__ import annotations

from edmscore.exchange.dispatch._model import (
    MAX_LISTED,
    Attempt,
    Dispatch,
    DispatchState,
    Refusal,
    TheirRegistration,
)
from edmscore.exchange.dispatch.ports import (
    DispatchRepository,
    DispatchStorage,
    DispatchUnitOfWork,
)

__all__ = [
    "MAX_LISTED",
    "Attempt",
    "Dispatch",
    "DispatchRepository",
    "DispatchState",
    "DispatchStorage",
    "DispatchUnitOfWork",
    "Refusal",
    "TheirRegistration",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
