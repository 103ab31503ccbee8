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

__all__ = ["card_visible", "visible_branches"]


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


def visible_branches(cards: sa.Table, scope: AccessScope) -> list[sa.ColumnElement[bool]] | None:
    """:func:`card_visible` split into alternatives whose union it is, each one an index serves.

    A scope that names an organisation gets one branch per way to reach a card: the own
    organisation's cards (``organisation_id = :org``, the department and ДСП conditions beside it,
    so the organisation's index walks them in order), the cards shared with the organisation and
    the listed ones (driven from ``edms_card_shares`` and ``edms_card_readers``) and the
    supervised organisations' cards. One OR of them all would keep the planner off the
    organisation's index (a common text fragment then walks the whole registration order until
    enough of the organisation's cards turn up). A listing runs the page once per branch (each
    ordered and limited) and merges them. None when the scope permits every card; a single
    branch when it names no organisation (the condition is then cheap as it is).
    """
    if scope.organisation_id is None:
        visible = card_visible(cards, scope)
        return None if visible is None else [visible]
    c = cards.c
    shares, readers = t.card_shares.c, t.card_readers.c
    own = c.organisation_id == scope.organisation_id
    if scope.department_ids is not None:
        own = sa.and_(own, c.department_id.in_(sorted(scope.department_ids)))
    reached = [
        own,
        c.id.in_(sa.select(shares.card_id).where(shares.organisation_id == scope.organisation_id)),
    ]
    if scope.supervised_ids:
        reached.append(c.organisation_id.in_(sorted(scope.supervised_ids)))
    if not scope.dsp_cleared:
        opened = c.access == AccessMark.OPEN.value
        reached = [sa.and_(branch, opened) for branch in reached]
    listed = c.id.in_(
        sa.select(readers.card_id).where(readers.user_id.in_(sorted(scope.reader_ids)))
    )
    return [*reached, listed]
