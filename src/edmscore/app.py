"""The one entry point for hosts: :class:`Edms` wires storage, calendar, clock, signature checks
and the access policy once, and exposes every capability's use cases.

>>> edms = Edms()                                   # in-memory storage, federal calendar
>>> admin = edms.setup(organisation, administrator)  # first run only
>>> edms.records.register(Principal(admin.id), request)

Each capability's service is built once, on the same storage, clock and policy:
``records`` (cards), ``admin`` (set-up, directory, journals, nomenclature), ``control``
(resolutions and assignments), ``approval`` (drafts, visas, signing), ``appeals`` (citizens'
appeals), ``exchange`` (MEDO) and ``backups`` (backup, restore, legacy import). Building
services by hand stays possible (tests do it), but this is the documented way in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, cast

from edmscore.access import AccessPolicy
from edmscore.appeals import AppealsService, AppealTerms, TopicClassifier
from edmscore.appeals.ports import AppealsUnitOfWork
from edmscore.approval import ApprovalService, CmsSignatureVerifier, SignatureVerifier
from edmscore.approval.ports import ApprovalUnitOfWork
from edmscore.calendar import ProductionCalendar, russian_calendar
from edmscore.clock import Clock, SystemClock
from edmscore.control import ControlService
from edmscore.control.ports import ControlUnitOfWork
from edmscore.directory import Organisation, User
from edmscore.events import DeputyLookup, EventingStorage, EventMapper, EventsService
from edmscore.events import substitution_deputies as _substitution_deputies
from edmscore.exchange.dispatch.ports import DispatchUnitOfWork
from edmscore.exchange.service import ExchangeService
from edmscore.records import AdminService, CardSignatures, RecordsService
from edmscore.scanning import ScanningService

if TYPE_CHECKING:
    from edmscore.archive import ArchiveService
    from edmscore.archive.deleted_export import DeletedCardsExport
    from edmscore.archive.transfer import TransferService
    from edmscore.backup import BackupService
    from edmscore.exchange.medo import DetachedVerifier
    from edmscore.signatures import Certificate

__all__ = ["Edms", "InstallationStorage", "InstallationUnitOfWork"]


class InstallationUnitOfWork(
    ControlUnitOfWork, ApprovalUnitOfWork, AppealsUnitOfWork, DispatchUnitOfWork, Protocol
):
    """A unit of work over every capability's repositories (what the shipped adapters give)."""


class InstallationStorage(Protocol):
    """A storage for a whole installation: ``MemoryStorage`` and ``SqlStorage`` are ones."""

    def unit_of_work(self) -> InstallationUnitOfWork:
        """Open a unit of work over every repository."""
        ...


