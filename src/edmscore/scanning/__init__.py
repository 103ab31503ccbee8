"""Streaming scanning: card barcodes, labels, separator sheets, batches split onto cards, OCR.

Every paper document gets a barcode label at registration (:func:`label_pdf`, or a mark on its
first page with :func:`code_stamp`); a batch of hundreds of pages goes through the scanner at
once; :func:`split_batch` reads the batch page by page (multi-page PDF or TIFF), splits it at
labels and separator sheets (:func:`separator_pdf`) and hands each part over as a file;
:class:`ScanningService` files the parts on the cards their codes name, as new files, with
access applied, and reports the parts without a card for a person. :func:`ocr_pdf` (the ``ocr``
extra: Tesseract) adds a text layer and returns the text, which card search then finds.
"""

from __future__ import annotations

from edmscore.scanning._batch import (
    BatchFormat,
    BatchReport,
    PartFile,
    ScanOptions,
    scan_batch,
    split_batch,
)
from edmscore.scanning._codes import (
    CodeKind,
    ReadCode,
    card_code,
    classify,
    parse_card_code,
    separator_code,
)
from edmscore.scanning._labels import Label, LabelLayout, code_stamp, label_pdf, separator_pdf
from edmscore.scanning._ocr import OcrResult, ocr_file, tesseract_languages
from edmscore.scanning._plan import PageScan, Part, PartProblem, Planner
from edmscore.scanning._service import FiledPart, FilingReport, ScanningService
from edmscore.scanning._symbols import Symbol, Symbology, encode

__all__ = [
    "BatchFormat",
    "BatchReport",
    "CodeKind",
    "FiledPart",
    "FilingReport",
    "Label",
    "LabelLayout",
    "OcrResult",
    "PageScan",
    "Part",
    "PartFile",
    "PartProblem",
    "Planner",
    "ReadCode",
    "ScanOptions",
    "ScanningService",
    "Symbol",
    "Symbology",
    "card_code",
    "classify",
    "code_stamp",
    "encode",
    "label_pdf",
    "ocr_file",
    "parse_card_code",
    "scan_batch",
    "separator_code",
    "separator_pdf",
    "split_batch",
    "tesseract_languages",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
