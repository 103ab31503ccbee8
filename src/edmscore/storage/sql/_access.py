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

__all__ = ["card_visible", "card_visible_branches"]


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


def card_visible_branches(
    cards: sa.Table, scope: AccessScope
) -> list[sa.ColumnElement[bool]] | None:
    """The condition of :func:`card_visible` as alternatives whose union it is, for listings.

    A card is visible when its own organisation's, a sharing organisation's, a supervised
    organisation's branch (each with the ДСП condition) or its access list lets it through. As
    one OR no index can serve the organisation, and a listing's page walks the whole order until
    enough of the organisation's cards turn up; as alternatives each branch is a query of its own,
    the own organisation's on its ``(organisation_id, …)`` index, the shared and the listed cards
    from their side tables' indexes. None when the scope permits every card; a single branch when
    the scope names no organisation (the ДСП rule alone).
    """
    if scope.organisation_id is None:
        visible = card_visible(cards, scope)
        return None if visible is None else [visible]
    c = cards.c
    open_or_cleared = [] if scope.dsp_cleared else [c.access == AccessMark.OPEN.value]
    own: list[sa.ColumnElement[bool]] = [c.organisation_id == scope.organisation_id]
    if scope.department_ids is not None:
        own.append(c.department_id.in_(sorted(scope.department_ids)))
    shares = t.card_shares.c
    shared = c.id.in_(
        sa.select(shares.card_id).where(shares.organisation_id == scope.organisation_id)
    )
    branches = [sa.and_(*own, *open_or_cleared), sa.and_(shared, *open_or_cleared)]
    if scope.supervised_ids:
        supervised = c.organisation_id.in_(sorted(scope.supervised_ids))
        branches.append(sa.and_(supervised, *open_or_cleared))
    readers = t.card_readers.c
    listed = c.id.in_(
        sa.select(readers.card_id).where(readers.user_id.in_(sorted(scope.reader_ids)))
    )
    branches.append(listed)
    return branches
