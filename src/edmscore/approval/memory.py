"""The approval repositories of the in-memory adapter, on its undo log.

They keep their tables in ``_State.extensions["approval"]`` and write through
:meth:`~edmscore.records.memory._Journaled._set`, so a rollback undoes them with everything else
of the unit of work. :class:`~edmscore.storage.memory.MemoryUnitOfWork` exposes them as
``drafts``, ``route_templates`` and ``substitutions``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pendulum

from edmscore.access import AccessScope
from edmscore.approval._enums import DraftState
from edmscore.approval._model import Draft
from edmscore.approval._route import RouteTemplate, Substitution
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.memory import MemoryRecordsUnitOfWork, _Journaled

__all__ = ["MemoryDrafts", "MemoryRouteTemplates", "MemorySubstitutions"]


class _Tables:
    def __init__(self) -> None:
        self.drafts: dict[str, Draft] = {}
        self.templates: dict[str, RouteTemplate] = {}
        self.substitutions: dict[str, Substitution] = {}


class _ApprovalJournaled(_Journaled):
    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        tables = self._s.extensions.get("approval")
        if tables is None:
            tables = self._s.extensions.setdefault("approval", _Tables())
        self._t: _Tables = tables


class MemoryDrafts(_ApprovalJournaled):
    """Drafts in memory."""

    def get(self, draft_id: str) -> Draft:
        """The draft, or NotFound."""
        draft = self._t.drafts.get(draft_id)
        if draft is None:
            raise NotFound("draft", draft_id)
        return draft

    def add(self, draft: Draft) -> None:
        """Store a new draft at version 1."""
        stored = self._t.drafts.get(draft.id)
        if stored is not None:
            raise ConflictError("draft", draft.id, 0, stored.version)
        if draft.version != 1:
            raise ValidationError("version", "a new draft starts at version 1")
        self._set(self._t.drafts, draft.id, draft)

    def update(self, draft: Draft, expected_version: int) -> Draft:
        """Store a changed draft if the stored one is at ``expected_version``."""
        stored = self.get(draft.id)
        if stored.version != expected_version:
            raise ConflictError("draft", draft.id, expected_version, stored.version)
        if stored.organisation_id != draft.organisation_id:
            raise ValidationError("organisation_id", "a draft cannot change its organisation")
        new = attrs.evolve(draft, version=stored.version + 1)
        self._set(self._t.drafts, draft.id, new)
        return new

    def list(
        self,
        organisation_id: str,
        states: frozenset[DraftState] | None = None,
        *,
        scope: AccessScope | None = None,
    ) -> Sequence[Draft]:
        """The organisation's drafts, oldest first; with ``scope``, those whose card it permits."""
        found = [
            d
            for d in self._t.drafts.values()
            if d.organisation_id == organisation_id
            and (states is None or d.state in states)
            and (scope is None or self._permitted(d.id, scope))
        ]
        return sorted(found, key=lambda d: (d.created_at, d.id))

    def _permitted(self, draft_id: str, scope: AccessScope) -> bool:
        card = self._s.cards.get(draft_id)
        return card is not None and scope.permits(card)


class MemoryRouteTemplates(_ApprovalJournaled):
    """Route templates in memory."""

    def put(self, template: RouteTemplate) -> None:
        """Add or replace a template."""
        self._set(self._t.templates, template.id, template)

    def get(self, template_id: str) -> RouteTemplate:
        """The template, or NotFound."""
        template = self._t.templates.get(template_id)
        if template is None:
            raise NotFound("route template", template_id)
        return template

    def for_kind(self, organisation_id: str, document_kind: str) -> RouteTemplate | None:
        """The template for a document kind, if any."""
        wanted = document_kind.casefold()
        for template in self.list(organisation_id):
            if template.document_kind.casefold() == wanted:
                return template
        return None

    def list(self, organisation_id: str) -> Sequence[RouteTemplate]:
        """The organisation's templates, by document kind."""
        found = [t for t in self._t.templates.values() if t.organisation_id == organisation_id]
        return sorted(found, key=lambda t: (t.document_kind, t.id))


class MemorySubstitutions(_ApprovalJournaled):
    """Substitutions in memory."""

    def put(self, substitution: Substitution) -> None:
        """Add or replace a substitution."""
        self._set(self._t.substitutions, substitution.id, substitution)

    def in_force(self, organisation_id: str, day: pendulum.Date) -> Sequence[Substitution]:
        """Substitutions covering ``day``."""
        return sorted(
            (
                s
                for s in self._t.substitutions.values()
                if s.organisation_id == organisation_id and s.covers(day)
            ),
            key=lambda s: (s.starts_on, s.id),
        )

    def of_official(self, official_id: str) -> Sequence[Substitution]:
        """An official's substitutions, by start date."""
        return sorted(
            (s for s in self._t.substitutions.values() if s.official_id == official_id),
            key=lambda s: (s.starts_on, s.id),
        )
