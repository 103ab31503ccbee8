"""Backup, restore and bulk import: nothing lost when moving house.

- :func:`write_bundle` writes a bundle of the whole installation, or of one organisation and
  period, or of what changed since an earlier bundle: every record kind as versioned JSON Lines,
  the files as a content-addressed tree, a manifest of counts and SHA-256 hashes, itself hashed.
- :func:`verify_bundle` checks a bundle without restoring it.
- :func:`restore_bundles` restores into any adapter offering :class:`~.ports.BulkUnitOfWork`,
  all or nothing, and proves before committing that the store reads back as the bundle.
- :func:`import_registry` brings in a legacy registry (cards with their original numbers and
  dates) through the adapters' bulk path, every bad row reported.
- :func:`reconcile` compares a source with a target: counts per journal and year, gaps and
  duplicates in numbers, file hashes.

Hosts call these through :attr:`edmscore.Edms.backups` (:class:`BackupService`), which checks
the actor's permission (``backup``, ``restore``, ``import_records``).
"""

from __future__ import annotations

from edmscore.backup._bundle import Progress
from edmscore.backup._import import ImportReport, import_registry
from edmscore.backup._kinds import RECORD_KINDS, RecordKind
from edmscore.backup._manifest import FileSummary, KindSummary, Manifest, read_manifest
from edmscore.backup._reconcile import JournalYear, Reconciliation, reconcile
from edmscore.backup._restore import RestoreReport, restore_bundles
from edmscore.backup._verify import VerifyReport, read_records, verify_bundle
from edmscore.backup._write import write_bundle
from edmscore.backup.service import BackupService

__all__ = [
    "RECORD_KINDS",
    "BackupService",
    "FileSummary",
    "ImportReport",
    "JournalYear",
    "KindSummary",
    "Manifest",
    "Progress",
    "Reconciliation",
    "RecordKind",
    "RestoreReport",
    "VerifyReport",
    "import_registry",
    "read_manifest",
    "read_records",
    "reconcile",
    "restore_bundles",
    "verify_bundle",
    "write_bundle",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
