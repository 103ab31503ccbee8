"""Who reads a report and over what: the actor resolved from the directory, their access scope,
the organisations within their reach as a tree, and the ones the report is asked for.

A reader reaches their own organisation and the ones they supervise (the ``supervise``
permission and the policy's supervision map: a region's office over its bodies, a body over its
institutions). ``organisation_id`` narrows a report to that organisation and everything under
it in the tree; asking for one outside the reader's reach is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import attrs

from edmscore.access import AccessScope, ActorRef, Permission, resolve_actor
from edmscore.directory import Organisation
from edmscore.errors import PermissionDenied, ValidationError

__all__ = ["OrgTree", "Reader", "open_reader"]


@attrs.frozen
class OrgTree:
    """Organisations with their parent links, restricted to a set of ids."""

    organisations: Mapping[str, Organisation]
    _children: dict[str | None, list[str]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        children: dict[str | None, list[str]] = {}
        for o in sorted(self.organisations.values(), key=lambda o: (o.name, o.id)):
            children.setdefault(o.parent_id, []).append(o.id)
        object.__setattr__(self, "_children", children)

    def children(self, organisation_id: str) -> list[str]:
        """The direct subordinates present in the tree, ordered by name then id."""
        return list(self._children.get(organisation_id, ()))

    def roots(self) -> list[str]:
        """The organisations whose parent is not in the tree, ordered by name then id."""
        found = [o for o in self.organisations.values() if o.parent_id not in self.organisations]
        return [o.id for o in sorted(found, key=lambda o: (o.name, o.id))]

    def subtree(self, organisation_id: str) -> list[str]:
        """The organisation and everything under it, depth first."""
        out = [organisation_id]
        for child in self.children(organisation_id):
            out.extend(self.subtree(child))
        return out

    def walk(self) -> Iterator[tuple[str, int]]:
        """Every organisation with its depth, depth first from the roots."""

        def visit(key: str, depth: int) -> Iterator[tuple[str, int]]:
            yield key, depth
            for child in self.children(key):
                yield from visit(child, depth + 1)

        for root in self.roots():
            yield from visit(root, 0)

    def name(self, organisation_id: str) -> str:
        """The short name (or the full one)."""
        o = self.organisations.get(organisation_id)
        if o is None:
            return organisation_id
        return o.short_name or o.name


@attrs.frozen
class Reader:
    """The resolved reader of a report: scope, home organisation, today and the selection."""

    scope: AccessScope
    organisation: Organisation
    today: dt.date
    tree: OrgTree
    selected: frozenset[str]
    label: str


def _check_period(period_from: dt.date, period_to: dt.date) -> None:
    for name, value in (("period_from", period_from), ("period_to", period_to)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValidationError(name, "must be a date")
    if period_to < period_from:
        raise ValidationError("period_to", "the period ends before it starts")


@contextmanager
def open_reader(
    edms: Any,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    organisation_id: str | None = None,
) -> Iterator[tuple[Any, Reader]]:
    """Open a unit of work on ``edms``'s storage and resolve the reader in it (``read_reports``)."""
    _check_period(period_from, period_to)
    now = edms.clock.now()
    with edms.storage.unit_of_work() as uow:
        directory = uow.directory
        me = resolve_actor(directory, actor, edms.policy, now.date())
        me.require_somewhere(Permission.READ_REPORTS)
        scope = me.scope()
        home = me.organisation
        reach = {home.id, *scope.supervised_ids}
        known: Sequence[Organisation] = directory.organisations()
        tree = OrgTree({o.id: o for o in known if o.id in reach})
        if organisation_id is None:
            selected = frozenset(tree.organisations)
            label = tree.name(home.id)
        else:
            if organisation_id not in tree.organisations:
                raise PermissionDenied(
                    Permission.READ_REPORTS.value, "for an organisation outside the reader's reach"
                )
            selected = frozenset(tree.subtree(organisation_id))
            label = tree.name(organisation_id)
        today = now.in_timezone(home.timezone).date()
        reader = Reader(
            scope=scope,
            organisation=home,
            today=dt.date(today.year, today.month, today.day),
            tree=tree,
            selected=selected,
            label=label,
        )
        yield uow, reader
        uow.commit()
