"""What approval needs from storage, as protocols beside the core ports.

An adapter that stores drafts gives units of work with three more repositories: drafts, route
templates and substitutions (:class:`ApprovalUnitOfWork`); the core :class:`UnitOfWork` does not
change, so an adapter without approval still conforms to it. The in-memory adapter provides
them (:class:`~edmscore.storage.MemoryStorage` is an :class:`ApprovalStorage`).

Rules (the suite in :mod:`edmscore.testing.approval_contract` checks them):

- ``get`` of a missing key raises :class:`~edmscore.errors.NotFound`; ``add`` of an existing id
  raises :class:`~edmscore.errors.ConflictError`.
- ``DraftRepository.update`` stores the draft only if the stored version equals
  ``expected_version``, with version + 1; otherwise :class:`~edmscore.errors.ConflictError`.
- Everything written in a unit of work is undone by its rollback, like the core repositories.
- ``DraftRepository.list`` with an access scope never returns a draft whose card the scope does
  not permit (:meth:`~edmscore.access.AccessScope.permits`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pendulum

from edmscore.access import AccessScope
from edmscore.approval._enums import DraftState
from edmscore.approval._model import Draft
from edmscore.approval._route import RouteTemplate, Substitution
from edmscore.records.ports import UnitOfWork

__all__ = [
    "ApprovalStorage",
    "ApprovalUnitOfWork",
    "DraftRepository",
    "RouteTemplateRepository",
    "SubstitutionRepository",
]


class DraftRepository(Protocol):
    """Drafts under approval, with optimistic versions."""

    def get(self, draft_id: str) -> Draft:
        """The draft, or NotFound."""
        ...

    def add(self, draft: Draft) -> None:
        """Store a new draft (its version must be 1)."""
        ...

    def update(self, draft: Draft, expected_version: int) -> Draft:
        """Store a changed draft if the stored version is ``expected_version``; return it stored."""
        ...

    def list(
        self,
        organisation_id: str,
        states: frozenset[DraftState] | None = None,
        *,
        scope: AccessScope | None = None,
    ) -> Sequence[Draft]:
        """The organisation's drafts (in the given states), oldest first.

        With ``scope``, only drafts whose РКПД card (the card with the draft's id) exists and
        the scope permits, filtered inside the adapter's query; None (the library's own scans)
        filters nothing.
        """
        ...


class RouteTemplateRepository(Protocol):
    """Route templates, per organisation and document kind."""

    def put(self, template: RouteTemplate) -> None:
        """Add or replace a template."""
        ...

    def get(self, template_id: str) -> RouteTemplate:
        """The template, or NotFound."""
        ...

    def for_kind(self, organisation_id: str, document_kind: str) -> RouteTemplate | None:
        """The organisation's template for a document kind (case-insensitive), if any."""
        ...

    def list(self, organisation_id: str) -> Sequence[RouteTemplate]:
        """The organisation's templates, by document kind."""
        ...


class SubstitutionRepository(Protocol):
    """Substitutions (замещение) of officials over periods."""

    def put(self, substitution: Substitution) -> None:
        """Add or replace a substitution."""
        ...

    def in_force(self, organisation_id: str, day: pendulum.Date) -> Sequence[Substitution]:
        """The organisation's substitutions covering ``day``."""
        ...

    def of_official(self, official_id: str) -> Sequence[Substitution]:
        """Every substitution of an official, by start date."""
        ...


class ApprovalUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also holds the approval repositories."""

    @property
    def drafts(self) -> DraftRepository:
        """Drafts under approval."""
        ...

    @property
    def route_templates(self) -> RouteTemplateRepository:
        """Route templates."""
        ...

    @property
    def substitutions(self) -> SubstitutionRepository:
        """Substitutions of officials."""
        ...


class ApprovalStorage(Protocol):
    """A storage whose units of work hold the approval repositories."""

    def unit_of_work(self) -> ApprovalUnitOfWork:
        """Open a unit of work (use it as a context manager)."""
        ...
