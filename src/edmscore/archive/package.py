"""Electronic transfer packages: one case's documents for the archive, as one ZIP.

The rules for keeping archival documents (приказ Росархива от 31.07.2023 № 77) want each archival
electronic document as its main file in PDF/A, its electronic signatures and a description file
with its registration data (метаданные). A package built by :func:`build_package` holds, for a
case (дело) of the nomenclature:

- ``documents/NNN/original.<ext>`` — each document as registered, the bytes its signatures sign;
- ``documents/NNN/archival.pdf`` — its PDF/A rendition (:func:`edmscore.archive.pdfa.to_pdfa`;
  a document already PDF/A is its own rendition and is stored once);
- ``documents/NNN/signature-K.p7s`` — its detached CMS signatures, with the long-term evidence
  they carry (CAdES-T, -X Long Type 1, -A: timestamps, certificates, revocation values), checked
  by :func:`edmscore.signatures.ltv.verify_ltv` when the package is built;
- ``metadata.xml`` — the description of the organisation, the case and every document and file
  (schema ``schema/transfer-package-1.xsd``, shipped in the package too);
- ``manifest-sha256.txt`` — the SHA-256 of every other file, one ``<hash>  <path>`` line each
  (the BagIt manifest format).

The ZIP is written as a stream: one document's bytes in memory at a time.
:func:`edmscore.archive.package_reader.read_package` opens and checks a package.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from typing import IO

import attrs
import pendulum

from edmscore.archive._case_file import CaseFile
from edmscore.archive._package_meta import (
    PACKAGE_NS,
    SCHEMA_NAME,
    CaseEntry,
    DocumentEntry,
    FileEntry,
    PackageMetadata,
    SignatureEntry,
    metadata_xml,
    parse_metadata,
    schema_bytes,
)
from edmscore.archive.pdfa import check_pdfa, to_pdfa
from edmscore.errors import TransferPackageError, ValidationError
from edmscore.registry.retention import format_retention

__all__ = [
    "MANIFEST",
    "METADATA",
    "PACKAGE_NS",
    "CaseEntry",
    "DocumentEntry",
    "FileEntry",
    "PackageDocument",
    "PackageMetadata",
    "SignatureEntry",
    "build_package",
    "case_entry",
    "metadata_xml",
    "parse_metadata",
    "schema_bytes",
]

METADATA = "metadata.xml"
MANIFEST = "manifest-sha256.txt"
_CHUNK = 1024 * 1024
_EXTENSIONS = {"application/pdf": "pdf"}


@attrs.frozen
class PackageDocument:
    """A document going into a package: its card's registration data, its file as registered
    (``content``, the bytes the ``signatures`` sign) and its detached CMS signatures."""

    card_id: str
    number: str
    date: pendulum.Date
    title: str
    content: bytes = attrs.field(repr=False)
    file_name: str = "document.pdf"
    kind: str = ""
    author: str = ""
    signatures: tuple[bytes, ...] = attrs.field(default=(), repr=False)
    media_type: str = "application/pdf"

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.content, bytes) or not self.content:
            raise ValidationError("content", "a document needs its file")
        if not isinstance(self.date, pendulum.Date):
            raise ValidationError("date", "must be a date")


def case_entry(
    case: CaseFile, *, inventory: str = "", inventory_number: str = "", transfer_act: str = ""
) -> CaseEntry:
    """The archival description of a case file for a package."""
    return CaseEntry(
        case.case_id,
        case.index,
        case.title,
        case.year,
        format_retention(case.retention),
        case.sheets,
        case.volume_count,
        case.start,
        case.end,
        inventory,
        inventory_number,
        transfer_act or (case.transfer_id or ""),
    )


class _Writer:
    """Entries written into the ZIP as streams, their hashes and sizes kept for the manifest."""

    def __init__(self, archive: zipfile.ZipFile, when: pendulum.DateTime) -> None:
        self.archive = archive
        self.when = when.in_tz("UTC")
        self.hashes: list[tuple[str, str]] = []

    def put(
        self, path: str, data: bytes, media_type: str, *, name: str = "", format: str = ""
    ) -> FileEntry:
        info = zipfile.ZipInfo(
            path,
            date_time=(
                max(self.when.year, 1980),
                self.when.month,
                self.when.day,
                self.when.hour,
                self.when.minute,
                0,
            ),
        )
        info.compress_type = zipfile.ZIP_DEFLATED
        digest = hashlib.sha256()
        with self.archive.open(info, "w", force_zip64=len(data) > 2**31) as out:
            for start in range(0, len(data), _CHUNK):
                chunk = data[start : start + _CHUNK]
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        self.hashes.append((sha, path))
        return FileEntry(path, sha, len(data), media_type, name, format)


def _signature(
    content: bytes,
    signature: bytes,
    file: FileEntry,
    signs: str,
    anchors: tuple[bytes, ...],
    at: pendulum.DateTime,
) -> SignatureEntry:
    from edmscore.signatures.ltv import verify_ltv

    report = verify_ltv(content, signature, trust_anchors=anchors, at=at)
    if not report.signers:
        raise TransferPackageError("a signature has no signer")
    first = report.signers[0]
    certificate = first.certificate
    status = report.status.value if anchors else "unchecked"
    return SignatureEntry(
        file,
        signs,
        certificate.subject if certificate is not None else "",
        certificate.serial if certificate is not None else "",
        first.level.value,
        status,
        first.signer.signing_time,
    )


def build_package(
    out: IO[bytes],
    *,
    package_id: str,
    organisation: str,
    organisation_id: str,
    case: CaseEntry,
    documents: Iterable[PackageDocument],
    created: pendulum.DateTime,
    fund: str = "",
    trust_anchors: Iterable[bytes] = (),
    pdfa_part: int = 2,
) -> PackageMetadata:
    """Write the package of ``case`` with ``documents`` into ``out`` (a writable binary file).

    Each document becomes PDF/A (a :class:`~edmscore.errors.PdfError` names one that cannot);
    each signature is read and, with ``trust_anchors``, checked as of ``created`` — its verdict
    goes into the metadata. Returns the metadata written.
    """
    if not isinstance(case, CaseEntry):
        raise ValidationError("case", "must be a CaseEntry")
    anchors = tuple(trust_anchors)
    entries: list[DocumentEntry] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        writer = _Writer(archive, created)
        for sequence, document in enumerate(documents, 1):
            if not isinstance(document, PackageDocument):
                raise ValidationError("documents", "must be PackageDocument values")
            folder = f"documents/{sequence:03d}"
            extension = _EXTENSIONS.get(document.media_type, "bin")
            archival = to_pdfa(document.content, part=pdfa_part)
            check = check_pdfa(archival)
            original = writer.put(
                f"{folder}/original.{extension}",
                document.content,
                document.media_type,
                name=document.file_name,
            )
            if archival is document.content:
                rendition = attrs.evolve(original, name="", format=check.label)
            else:
                rendition = writer.put(
                    f"{folder}/archival.pdf", archival, "application/pdf", format=check.label
                )
            signatures = []
            for k, signature in enumerate(document.signatures, 1):
                file = writer.put(
                    f"{folder}/signature-{k}.p7s", signature, "application/pkcs7-signature"
                )
                signatures.append(
                    _signature(document.content, signature, file, original.path, anchors, created)
                )
            entries.append(
                DocumentEntry(
                    sequence,
                    document.card_id,
                    document.number,
                    document.date,
                    document.kind,
                    document.title,
                    document.author,
                    check.pages,
                    original,
                    rendition,
                    tuple(signatures),
                )
            )
        metadata = PackageMetadata(
            package_id,
            created.in_tz("UTC"),
            organisation,
            organisation_id,
            case,
            tuple(entries),
            fund,
        )
        writer.put(f"schema/{SCHEMA_NAME}", schema_bytes(), "application/xml")
        writer.put(METADATA, metadata_xml(metadata), "application/xml")
        manifest = "".join(f"{sha}  {path}\n" for sha, path in writer.hashes)
        info = zipfile.ZipInfo(
            MANIFEST,
            date_time=(max(writer.when.year, 1980), writer.when.month, writer.when.day, 0, 0, 0),
        )
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, manifest.encode("ascii"))
    return metadata


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
