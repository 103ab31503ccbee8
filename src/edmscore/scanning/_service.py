"""Filing scanned batches on cards: find a card by its barcode, split a batch, attach its parts.

Every step goes through :class:`~edmscore.records.RecordsService` with the acting user: a card
is found by its code only if the actor may see it, and a part is attached (a new file of the
card, its sha256 and size kept by the blob store) only if the actor may change the card. A part
whose card is missing or out of the actor's reach is reported, not filed; so is a part without
a card. Nothing is guessed.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import attrs

from edmscore.access import ActorRef
from edmscore.errors import AccessDenied, ConflictError, NotFound
from edmscore.records import RecordsService
from edmscore.registry import RegistrationCard
from edmscore.scanning._batch import BatchReport, PartFile, ScanOptions, split_batch
from edmscore.scanning._codes import parse_card_code
from edmscore.scanning._labels import Label
from edmscore.scanning._ocr import OcrResult, ocr_file
from edmscore.scanning._plan import Part

__all__ = ["FiledPart", "FilingReport", "ScanningService"]

#: OCR as the service calls it: (content, media type) → result; :func:`ocr_file` by default.
Recogniser = Callable[[bytes, str], OcrResult]


@attrs.frozen
class FiledPart:
    """A part filed on its card: the file name it got, its sha256, size and page count."""

    part: Part
    card_id: str
    name: str
    sha256: str
    size: int
    pages: int
    recognised: bool


@attrs.frozen
class FilingReport:
    """What became of a batch: the parts filed, the parts not filed and why, the batch itself.

    ``not_filed`` pairs each part left for a person with a reason: the part's problem
    (``no-code``, ``ambiguous``, ``damaged``) or ``card-not-found`` / ``access-denied``.
    """

    batch: BatchReport
    filed: tuple[FiledPart, ...]
    not_filed: tuple[tuple[Part, str], ...]


def _free_name(card: RegistrationCard, wanted: str) -> str:
    taken = {f.name for f in card.details.files}
    if wanted not in taken:
        return wanted
    stem, dot, suffix = wanted.rpartition(".")
    n = 2
    while f"{stem}-{n}{dot}{suffix}" in taken:
        n += 1
    return f"{stem}-{n}{dot}{suffix}"


class ScanningService:
    """The scanning use cases over the records service (``Edms.scanning``)."""

    def __init__(self, records: RecordsService) -> None:
        self.records = records

    def find_card(self, actor: ActorRef, code: str) -> RegistrationCard:
        """The card a barcode's text names, if ``actor`` may see it (NotFound, AccessDenied)."""
        return self.records.get(actor, parse_card_code(code))

    def label(self, actor: ActorRef, card_id: str) -> Label:
        """The label of a card ``actor`` may see."""
        return Label.of(self.records.get(actor, card_id))

    def file_batch(
        self,
        actor: ActorRef,
        path: str | os.PathLike[str],
        *,
        options: ScanOptions | None = None,
        ocr: bool | Recogniser = False,
        prefix: str = "scan",
        left_over: Callable[[Part, bytes, PartFile], None] | None = None,
    ) -> FilingReport:
        """Split the batch at ``path`` and attach each part to the card its codes name.

        A part becomes a new file of its card named ``<prefix>-<part number>.pdf`` (``.tif``
        for a TIFF batch; ``-2``… added when the name is taken). With ``ocr`` (True for
        :func:`ocr_file`, or a function of your own) each part gets a text layer and its text
        goes to card search. Parts not filed go to ``left_over`` (to save them for a person)
        and are listed in the report with the reason.
        """
        recognise: Recogniser | None = ocr_file if ocr is True else (ocr or None)
        filed: list[FiledPart] = []
        not_filed: list[tuple[Part, str]] = []

        def sink(part: Part, content: bytes, file: PartFile) -> None:
            if part.card_id is None:
                assert part.problem is not None
                not_filed.append((part, part.problem.value))
                if left_over is not None:
                    left_over(part, content, file)
                return
            try:
                card = self.records.get(actor, part.card_id)
            except NotFound:
                reason = "card-not-found"
            except AccessDenied:
                reason = "access-denied"
            else:
                filed.append(self._attach(actor, card, part, content, file, recognise, prefix))
                return
            not_filed.append((part, reason))
            if left_over is not None:
                left_over(part, content, file)

        report = split_batch(path, sink, options)
        return FilingReport(report, tuple(filed), tuple(not_filed))

    def _attach(
        self,
        actor: ActorRef,
        card: RegistrationCard,
        part: Part,
        content: bytes,
        file: PartFile,
        recognise: Recogniser | None,
        prefix: str,
    ) -> FiledPart:
        text = ""
        if recognise is not None:
            result = recognise(content, file.media_type)
            text = result.text
            if result.pdf is not None:
                content = result.pdf
        name = _free_name(card, f"{prefix}-{part.index:03d}{file.suffix}")
        for attempt in range(3):
            try:
                stored = self.records.attach_file(
                    actor, card.id, card.version, name, content, file.media_type, text=text
                )
                break
            except ConflictError:
                if attempt == 2:
                    raise
                card = self.records.get(actor, card.id)
                name = _free_name(card, name)
        ref = next(f for f in stored.details.files if f.name == name)
        return FiledPart(part, card.id, name, ref.sha256, ref.size, part.page_count, bool(text))