class Edms:
    """An installation of edmscore: one storage, one calendar, one clock, one access policy.

    ``storage`` defaults to a new :class:`~edmscore.storage.MemoryStorage` (the embedded default;
    pass :class:`~edmscore.storage.sql.SqlStorage` for SQLite or PostgreSQL). ``calendar``
    defaults to the federal production calendar (years without a decree counted on the Labour
    Code, their deadlines provisional); ``clock`` to the system clock. ``policy`` defaults to
    :meth:`AccessPolicy.strict`: a user may do only what the roles the directory gives them
    allow. Signatures on drafts are checked by
    ``signature_verifier`` or, when it is not given, by a CMS verifier trusting
    ``trust_anchors`` (root certificates, DER or PEM). ``medo_verifier`` checks signatures of
    incoming MEDO letters (none: they are reported unchecked).

    With ``events`` (the default) every use case's commit also writes its domain events to the
    storage's outbox, in the same transaction (:mod:`edmscore.events`, read through
    :attr:`events`); ``deputies`` finds who acts for an absent official (default: the stored
    substitutions).
    """

    def __init__(
        self,
        storage: InstallationStorage | None = None,
        *,
        calendar: ProductionCalendar | None = None,
        clock: Clock | None = None,
        policy: AccessPolicy | None = None,
        signature_verifier: SignatureVerifier | None = None,
        trust_anchors: Iterable[bytes | Certificate] = (),
        medo_verifier: DetachedVerifier | None = None,
        appeal_terms: AppealTerms | None = None,
        topic_classifier: TopicClassifier | None = None,
        events: bool = True,
        deputies: DeputyLookup | None = _substitution_deputies,
    ) -> None:
        if storage is None:
            from edmscore.storage import MemoryStorage

            storage = MemoryStorage()
        self.storage = storage
        #: What the use cases run on: the storage, writing each commit's events to its outbox
        #: (``events=False``: the storage itself, no events).
        self._deputies = deputies
        self._storage: Any = EventingStorage(storage, EventMapper(deputies)) if events else storage
        self.calendar = (
            calendar if calendar is not None else russian_calendar(include_provisional=True)
        )
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.policy = policy if policy is not None else AccessPolicy.strict()
        verifier = signature_verifier
        if verifier is None:
            verifier = CmsSignatureVerifier(trust_anchors)
        clock_, policy_ = self.clock, self.policy
        storage = self._storage
        #: Registration cards: register, read, search, change, link, file, delete.
        self.records = RecordsService(storage, clock_, policy=policy_)
        #: Signature details and check results on cards (items 18–19 of the card).
        self.signatures = CardSignatures(storage, clock_, policy=policy_)
        #: First-run set-up, the directory, journals and the nomenclature.
        self.admin = AdminService(storage, clock_, policy=policy_)
        #: Resolutions, assignments, execution control, the discipline report.
        self.control = ControlService(storage, clock_, self.calendar, policy=policy_)
        #: Drafts, approval routes, visas, signing and registration of the signed draft.
        self.approval = ApprovalService(storage, self.calendar, verifier, clock_, policy=policy_)
        #: Citizens' appeals under 59-FZ and the SSTU export.
        self.appeals = AppealsService(
            storage,
            self.calendar,
            clock_,
            terms=appeal_terms,
            classifier=topic_classifier,
            policy=policy_,
        )
        #: MEDO exchange: receiving, sending, notifications and delivery control.
        self.exchange = ExchangeService(
            storage, verifier=medo_verifier, clock=clock_, calendar=self.calendar, policy=policy_
        )
        #: Scanning: card barcodes, batches split and filed on cards, OCR into search.
        self.scanning = ScanningService(self.records)

    @functools.cached_property
    def events(self) -> EventsService:
        """Domain events for hosts (:mod:`edmscore.events`): subscribe, read, acknowledge, and
        the periodic scan for deadlines, MEDO receipts and appeal terms."""
        return EventsService(
            self.storage, self.calendar, self.clock, deputies=self._deputies, policy=self.policy
        )

    @functools.cached_property
    def backups(self) -> BackupService:
        """Backup bundles, their verification, restore, legacy imports and reconciliation
        (:mod:`edmscore.backup`); the storage must offer the bulk port
        (:class:`edmscore.backup.ports.BulkUnitOfWork`), as the shipped adapters do."""
        from edmscore.backup import BackupService

        return BackupService(cast("Any", self.storage), self.clock, policy=self.policy)

    @functools.cached_property
    def archive(self) -> ArchiveService:
        """The archive: closing the year, inventories, destruction acts, legal holds and the
        deleted cards (:mod:`edmscore.archive`); the shipped adapters keep it."""
        from edmscore.archive import ArchiveService

        return ArchiveService(cast("Any", self.storage), self.clock, policy=self.policy)

    @functools.cached_property
    def transfers(self) -> TransferService:
        """Transfer of closed cases to the organisation's and the state archive, with the
        acceptance acts (:mod:`edmscore.archive.transfer`); the shipped adapters keep them."""
        from edmscore.archive.transfer import TransferService

        return TransferService(cast("Any", self.storage), self.clock, policy=self.policy)

    @functools.cached_property
    def deleted_cards(self) -> DeletedCardsExport:
        """The cards deleted from registration, exported with their history for archivists
        (:mod:`edmscore.archive.deleted_export`): JSON Lines or XLSX, audited."""
        from edmscore.archive.deleted_export import DeletedCardsExport

        return DeletedCardsExport(self.storage, self.clock, policy=self.policy)

    def is_set_up(self) -> bool:
        """Whether the installation has its first organisation (see :meth:`setup`)."""
        with self.storage.unit_of_work() as uow:
            return bool(uow.directory.organisations())

    def setup(self, organisation: Organisation, administrator: User) -> User:
        """First run: store the first organisation and its administrator (system and
        organisation administrator roles); refused once the installation has an organisation."""
        return self.admin.bootstrap(organisation, administrator)
