"""Drafts under approval, route templates and substitutions (:mod:`edmscore.approval`) in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pendulum
import sqlalchemy as sa

from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.codec import decode_json, dumps, encode
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._access import card_visible
from edmscore.storage.sql._cards import micros

if TYPE_CHECKING:
    from edmscore.access import AccessScope
    from edmscore.approval import Draft, DraftState, RouteTemplate, Substitution
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["SqlDrafts", "SqlRouteTemplates", "SqlSubstitutions"]


class _Documents:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _put(self, table: sa.Table, row: dict[str, Any]) -> None:
        """Insert or replace a row by its id."""
        values = {k: v for k, v in row.items() if k != "id"}
        changed = self._uow.execute(
            sa.update(table).where(table.c.id == row["id"]).values(**values)
        ).rowcount
        if changed == 0:
            self._uow.execute(sa.insert(table).values(**row))

    def _all(self, cls: type[Any], statement: sa.Select[Any]) -> list[Any]:
        return [decode_json(cls, d) for d in self._uow.execute(statement).scalars()]


def _draft_class() -> type[Draft]:
    from edmscore.approval import Draft

    return Draft


class SqlDrafts(_Documents):
    """Drafts in ``edms_drafts``, with optimistic versions."""

    def get(self, draft_id: str) -> Draft:
        """The draft, or NotFound."""
        d = t.drafts.c
        document = self._uow.select_by_key(d.document, d.id, draft_id)
        if document is None:
            raise NotFound("draft", draft_id)
        return decode_json(_draft_class(), document)

    def _row(self, draft: Draft) -> dict[str, Any]:
        return {
            "id": draft.id,
            "organisation_id": draft.organisation_id,
            "state": draft.state.value,
            "created_us": micros(draft.created_at),
            "version": draft.version,
            "document": dumps(encode(draft)),
        }

    def add(self, draft: Draft) -> None:
        """Store a new draft (version 1); ConflictError for a taken id."""
        if draft.version != 1:
            raise ValidationError("version", "a new draft starts at version 1")
        if not self._uow.insert_ignoring_conflicts(t.drafts, self._row(draft)):
            d = t.drafts.c
            stored = self._uow.select_by_key(d.version, d.id, draft.id)
            raise ConflictError("draft", draft.id, 0, int(stored or 0))

    def update(self, draft: Draft, expected_version: int) -> Draft:
        """Store a changed draft at ``expected_version``; return it as stored."""
        stored = self.get(draft.id)
        if stored.version != expected_version:
            raise ConflictError("draft", draft.id, expected_version, stored.version)
        if stored.organisation_id != draft.organisation_id:
            raise ValidationError("organisation_id", "a draft cannot change its organisation")
        new = attrs.evolve(draft, version=stored.version + 1)
        row = self._row(new)
        del row["id"]
        d = t.drafts.c
        changed = self._uow.execute(
            sa.update(t.drafts).where(d.id == draft.id, d.version == expected_version).values(**row)
        ).rowcount
        if changed != 1:
            actual = self._uow.select_by_key(d.version, d.id, draft.id)
            raise ConflictError("draft", draft.id, expected_version, int(actual or 0))
        return new

    def list(
        self,
        organisation_id: str,
        states: frozenset[DraftState] | None = None,
        *,
        scope: AccessScope | None = None,
    ) -> Sequence[Draft]:
        """The organisation's drafts, optionally in some states, oldest first; with ``scope``,
        only those whose card the scope permits (the condition is part of the query)."""
        d = t.drafts.c
        statement = sa.select(d.document).where(d.organisation_id == organisation_id)
        if states is not None:
            statement = statement.where(d.state.in_(sorted(s.value for s in states)))
        if scope is not None:
            c = t.cards.c
            card = sa.exists().where(c.id == d.id)
            visible = card_visible(t.cards, scope)
            statement = statement.where(card if visible is None else card.where(visible))
        found: list[Draft] = self._all(_draft_class(), statement.order_by(d.created_us, d.id))
        return found


class SqlRouteTemplates(_Documents):
    """Approval route templates in ``edms_route_templates``; ``put`` adds or replaces."""

    def _cls(self) -> type[RouteTemplate]:
        from edmscore.approval import RouteTemplate

        return RouteTemplate

    def put(self, template: RouteTemplate) -> None:
        """Add or replace a template."""
        self._put(
            t.route_templates,
            {
                "id": template.id,
                "organisation_id": template.organisation_id,
                "document": dumps(encode(template)),
            },
        )

    def get(self, template_id: str) -> RouteTemplate:
        """The template, or NotFound."""
        r = t.route_templates.c
        document = self._uow.select_by_key(r.document, r.id, template_id)
        if document is None:
            raise NotFound("route template", template_id)
        return decode_json(self._cls(), document)

    def for_kind(self, organisation_id: str, document_kind: str) -> RouteTemplate | None:
        """The organisation's template for a document kind (case-insensitive), if any."""
        wanted = document_kind.casefold()
        for template in self.list(organisation_id):
            if template.document_kind.casefold() == wanted:
                return template
        return None

    def list(self, organisation_id: str) -> Sequence[RouteTemplate]:
        """The organisation's templates, by document kind."""
        r = t.route_templates.c
        found: list[RouteTemplate] = self._all(
            self._cls(), sa.select(r.document).where(r.organisation_id == organisation_id)
        )
        return sorted(found, key=lambda x: (x.document_kind, x.id))


class SqlSubstitutions(_Documents):
    """Substitutions of officials (замещение) in ``edms_substitutions``."""

    def _cls(self) -> type[Substitution]:
        from edmscore.approval import Substitution

        return Substitution

    def put(self, substitution: Substitution) -> None:
        """Add or replace a substitution."""
        self._put(
            t.substitutions,
            {
                "id": substitution.id,
                "organisation_id": substitution.organisation_id,
                "official_id": substitution.official_id,
                "document": dumps(encode(substitution)),
            },
        )

    def in_force(self, organisation_id: str, day: pendulum.Date) -> Sequence[Substitution]:
        """The organisation's substitutions covering ``day``."""
        s = t.substitutions.c
        found: list[Substitution] = self._all(
            self._cls(), sa.select(s.document).where(s.organisation_id == organisation_id)
        )
        return sorted((x for x in found if x.covers(day)), key=lambda x: (x.starts_on, x.id))

    def of_official(self, official_id: str) -> Sequence[Substitution]:
        """The substitutions of one official (who is replaced)."""
        s = t.substitutions.c
        found: list[Substitution] = self._all(
            self._cls(), sa.select(s.document).where(s.official_id == official_id)
        )
        return sorted(found, key=lambda x: (x.starts_on, x.id))
