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
from edmscore.exchange.dispatch.ports import DispatchUnitOfWork
from edmscore.exchange.service import ExchangeService
from edmscore.records import AdminService, CardSignatures, RecordsService
from edmscore.scanning import ScanningService

if TYPE_CHECKING:
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
    ) -> None:
        if storage is None:
            from edmscore.storage import MemoryStorage

            storage = MemoryStorage()
        self.storage = storage
        self.calendar = (
            calendar if calendar is not None else russian_calendar(include_provisional=True)
        )
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.policy = policy if policy is not None else AccessPolicy.strict()
        verifier = signature_verifier
        if verifier is None:
            verifier = CmsSignatureVerifier(trust_anchors)
        clock_, policy_ = self.clock, self.policy
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
    def backups(self) -> BackupService:
        """Backup bundles, their verification, restore, legacy imports and reconciliation
        (:mod:`edmscore.backup`); the storage must offer the bulk port
        (:class:`edmscore.backup.ports.BulkUnitOfWork`), as the shipped adapters do."""
        from edmscore.backup import BackupService

        return BackupService(cast("Any", self.storage), self.clock, policy=self.policy)

    def is_set_up(self) -> bool:
        """Whether the installation has its first organisation (see :meth:`setup`)."""
        with self.storage.unit_of_work() as uow:
            return bool(uow.directory.organisations())

    def setup(self, organisation: Organisation, administrator: User) -> User:
        """First run: store the first organisation and its administrator (system and
        organisation administrator roles); refused once the installation has an organisation."""
        return self.admin.bootstrap(organisation, administrator)
