"""A search by a number typed by hand finds the card whatever the typing.

Numbers are stored as their journal normalises them (:meth:`~edmscore.registry.Journal.
normalise_number`: trimmed, spaces collapsed, Latin look-alikes made Cyrillic, letter case per the
journal's rule). A number typed into a search box is normalised the same way for each journal the
search can reach and looked up in that journal only, so a case-sensitive journal never matches
another journal's case. Each form is one exact search on the adapter; their pages are merged in
(registration time, id) order, so keyset paging goes on across them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

import attrs

from edmscore.access import AccessScope
from edmscore.errors import NotFound
from edmscore.records.ports import CardCursor, CardPage, CardQuery, UnitOfWork
from edmscore.registry import Journal
from edmscore.registry.numbering import clean_number

__all__ = ["number_forms", "search_by_number_forms"]


def _reachable_journals(uow: UnitOfWork, query: CardQuery, scope: AccessScope) -> list[Journal]:
    if query.journal_ids is not None:
        found = []
        for journal_id in sorted(query.journal_ids):
            try:
                found.append(uow.journals.get(journal_id))
            except NotFound:
                continue
        return found
    if query.organisation_id is not None:
        organisations: Iterable[str] = (query.organisation_id,)
    elif scope.organisation_id is not None:
        organisations = sorted({scope.organisation_id, *scope.supervised_ids})
    else:
        return []
    return [journal for org in organisations for journal in uow.journals.list(org)]


def number_forms(
    uow: UnitOfWork, query: CardQuery, scope: AccessScope
) -> tuple[tuple[str, frozenset[str] | None], ...]:
    """The exact searches ``query.number`` stands for: the text as typed, in every journal the
    query names (numbers imported as they were), and each reachable journal's normal form of it,
    in that journal. Each is (number, journal ids or None for the query's own)."""
    typed = query.number
    if typed is None:
        return ()
    by_form: dict[str, set[str]] = {}
    if clean_number(typed):
        for journal in _reachable_journals(uow, query, scope):
            by_form.setdefault(journal.normalise_number(typed), set()).add(journal.id)
    searches: list[tuple[str, frozenset[str] | None]] = [(typed, query.journal_ids)]
    searches.extend(
        (form, frozenset(ids)) for form, ids in sorted(by_form.items()) if form != typed
    )
    return tuple(searches)


def search_by_number_forms(
    uow: UnitOfWork,
    query: CardQuery,
    scope: AccessScope,
    searches: tuple[tuple[str, frozenset[str] | None], ...],
) -> CardPage:
    """One page of the cards any of ``searches`` finds, in (registration time, id) order."""
    pages = [
        uow.cards.query(attrs.evolve(query, number=number, journal_ids=journals), scope)
        for number, journals in searches
    ]
    if len(pages) == 1:
        return pages[0]
    merged = heapq.merge(
        *(page.items for page in pages), key=lambda card: (card.registered_at, card.id)
    )
    items = []
    seen: set[str] = set()
    for card in merged:
        if card.id not in seen:
            seen.add(card.id)
            items.append(card)
    more = len(items) > query.limit or any(page.next_cursor is not None for page in pages)
    items = items[: query.limit]
    cursor = CardCursor(items[-1].registered_at, items[-1].id) if more and items else None
    return CardPage(tuple(items), cursor)
