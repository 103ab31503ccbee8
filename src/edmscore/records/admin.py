"""Set-up use cases: the directory, journals and the nomenclature of cases, each audited."""

from __future__ import annotations

import attrs
import pendulum

from edmscore._validate import expect
from edmscore.access import Actor, ActorRef, Permission
from edmscore.audit import AuditEvent, diff_fields
from edmscore.directory import Department, Official, Organisation, RoleGrant, User
from edmscore.errors import (
    AccessDenied,
    AlreadySetUp,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from edmscore.records._base import ServiceBase
from edmscore.registry import Journal
from edmscore.registry.codec import to_primitive
from edmscore.registry.nomenclature import Nomenclature

__all__ = ["AdminService"]


class AdminService(ServiceBase):
    """The installation's set-up and the directory, journals and nomenclature, each audited.

    Who may do what: the organisations of the installation need ``administer_system``; an
    organisation's departments, officials and users need ``administer_users`` in that
    organisation (or ``administer_system``); only a system administrator gives the
    ``system_admin`` role. Journals need ``manage_journals``, the nomenclature
    ``manage_nomenclature``, both in the actor's own organisation.
    """

    def bootstrap(self, organisation: Organisation, administrator: User) -> User:
        """First-run set-up: the installation's first organisation and its administrator.

        Allowed once, on a directory with no organisation. The administrator is stored with the
        ``system_admin`` and ``organisation_admin`` roles (whatever roles the value carries) and
        becomes the actor of the set-up's audit events. Returns the stored administrator.
        """
        expect(organisation, Organisation, "organisation")
        expect(administrator, User, "administrator")
        if administrator.organisation_id != organisation.id:
            raise ValidationError("administrator.organisation_id", "must be the new organisation")
        if not administrator.active or administrator.dismissed_on is not None:
            raise ValidationError("administrator", "must be an active user")
        admin = attrs.evolve(
            administrator,
            roles=(
                *administrator.roles,
                RoleGrant("system_admin"),
                RoleGrant("organisation_admin"),
            ),
        )
        now = self._now()
        try:
            self._bootstrap(organisation, admin, now)
        except ConflictError as exc:  # a concurrent set-up got there first
            with self.storage.unit_of_work() as uow:
                if uow.directory.organisations():
                    raise AlreadySetUp() from exc
            raise
        return admin

    def _bootstrap(self, organisation: Organisation, admin: User, now: pendulum.DateTime) -> None:
        with self.storage.unit_of_work() as uow:
            if uow.directory.organisations():
                raise AlreadySetUp()
            uow.directory.put_organisation(organisation)
            uow.directory.put_user(admin)
            for what, key, value in (
                ("organisation", organisation.id, organisation),
                ("user", admin.id, admin),
            ):
                uow.audit.append(
                    AuditEvent(
                        at=now,
                        actor_id=admin.id,
                        action=f"{what}.saved",
                        entity_type=what,
                        entity_id=key,
                        changes=diff_fields({}, to_primitive(value)),
                        note="first-run set-up",
                    )
                )
            uow.commit()

    def put_organisation(self, actor: ActorRef, organisation: Organisation) -> None:
        """Add or replace an organisation (``administer_system``)."""
        self._put(actor, "organisation", organisation.id, organisation, None)

    def put_department(self, actor: ActorRef, department: Department) -> None:
        """Add or replace a department of an organisation (``administer_users`` there)."""
        self._put(actor, "department", department.id, department, department.organisation_id)

    def put_official(self, actor: ActorRef, official: Official) -> None:
        """Add or replace an official (``administer_users`` in their organisation)."""
        self._put(actor, "official", official.id, official, official.organisation_id)

    def put_user(self, actor: ActorRef, user: User) -> None:
        """Add or replace a user with their clearance and roles (``administer_users``).

        Every role must exist in the access policy; only a system administrator gives the
        ``system_admin`` role; nobody changes their own roles or clearance.
        """
        for grant in user.roles:
            self.policy.role(grant.role)
        self._put(actor, "user", user.id, user, user.organisation_id)

    def _put(
        self, actor: ActorRef, what: str, key: str, value: object, organisation_id: str | None
    ) -> None:
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            self._may_administer(me, organisation_id)
            directory = uow.directory
            getter = getattr(directory, what)
            try:
                stored = getter(key)
                before = to_primitive(stored)
            except LookupError:
                stored, before = None, {}
            if stored is not None and organisation_id is not None:
                # Replacing an entry moves it only within what the actor administers: the stored
                # entry's organisation counts as well as the new one's.
                self._may_administer(me, getattr(stored, "organisation_id", None))
            if isinstance(value, User):
                self._check_user_change(me, stored, value)
            getattr(directory, f"put_{what}")(value)
            self._audit(uow, me, now, f"{what}.saved", what, key, before, to_primitive(value))
            uow.commit()

    @staticmethod
    def _may_administer(actor: Actor, organisation_id: str | None) -> None:
        if actor.has(Permission.ADMINISTER_SYSTEM):
            return
        if organisation_id is None:
            raise PermissionDenied(Permission.ADMINISTER_SYSTEM.value, "organisations")
        actor.require(Permission.ADMINISTER_USERS)
        actor.require_own(organisation_id, "directory entry")

    @staticmethod
    def _check_user_change(actor: Actor, stored: object, user: User) -> None:
        old_roles = stored.roles if isinstance(stored, User) else ()
        gives_system = any(g.role == "system_admin" for g in user.roles) and not any(
            g.role == "system_admin" for g in old_roles
        )
        if gives_system and not actor.has(Permission.ADMINISTER_SYSTEM):
            raise PermissionDenied(Permission.ADMINISTER_SYSTEM.value, "giving system_admin")
        if (
            user.id == actor.id
            and isinstance(stored, User)
            and (stored.roles != user.roles or stored.clearance is not user.clearance)
        ):
            raise PermissionDenied(
                Permission.ADMINISTER_USERS.value, "one's own roles or clearance"
            )

    def create_journal(self, actor: ActorRef, journal: Journal) -> Journal:
        """Create a registration journal of the actor's organisation."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            me.require(Permission.MANAGE_JOURNALS)
            if journal.organisation_id != me.organisation_id:
                raise AccessDenied("a journal can be created only in the actor's own organisation")
            uow.directory.organisation(journal.organisation_id)
            uow.journals.add(journal)
            data = to_primitive(journal)
            data["template"] = journal.template.source
            self._audit(uow, me, now, "journal.created", "journal", journal.id, {}, data)
            uow.commit()
        return journal

    def add_nomenclature(self, actor: ActorRef, nomenclature: Nomenclature) -> None:
        """Store the nomenclature of cases of the actor's organisation for one year."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            me.require(Permission.MANAGE_NOMENCLATURE)
            if nomenclature.organisation_id != me.organisation_id:
                raise AccessDenied(
                    "a nomenclature can be added only to the actor's own organisation"
                )
            uow.directory.organisation(nomenclature.organisation_id)
            uow.nomenclatures.add(nomenclature)
            self._audit(
                uow,
                me,
                now,
                "nomenclature.added",
                "nomenclature",
                nomenclature.id,
                {},
                to_primitive(nomenclature),
            )
            uow.commit()

    def close_case(self, actor: ActorRef, case_id: str, on: pendulum.Date) -> Nomenclature:
        """Close a case on ``on``; its retention counts from 1 January of the next year."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            me.require(Permission.MANAGE_NOMENCLATURE)
            nomenclature, _ = uow.nomenclatures.find_case(case_id)
            if nomenclature.organisation_id != me.organisation_id:
                raise AccessDenied("a case of another organisation")
            _, version = uow.nomenclatures.get(nomenclature.id)
            before = to_primitive(nomenclature.case_by_id(case_id))
            closed = nomenclature.close_case(case_id, on)
            uow.nomenclatures.update(closed, version)
            after = to_primitive(closed.case_by_id(case_id))
            self._audit(uow, me, now, "case.closed", "case", case_id, before, after)
            uow.commit()
            return closed

    def copy_nomenclature_to_next_year(
        self, actor: ActorRef, organisation_id: str, year: int, new_id: str
    ) -> Nomenclature:
        """Copy the organisation's nomenclature of ``year`` to ``year + 1`` and store it."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            me.require(Permission.MANAGE_NOMENCLATURE)
            if organisation_id != me.organisation_id:
                raise AccessDenied("a nomenclature of another organisation")
            found = uow.nomenclatures.find(organisation_id, year)
            if found is None:
                raise NotFound("nomenclature", (organisation_id, year))
            copy = found[0].copy_to_next_year(new_id)
            uow.nomenclatures.add(copy)
            self._audit(
                uow,
                me,
                now,
                "nomenclature.added",
                "nomenclature",
                copy.id,
                {},
                to_primitive(copy),
            )
            uow.commit()
            return copy
