"""The access rule of :class:`~edmscore.access.AccessScope` as one SQL condition on a card row.

Cards and every listing that goes through a card (assignments, reports) use this one condition, so
the database never returns a row the scope does not permit; it agrees with
:meth:`AccessScope.permits` (the tests compare both on random data).
"""

from __future__ import annotations

import sqlalchemy as sa

from edmscore.access import AccessScope
from edmscore.registry import AccessMark
from edmscore.storage.sql import _schema as t

__all__ = ["card_visible"]


def _listed(cards: sa.Table, scope: AccessScope) -> sa.ColumnElement[bool]:
    readers = t.card_readers.c
    return sa.exists().where(
        readers.card_id == cards.c.id, readers.user_id.in_(sorted(scope.reader_ids))
    )


def _reached(cards: sa.Table, scope: AccessScope) -> sa.ColumnElement[bool] | None:
    if scope.organisation_id is None:
        return None
    c = cards.c
    own = c.organisation_id == scope.organisation_id
    if scope.department_ids is not None:
        own = sa.and_(own, c.department_id.in_(sorted(scope.department_ids)))
    shares = t.card_shares.c
    alternatives = [
        own,
        sa.exists().where(shares.card_id == c.id, shares.organisation_id == scope.organisation_id),
    ]
    if scope.supervised_ids:
        alternatives.append(c.organisation_id.in_(sorted(scope.supervised_ids)))
    return sa.or_(*alternatives)


def card_visible(cards: sa.Table, scope: AccessScope) -> sa.ColumnElement[bool] | None:
    """The condition on ``cards`` (``edms_cards`` or an alias) that the scope permits the row.

    None when the scope permits every card (nothing to add to the WHERE clause).
    """
    reached = _reached(cards, scope)
    open_or_cleared = None if scope.dsp_cleared else cards.c.access == AccessMark.OPEN.value
    parts = [p for p in (reached, open_or_cleared) if p is not None]
    if not parts:
        return None
    return sa.or_(sa.and_(*parts), _listed(cards, scope))
