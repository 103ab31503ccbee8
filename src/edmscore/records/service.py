"""Use cases on registration cards: register, read, search, update, link, file, delete.

Every use case takes the acting :class:`~edmscore.directory.User`, opens one unit of work, checks
access, calls the domain, appends an audit event with the changed fields before and after, and
commits. Any error rolls everything back — a number allocated for a failed registration included,
so numbers stay gapless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import Actor, ActorRef, Permission
from edmscore.audit import AuditEvent
from edmscore.directory import Clearance, Organisation
from edmscore.errors import (
    AccessDenied,
    ConflictError,
    DuplicateNumber,
    IdInUse,
    NotFound,
    StateError,
    ValidationError,
)
from edmscore.records import _steps as steps
from edmscore.records._base import ServiceBase
from edmscore.records._number_search import number_forms, search_by_number_forms
from edmscore.records.ports import CardPage, CardQuery, UnitOfWork
from edmscore.registry import (
    AccessMark,
    CardDetails,
    CardLink,
    CardStatus,
    FileRef,
    Journal,
    LinkType,
    Registration,
    RegistrationCard,
)
from edmscore.registry.codec import to_primitive
from edmscore.registry.numbering import TEMPLATE_FIELDS

__all__ = ["EDITABLE_FIELDS", "RecordsService", "RegistrationRequest"]

#: Fields :meth:`RecordsService.update` may change; links, case and files have their own use cases.
EDITABLE_FIELDS = frozenset(
    a.name
    for a in attrs.fields(CardDetails)
    if a.name not in {"kind", "links", "case_id", "case_index", "files"}
)
_MAX_SKIPS = 10_000


@attrs.frozen
class RegistrationRequest:
    """What a clerk submits to register a document.

    ``manual_number`` registers under a number typed by hand (checked for uniqueness) instead of
    the journal's counter; ``registration_date`` defaults to today in the organisation's time zone
    and may not lie in the future; ``card_id`` lets a host choose the card's id;
    ``template_values`` supplies number-template fields the card itself does not carry (the
    appeals capability gives ``topic``).
    """

    journal_id: str
    details: CardDetails
    manual_number: str | None = None
    registration_date: pendulum.Date | None = None
    card_id: str | None = None
    template_values: Mapping[str, str] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        unknown = set(self.template_values) - set(TEMPLATE_FIELDS) | (
            set(self.template_values) & {"seq"}
        )
        if unknown:
            raise ValidationError("template_values", f"not settable fields: {sorted(unknown)}")


def _details_primitive(card: RegistrationCard) -> dict[str, Any]:
    data: dict[str, Any] = to_primitive(card.details)
    data["registration"] = to_primitive(card.registration)
    data["status"] = card.status.value
    return data


class RecordsService(ServiceBase):
    """The registration-card use cases over a :class:`~edmscore.storage.Storage`."""

    # --- reading -------------------------------------------------------------------------------

    def get(self, actor: ActorRef, card_id: str) -> RegistrationCard:
        """The card; :class:`NotFound` alike for a missing card and one ``actor`` may not see.

        Reading a ДСП card is audited (``card.read``); a refused read is audited with its real
        reason (``access.denied``) for administrators.
        """
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._reader(uow, actor, now)
            card = self._visible(uow, me, card_id, now)
            self._audit_read(uow, me, now, "card.read", card)
            return card

    def query(self, actor: ActorRef, query: CardQuery) -> CardPage:
        """Search cards; only cards ``actor`` may see are ever returned (ДСП ones audited).

        ``query.number`` is a number as a person types it: it finds the card whose number it
        is under the journal's rule (spaces, Latin look-alikes, letter case), as registration
        compares numbers.
        """
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._reader(uow, actor, now)
            scope = me.scope()
            if query.number is None:
                page = uow.cards.query(query, scope)
            else:
                forms = number_forms(uow, query, scope)
                page = search_by_number_forms(uow, query, scope, forms)
            for card in page.items:
                self._audit_read(uow, me, now, "card.listed", card, commit=False)
            uow.commit()
            return page

    def query_all(self, actor: ActorRef, query: CardQuery) -> Iterator[RegistrationCard]:
        """Every card ``query`` finds that ``actor`` may see, page after page (``query.limit``
        cards a page, each page read in its own unit of work), in (registration time, id) order.

        For listings that must be whole, such as a printed journal; :meth:`query` returns one
        page and says where the next one starts.
        """
        while True:
            page = self.query(actor, query)
            yield from page.items
            if page.next_cursor is None:
                return
            query = attrs.evolve(query, after=page.next_cursor)

    def history(self, actor: ActorRef, card_id: str) -> Sequence[AuditEvent]:
        """The card's audit events, oldest first."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._reader(uow, actor, now)
            card = self._visible(uow, me, card_id, now)
            events = [event for _, event in uow.audit.events(card_id, limit=100_000)]
            self._audit_read(uow, me, now, "card.history_read", card)
            return events

    def read_file(self, actor: ActorRef, card_id: str, name: str) -> bytes:
        """The content of the card's file ``name``, verified against its sha256."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._reader(uow, actor, now)
            card = self._visible(uow, me, card_id, now)
            for ref in card.details.files:
                if ref.name == name:
                    content = uow.blobs.get(ref.sha256)
                    self._audit_read(uow, me, now, "file.read", card, note=name)
                    return content
            raise NotFound("file", name)

    # --- registration --------------------------------------------------------------------------

    def register(self, actor: ActorRef, request: RegistrationRequest) -> RegistrationCard:
        """Register a document: allocate its number in the journal and store its card."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            card = self.register_in(uow, actor, request, now)
            uow.commit()
            return card

    def register_in(
        self,
        uow: UnitOfWork,
        actor: ActorRef,
        request: RegistrationRequest,
        now: pendulum.DateTime,
        *,
        permission: Permission | None = Permission.REGISTER,
    ) -> RegistrationCard:
        """Register inside a unit of work the caller opened and will commit (or roll back).

        For use cases of other capabilities that register a card together with their own change
        (a signed draft becoming an outgoing letter): either both are stored or neither, and a
        rolled-back registration leaves no gap in the journal. ``permission`` is what the actor
        needs for the journal's department (``register``); None only where the calling use case
        has checked its own permission for this card (a draft's РКПД is numbered under
        ``prepare_draft`` for the draft's department). The journal must still be the actor's.
        """
        actor = self._actor(uow, actor, now)
        organisation = actor.organisation
        journal = uow.journals.get(request.journal_id)
        if permission is not None:
            actor.require(permission, journal.department_id)
        today = self._today(now, organisation.timezone)
        day = request.registration_date or today
        if day > today:
            raise ValidationError("registration_date", "must not be in the future")
        details = self.check_details(uow, actor, organisation, request.details, day.year)
        self._check_journal(actor, journal, details)
        card_id = request.card_id or new_id()

        def add(registration: Registration) -> RegistrationCard:
            card = RegistrationCard(
                id=card_id,
                organisation_id=organisation.id,
                registration=registration,
                details=details,
                registered_at=now,
                registered_by=actor.id,
            )
            try:
                uow.cards.add(card)
            except ConflictError:
                # The same answer whether or not the actor may see the card holding the id.
                raise IdInUse("card", card_id) from None
            return card

        card = self._numbered(
            uow, organisation, journal, details, day, request.manual_number, add,
            request.template_values,
        )  # fmt: skip
        self._audit(
            uow, actor, now, "card.registered", "card", card.id, {}, _details_primitive(card)
        )
        return card

    def reregister(
        self,
        actor: ActorRef,
        card_id: str,
        expected_version: int,
        journal_id: str,
        *,
        manual_number: str | None = None,
        reason: str = "",
    ) -> RegistrationCard:
        """Register the card anew (another journal or number); the old one stays in history."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            card = self._modifiable(uow, me, card_id, now, Permission.REGISTER)
            organisation = uow.directory.organisation(card.organisation_id)
            journal = uow.journals.get(journal_id)
            self._check_journal(me, journal, card.details)
            day = self._today(now, organisation.timezone)

            def store(registration: Registration) -> RegistrationCard:
                changed = attrs.evolve(card, registration=registration)
                return self._store(
                    uow, me, now, "card.reregistered", card, changed, expected_version, reason
                )

            return self._numbered(
                uow, organisation, journal, card.details, day, manual_number, store
            )

    # --- changes -------------------------------------------------------------------------------

    def update(
        self, actor: ActorRef, card_id: str, expected_version: int, changes: Mapping[str, Any]
    ) -> RegistrationCard:
        """Change descriptive fields (see :data:`EDITABLE_FIELDS`) with a version check."""
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValidationError(sorted(unknown)[0], "cannot be changed with update()")

        def change(uow: UnitOfWork, me: Actor, card: RegistrationCard) -> CardDetails:
            return attrs.evolve(card.details, **changes)

        return self._change_details(actor, card_id, expected_version, "card.updated", change)

    def link(
        self,
        actor: ActorRef,
        card_id: str,
        expected_version: int,
        target_id: str,
        link_type: LinkType,
        note: str = "",
    ) -> RegistrationCard:
        """Link the card to another card the actor can see."""

        def change(uow: UnitOfWork, me: Actor, card: RegistrationCard) -> CardDetails:
            self._visible(uow, me, target_id, self._now())
            links = (*card.details.links, CardLink(target_id, link_type, note))
            return attrs.evolve(card.details, links=links)

        return self._change_details(actor, card_id, expected_version, "card.linked", change)

    def unlink(
        self,
        actor: ActorRef,
        card_id: str,
        expected_version: int,
        target_id: str,
        link_type: LinkType,
    ) -> RegistrationCard:
        """Remove a link."""

        def change(uow: UnitOfWork, me: Actor, card: RegistrationCard) -> CardDetails:
            links = tuple(
                link
                for link in card.details.links
                if (link.target_id, link.link_type) != (target_id, link_type)
            )
            if len(links) == len(card.details.links):
                raise NotFound("link", (target_id, link_type.value))
            return attrs.evolve(card.details, links=links)

        return self._change_details(actor, card_id, expected_version, "card.unlinked", change)

    def share(
        self, actor: ActorRef, card_id: str, expected_version: int, organisation_ids: Iterable[str]
    ) -> RegistrationCard:
        """Deliver the card to other organisations of the installation (рассылка): their users
        see it from now on, ДСП clearance still applying. Needs ``change_access``."""

        def change(uow: UnitOfWork, me: Actor, card: RegistrationCard) -> CardDetails:
            shared = card.details.shared_with | frozenset(organisation_ids)
            return attrs.evolve(card.details, shared_with=shared)

        return self._change_details(actor, card_id, expected_version, "card.shared", change)

    def file_to_case(
        self, actor: ActorRef, card_id: str, expected_version: int, case_id: str
    ) -> RegistrationCard:
        """File the card to a case (в дело) of its organisation's nomenclature for its year."""

        def change(uow: UnitOfWork, me: Actor, card: RegistrationCard) -> CardDetails:
            return attrs.evolve(card.details, case_id=case_id, case_index=None)

        return self._change_details(actor, card_id, expected_version, "card.filed", change)

    def attach_file(
        self,
        actor: ActorRef,
        card_id: str,
        expected_version: int,
        name: str,
        content: bytes,
        media_type: str = "application/octet-stream",
        text: str = "",
    ) -> RegistrationCard:
        """Store ``content`` in the blob store and add it to the card's files.

        ``text`` is the file's recognised text (OCR), which card search then finds.
        """

        def change(uow: UnitOfWork, me: Actor, card: RegistrationCard) -> CardDetails:
            sha256 = uow.blobs.put(content)
            ref = FileRef(
                name=name, size=len(content), sha256=sha256, media_type=media_type, text=text
            )
            return attrs.evolve(card.details, files=(*card.details.files, ref))

        return self._change_details(actor, card_id, expected_version, "card.file_attached", change)

    def _change_details(
        self,
        actor: ActorRef,
        card_id: str,
        expected_version: int,
        action: str,
        change: Callable[[UnitOfWork, Actor, RegistrationCard], CardDetails],
    ) -> RegistrationCard:
        """The one way a card's details change: in one unit of work, by an actor with
        ``edit_card`` on a card of their organisation they may see; a change of access also
        needs ``change_access`` (and clearance where ДСП is concerned); the new details are
        checked against storage and policy; the change is stored with its audit event."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            card = self._modifiable(uow, me, card_id, now, Permission.EDIT_CARD)
            details = change(uow, me, card)
            self._check_access_change(uow, me, card, details)
            organisation = uow.directory.organisation(card.organisation_id)
            year = card.registration.date.year
            details = self.check_details(uow, me, organisation, details, year)
            changed = attrs.evolve(card, details=details)
            return self._store(uow, me, now, action, card, changed, expected_version)

    def delete(
        self, actor: ActorRef, card_id: str, expected_version: int, reason: str
    ) -> RegistrationCard:
        """Move the card to the deleted state (nothing is erased); ``reason`` is required."""
        if not reason.strip():
            raise ValidationError("reason", "a deletion needs a reason")
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            card = self._modifiable(uow, me, card_id, now, Permission.DELETE_CARD)
            changed = attrs.evolve(card, status=CardStatus.DELETED)
            return self._store(
                uow, me, now, "card.deleted", card, changed, expected_version, reason
            )

    def restore(
        self, actor: ActorRef, card_id: str, expected_version: int, reason: str
    ) -> RegistrationCard:
        """Bring a deleted card back to the registered state."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            card = self._visible(uow, me, card_id, now)
            self._same_organisation(me, card)
            me.require(Permission.DELETE_CARD, card.details.department_id)
            if card.status is not CardStatus.DELETED:
                raise StateError(f"card {card_id!r} is {card.status.value}, not deleted")
            changed = attrs.evolve(card, status=CardStatus.REGISTERED)
            return self._store(
                uow, me, now, "card.restored", card, changed, expected_version, reason
            )

    # --- internals -----------------------------------------------------------------------------

    def _store(
        self,
        uow: UnitOfWork,
        actor: Actor,
        now: pendulum.DateTime,
        action: str,
        before: RegistrationCard,
        after: RegistrationCard,
        expected_version: int,
        note: str = "",
    ) -> RegistrationCard:
        stored = uow.cards.update(after, expected_version)
        self._audit(
            uow,
            actor,
            now,
            action,
            "card",
            before.id,
            _details_primitive(before),
            _details_primitive(stored),
            note,
        )
        uow.commit()
        return stored

    def _reader(self, uow: UnitOfWork, actor: ActorRef, now: pendulum.DateTime) -> Actor:
        me = self._actor(uow, actor, now)
        me.require_somewhere(Permission.READ)
        return me

    @staticmethod
    def _visible(
        uow: UnitOfWork, actor: Actor, card_id: str, now: pendulum.DateTime
    ) -> RegistrationCard:
        """The card if ``actor`` may see it; otherwise :class:`NotFound`, as for a missing card
        (see :func:`edmscore.records._steps.visible_card`)."""
        return steps.visible_card(uow, actor, card_id, now)

    @staticmethod
    def _audit_read(
        uow: UnitOfWork,
        actor: Actor,
        now: pendulum.DateTime,
        action: str,
        card: RegistrationCard,
        *,
        note: str = "",
        commit: bool = True,
    ) -> None:
        """Audit a read of a ДСП card (open cards' reads are not recorded)."""
        steps.audit_read(uow, actor, now, action, card, note)
        if commit and card.details.access is AccessMark.DSP:
            uow.commit()

    @staticmethod
    def _same_organisation(actor: Actor, card: RegistrationCard) -> None:
        actor.require_own(card.organisation_id, "a card")

    def _modifiable(
        self,
        uow: UnitOfWork,
        actor: Actor,
        card_id: str,
        now: pendulum.DateTime,
        permission: Permission,
    ) -> RegistrationCard:
        card = self._visible(uow, actor, card_id, now)
        self._same_organisation(actor, card)
        actor.require(permission, card.details.department_id)
        if card.status is CardStatus.DELETED:
            raise StateError(f"card {card_id!r} is deleted; restore it first")
        return card

    @staticmethod
    def _check_access_change(
        uow: UnitOfWork, actor: Actor, card: RegistrationCard, details: CardDetails
    ) -> None:
        """A change of the access mark, list or sharing needs the ``change_access`` permission;
        one touching a ДСП card (the mark changed in either direction, or the list or sharing
        of a ДСП card) also needs ДСП clearance; a journal's mark binds its cards."""
        old = card.details
        if (old.access, old.access_list, old.shared_with) == (
            details.access,
            details.access_list,
            details.shared_with,
        ):
            return
        actor.require(Permission.CHANGE_ACCESS, old.department_id)
        restricted = AccessMark.DSP in (old.access, details.access)
        if restricted and actor.clearance is not Clearance.DSP:
            raise AccessDenied(f"user {actor.login!r} has no clearance to change access")
        journal = uow.journals.get(card.registration.journal_id)
        if journal.access is not None and details.access is not journal.access:
            raise ValidationError(
                "access", f"journal {journal.code!r} takes only {journal.access.value} documents"
            )

    @staticmethod
    def _check_journal(actor: Actor, journal: Journal, details: CardDetails) -> None:
        if journal.organisation_id != actor.organisation_id:
            raise AccessDenied(f"journal {journal.code!r} belongs to another organisation")
        if details.kind not in journal.kinds:
            raise ValidationError(
                "kind", f"journal {journal.code!r} does not register {details.kind.value} documents"
            )
        if journal.access is not None and details.access is not journal.access:
            raise ValidationError(
                "access", f"journal {journal.code!r} takes only {journal.access.value} documents"
            )

    def check_details(
        self,
        uow: UnitOfWork,
        actor: Actor,
        organisation: Organisation,
        details: CardDetails,
        year: int,
    ) -> CardDetails:
        """Check details against storage and policy; fill the case index from the case.

        References (executor, department, access list, files, links, case) must exist; a ДСП
        card needs the actor's clearance and, on the paper policy, no files; a case must belong
        to the organisation's nomenclature of ``year`` and be open.
        """
        if details.access is AccessMark.DSP:
            if actor.clearance is not Clearance.DSP:
                raise AccessDenied(f"user {actor.login!r} has no clearance for ДСП documents")
            if details.files and not organisation.dsp_electronic:
                raise ValidationError(
                    "files",
                    "the organisation keeps ДСП documents on paper: no electronic image attached",
                )
        for user_id in details.access_list:
            uow.directory.user(user_id)
        for organisation_id in details.shared_with:
            uow.directory.organisation(organisation_id)
        if details.executor_id is not None:
            uow.directory.official(details.executor_id)
        if details.department_id is not None:
            department = uow.directory.department(details.department_id)
            if department.organisation_id != organisation.id:
                raise ValidationError("department_id", "a department of another organisation")
        for ref in details.files:
            if not uow.blobs.exists(ref.sha256):
                raise ValidationError("files", f"no stored content for {ref.name!r}")
        for link in details.links:
            uow.cards.get(link.target_id)
        if details.case_id is None:
            return details
        nomenclature, case = uow.nomenclatures.find_case(details.case_id)
        if nomenclature.organisation_id != organisation.id:
            raise ValidationError("case_id", "a case of another organisation's nomenclature")
        if nomenclature.year != year and case.carried_over_to is None:
            raise ValidationError(
                "case_id",
                f"case {case.index} is in the {nomenclature.year} nomenclature, not {year}",
            )
        if case.is_closed:
            raise ValidationError("case_id", f"case {case.index} is closed")
        return attrs.evolve(details, case_index=case.index)

    def _numbered(
        self,
        uow: UnitOfWork,
        organisation: Organisation,
        journal: Journal,
        details: CardDetails,
        day: pendulum.Date,
        manual_number: str | None,
        store: Callable[[Registration], RegistrationCard],
        template_values: Mapping[str, str] | None = None,
    ) -> RegistrationCard:
        """Give the card a registration in ``journal`` and store it with ``store``.

        A number typed by hand is stored as the journal's rule normalises it
        (:meth:`Journal.normalise_number`; DuplicateNumber when taken). Otherwise the
        journal's counter gives the next value; when a number typed by hand earlier equals the
        one the counter renders, that value of the counter is already used (by the manual card):
        the store refuses it with DuplicateNumber and the counter moves on. The unique key of
        the storage decides, in the same statement that stores the card (no look-up first).
        """
        period = journal.period_of(day)
        if manual_number is not None:
            number = journal.normalise_number(manual_number)
            return store(Registration(journal.id, number, day, period, None))
        values = self._template_values(uow, organisation, journal, details, day)
        values.update(template_values or {})
        counter = journal.counter_key(period, values)
        for _ in range(_MAX_SKIPS):
            seq = uow.numbers.next(counter)
            number = journal.template.render({**values, "seq": seq})
            try:
                return store(Registration(journal.id, number, day, period, seq))
            except DuplicateNumber:
                continue
        raise StateError(f"journal {journal.code!r}: no free number after {_MAX_SKIPS} tries")

    @staticmethod
    def _template_values(
        uow: UnitOfWork,
        organisation: Organisation,
        journal: Journal,
        details: CardDetails,
        day: pendulum.Date,
    ) -> dict[str, str | int | None]:
        dept: str | None = None
        if details.department_id is not None:
            dept = uow.directory.department(details.department_id).code
        letter: str | None = None
        if details.applicants:
            letter = details.applicants[0].name.surname.strip()[:1].upper() or None
        return {
            "year": day.year,
            "yy": f"{day.year % 100:02d}",
            "y": str(day.year % 10),
            "case_index": details.case_index,
            "dept": dept,
            "letter": letter,
            "org": organisation.code or None,
            "journal": journal.code,
        }
