"""Electronic transfer packages: build and read a case of 50 documents, against the raw limit.

The documents are real PDF/A files of tests/corpus (a PDF/A-2b, a PDF/A-1b and a scanned PDF/A),
cycled to ``--documents`` documents, each with a detached CMS signature of the test PKI:

- **edmscore**: ``build_package`` (each document's PDF/A claim, output intent and fonts checked,
  each signature verified, metadata.xml and the manifest written into a streamed ZIP) then
  ``read_package`` (bounds, headers, schema, manifest, every hash, every rendition, every
  signature verified again);
- **raw limit**: ``zipfile`` writing the same files and their SHA-256 manifest, then reading them
  back and hashing them.

Prints both times and the ratio. A second line times the PDF/A conversion of ``--convert``
non-PDF/A documents by ``to_pdfa`` against Ghostscript's ``pdfwrite`` alone on the same files.
Run: ``python benchmarks/bench_transfer_package.py [--documents N] [--convert N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import pathlib
import shutil
import subprocess
import tempfile
import time
import zipfile

import pendulum

from edmscore.archive._package_meta import CaseEntry
from edmscore.archive.package import PackageDocument, build_package
from edmscore.archive.package_reader import read_package
from edmscore.archive.pdfa import to_pdfa
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import TestPki

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "tests" / "corpus"
PDFA = ("pdf/pdfa2-issue13242.pdf", "pdf/pdfa-crazyones.pdf", "scanning/jbig2.pdf")
PLAIN = ("pdf/google-docs-letter.pdf", "pdf/form-openoffice.pdf", "pdf/rotate90-issue16278.pdf")
NOW = pendulum.datetime(2026, 3, 2, 10, tz="UTC")


def _raw(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        lines = []
        for name, data in files:
            archive.writestr(name, data)
            lines.append(f"{hashlib.sha256(data).hexdigest()}  {name}\n")
        archive.writestr("manifest-sha256.txt", "".join(lines))
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        for info in archive.infolist():
            hashlib.sha256(archive.read(info)).hexdigest()
    return out.getvalue()


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--convert", type=int, default=3)
    args = parser.parse_args()
    pki = TestPki.create("ecdsa", not_before=NOW.subtract(years=2))
    signer = pki.issue(
        SubjectFields(surname="Иванова", given_name="Мария"),
        not_before=NOW.subtract(years=1),
        not_after=NOW.add(years=1),
    )
    sources = [(CORPUS / name).read_bytes() for name in PDFA]
    documents = []
    files: list[tuple[str, bytes]] = []
    for n in range(args.documents):
        data = sources[n % len(sources)]
        signature = pki.sign(data, signer, signing_time=NOW.subtract(days=1))
        documents.append(
            PackageDocument(
                f"c{n}",
                f"{n}",
                NOW.date(),
                f"Документ {n}",
                data,
                f"d{n}.pdf",
                "Письмо",
                "Министерство",
                (signature,),
            )
        )
        files += [
            (f"documents/{n:03d}/original.pdf", data),
            (f"documents/{n:03d}/signature-1.p7s", signature),
        ]
    case = CaseEntry("c", "01-01", "Приказы", 2024, "Постоянно", 100, 1)
    anchors = [pki.root.certificate]

    start = time.perf_counter()
    out = io.BytesIO()
    build_package(
        out,
        package_id="p",
        organisation="Министерство",
        organisation_id="o",
        case=case,
        documents=documents,
        created=NOW,
        trust_anchors=anchors,
    )
    report = read_package(io.BytesIO(out.getvalue()), trust_anchors=anchors, at=NOW)
    ours = time.perf_counter() - start
    assert report.ok and report.signatures_checked == args.documents, report.findings
    start = time.perf_counter()
    raw = _raw(files)
    limit = time.perf_counter() - start
    size = sum(len(d) for _, d in files)
    print(
        f"package build+read, {args.documents} documents ({size / 1e6:.1f} MB, signatures "
        f"verified twice): edmscore {ours:.2f} s; zip+sha256 alone {limit:.3f} s; "
        f"ratio {ours / limit:.1f}× (package {len(out.getvalue()) / 1e6:.2f} MB, "
        f"raw {len(raw) / 1e6:.2f} MB)"
    )

    gs = shutil.which("gs")
    if gs is None:
        print("PDF/A conversion: Ghostscript not installed — skipped")
        return
    plain = [(CORPUS / PLAIN[n % len(PLAIN)]).read_bytes() for n in range(args.convert)]
    start = time.perf_counter()
    for data in plain:
        to_pdfa(data)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        for n, data in enumerate(plain):
            source = pathlib.Path(work) / f"{n}.pdf"
            source.write_bytes(data)
            subprocess.run(
                [
                    gs,
                    "-q",
                    "-dSAFER",
                    "-dBATCH",
                    "-dNOPAUSE",
                    "-dPDFA=2",
                    "-dPDFACompatibilityPolicy=1",
                    "-sColorConversionStrategy=RGB",
                    "-sDEVICE=pdfwrite",
                    f"-sOutputFile={work}/{n}.out.pdf",
                    str(source),
                ],
                check=True,
                capture_output=True,
            )
    alone = time.perf_counter() - start
    print(
        f"PDF/A conversion of {args.convert} documents: to_pdfa {ours:.2f} s; Ghostscript "
        f"alone {alone:.2f} s; ratio {ours / alone:.2f}×"
    )


if __name__ == "__main__":
    main()
