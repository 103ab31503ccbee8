"""Set-up use cases: the directory, journals and the nomenclature of cases, each audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pendulum

from edmscore.directory import Department, Official, Organisation, User
from edmscore.errors import AccessDenied
from edmscore.records._base import ServiceBase
from edmscore.registry import Journal
from edmscore.registry.codec import to_primitive

if TYPE_CHECKING:
    from edmscore.registry.nomenclature import Nomenclature

__all__ = ["AdminService"]


class AdminService(ServiceBase):
    """Directory, journal and nomenclature maintenance for an organisation's administrators."""

    def put_organisation(self, actor: User, organisation: Organisation) -> None:
        """Add or replace an organisation."""
        self._put(actor, "organisation", organisation.id, organisation)

    def put_department(self, actor: User, department: Department) -> None:
        """Add or replace a department."""
        self._put(actor, "department", department.id, department)

    def put_official(self, actor: User, official: Official) -> None:
        """Add or replace an official."""
        self._put(actor, "official", official.id, official)

    def put_user(self, actor: User, user: User) -> None:
        """Add or replace a user."""
        self._put(actor, "user", user.id, user)

    def _put(self, actor: User, what: str, key: str, value: object) -> None:
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            directory = uow.directory
            getter = getattr(directory, what)
            try:
                before = to_primitive(getter(key))
            except LookupError:
                before = {}
            getattr(directory, f"put_{what}")(value)
            self._audit(uow, actor, now, f"{what}.saved", what, key, before, to_primitive(value))
            uow.commit()

    def create_journal(self, actor: User, journal: Journal) -> Journal:
        """Create a registration journal of the actor's organisation."""
        self._require_active(actor)
        if journal.organisation_id != actor.organisation_id:
            raise AccessDenied("a journal can be created only in the actor's own organisation")
        now = self._now()
        with self.storage.unit_of_work() as uow:
            uow.directory.organisation(journal.organisation_id)
            uow.journals.add(journal)
            data = to_primitive(journal)
            data["template"] = journal.template.source
            self._audit(uow, actor, now, "journal.created", "journal", journal.id, {}, data)
            uow.commit()
        return journal

    def add_nomenclature(self, actor: User, nomenclature: Nomenclature) -> None:
        """Store the nomenclature of cases of the actor's organisation for one year."""
        self._require_active(actor)
        if nomenclature.organisation_id != actor.organisation_id:
            raise AccessDenied("a nomenclature can be added only to the actor's own organisation")
        now = self._now()
        with self.storage.unit_of_work() as uow:
            uow.directory.organisation(nomenclature.organisation_id)
            uow.nomenclatures.add(nomenclature)
            self._audit(
                uow,
                actor,
                now,
                "nomenclature.added",
                "nomenclature",
                nomenclature.id,
                {},
                to_primitive(nomenclature),
            )
            uow.commit()

    def close_case(self, actor: User, case_id: str, on: pendulum.Date) -> Nomenclature:
        """Close a case on ``on``; its retention counts from 1 January of the next year."""
        self._require_active(actor)
        now = self._now()
        with self.storage.unit_of_work() as uow:
            nomenclature, _ = uow.nomenclatures.find_case(case_id)
            if nomenclature.organisation_id != actor.organisation_id:
                raise AccessDenied("a case of another organisation")
            _, version = uow.nomenclatures.get(nomenclature.id)
            before = to_primitive(nomenclature.case_by_id(case_id))
            closed = nomenclature.close_case(case_id, on)
            uow.nomenclatures.update(closed, version)
            after = to_primitive(closed.case_by_id(case_id))
            self._audit(uow, actor, now, "case.closed", "case", case_id, before, after)
            uow.commit()
            return closed

    def copy_nomenclature_to_next_year(
        self, actor: User, organisation_id: str, year: int, new_id: str
    ) -> Nomenclature:
        """Copy the organisation's nomenclature of ``year`` to ``year + 1`` and store it."""
        self._require_active(actor)
        if organisation_id != actor.organisation_id:
            raise AccessDenied("a nomenclature of another organisation")
        now = self._now()
        with self.storage.unit_of_work() as uow:
            found = uow.nomenclatures.find(organisation_id, year)
            if found is None:
                from edmscore.errors import NotFound

                raise NotFound("nomenclature", (organisation_id, year))
            copy = found[0].copy_to_next_year(new_id)
            uow.nomenclatures.add(copy)
            self._audit(
                uow,
                actor,
                now,
                "nomenclature.added",
                "nomenclature",
                copy.id,
                {},
                to_primitive(copy),
            )
            uow.commit()
            return copy
