"""Permissions: what an operation needs; roles grant them (see :mod:`edmscore.access._roles`)."""

from __future__ import annotations

import enum

__all__ = ["Permission"]


class Permission(enum.Enum):
    """One kind of operation a role may allow. Every use case checks the one it needs."""

    #: Read cards, their files and history (within what the access scope lets through).
    READ = "read"
    #: Register documents in the organisation's (or the department's) journals.
    REGISTER = "register"
    #: Change a card's descriptive fields, links, files and case.
    EDIT_CARD = "edit_card"
    #: Change a card's access mark (ДСП ↔ open) or its access list; also needs ДСП clearance.
    CHANGE_ACCESS = "change_access"
    #: Delete a card (moving it to the deleted state) and restore it.
    DELETE_CARD = "delete_card"
    #: Create registration journals.
    MANAGE_JOURNALS = "manage_journals"
    #: Keep the nomenclature of cases: add, copy to the next year, close cases.
    MANAGE_NOMENCLATURE = "manage_nomenclature"
    #: Impose resolutions and give assignments.
    IMPOSE_RESOLUTION = "impose_resolution"
    #: Prepare draft resolutions for a head.
    DRAFT_RESOLUTION = "draft_resolution"
    #: Send documents for acquaintance (ознакомление) and list who is due a reminder.
    SEND_FOR_ACQUAINTANCE = "send_for_acquaintance"
    #: Report execution of one's own assignments.
    EXECUTE = "execute"
    #: Keep execution control: take off control, move deadlines, accept reports.
    CONTROL = "control"
    #: Prepare drafts (РКПД) and send them for approval.
    PREPARE_DRAFT = "prepare_draft"
    #: Put a visa on a draft on one's own approval step.
    APPROVE = "approve"
    #: Sign a draft.
    SIGN = "sign"
    #: Send and receive documents over MEDO.
    EXCHANGE = "exchange"
    #: Register and work citizens' appeals (59-FZ).
    HANDLE_APPEALS = "handle_appeals"
    #: Read reports and statistics of the organisation.
    READ_REPORTS = "read_reports"
    #: Read the records of supervised organisations (needs a supervision rule of the policy).
    SUPERVISE = "supervise"
    #: Keep the organisation's directory: departments, officials, users and their roles.
    ADMINISTER_USERS = "administer_users"
    #: Keep the installation: organisations, and administrators of every organisation.
    ADMINISTER_SYSTEM = "administer_system"
    #: Take backup bundles of the organisation (of the whole installation or any organisation
    #: together with ADMINISTER_SYSTEM).
    BACKUP = "backup"
    #: Restore backup bundles into the storage (needs ADMINISTER_SYSTEM too).
    RESTORE = "restore"
    #: Bulk import a legacy registry into the organisation's journals.
    IMPORT_RECORDS = "import_records"
    #: Read and acknowledge the organisation's domain events and run the scheduler's scan
    #: (a host's delivery worker).
    EVENTS = "events"
    #: Keep the organisation's archive: close cases, draw up inventories and destruction acts,
    #: place legal holds, and search and export the deleted cards (edmscore.archive).
    ARCHIVE = "archive"
