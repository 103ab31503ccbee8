"""Printable labels and separator sheets: PDF pages for label printers and A4 sheets.

A label carries the card's barcode with the registration number and date printed beside it
(a 2D code) or under it (Code128). Roll printers take one label per page of the label's size;
sheets of labels take a grid on an A4 (or any) page. A separator sheet is an A4 page with a
large code that says "a new document starts here", and optionally which card it belongs to.
Everything is vector: bars are filled rectangles, text is DejaVu Sans embedded by fpdf2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
import pendulum
from fpdf import FPDF

from edmscore.errors import ValidationError
from edmscore.pdf import Anchor, Corner, Facsimile, Fallback, Stamp, Standard, font_path
from edmscore.registry import RegistrationCard
from edmscore.scanning._codes import card_code, separator_code
from edmscore.scanning._symbols import Symbol, Symbology, encode

__all__ = ["Label", "LabelLayout", "code_stamp", "label_pdf", "separator_pdf"]

#: The narrowest Code128 module a label may print (mm): below it printers and scanners fail.
MIN_MODULE_MM = 0.19
_PAD = 2.0


@attrs.frozen
class Label:
    """What one label shows: the card's code, registration number and date."""

    card_id: str
    number: str
    date: pendulum.Date

    @classmethod
    def of(cls, card: RegistrationCard) -> Label:
        """The label of a registered card."""
        return cls(card.id, card.registration.number, card.registration.date)

    @property
    def code(self) -> str:
        """The barcode text (:func:`~edmscore.scanning.card_code`)."""
        return card_code(self.card_id)

    def caption(self) -> tuple[str, str]:
        """The two lines printed beside the code, in Russian."""
        return f"№ {self.number}", f"от {self.date.format('DD.MM.YYYY')}"


def _positive(limit: float) -> Callable[[object, attrs.Attribute[float], float], None]:
    def check(_owner: object, attribute: attrs.Attribute[float], value: float) -> None:
        if not isinstance(value, int | float) or not 0 < value <= limit:
            raise ValidationError(attribute.name, f"must be above 0 and at most {limit}")

    return check


def _count(_owner: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or not 1 <= value <= 50:
        raise ValidationError(attribute.name, "must be 1..50")


@attrs.frozen
class LabelLayout:
    """A label's size in mm and symbology; with ``columns``/``rows`` > 1, a sheet of labels.

    A roll (1 x 1, the default) gives one page per label, of the label's size. A sheet places a
    grid of labels on a ``page_width_mm`` x ``page_height_mm`` page from its top-left margins.
    """

    width_mm: float = attrs.field(default=58.0, validator=_positive(300))
    height_mm: float = attrs.field(default=40.0, validator=_positive(300))
    symbology: Symbology = Symbology.DATAMATRIX
    columns: int = attrs.field(default=1, validator=_count)
    rows: int = attrs.field(default=1, validator=_count)
    page_width_mm: float = attrs.field(default=210.0, validator=_positive(1000))
    page_height_mm: float = attrs.field(default=297.0, validator=_positive(1000))
    margin_left_mm: float = 0.0
    margin_top_mm: float = 0.0

    @property
    def is_sheet(self) -> bool:
        """Whether labels go on sheets (a grid) rather than one per page."""
        return self.columns * self.rows > 1

    def __attrs_post_init__(self) -> None:
        if self.is_sheet and (
            self.margin_left_mm + self.columns * self.width_mm > self.page_width_mm
            or self.margin_top_mm + self.rows * self.height_mm > self.page_height_mm
        ):
            raise ValidationError("columns", "the grid of labels does not fit the page")


def _document() -> FPDF:
    pdf = FPDF(unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font("DejaVu", "", font_path())
    pdf.add_font("DejaVu", "B", font_path(bold=True))
    pdf.set_creator("edmscore")
    return pdf


def _draw(pdf: FPDF, symbol: Symbol, x: float, y: float, module: float, bar: float) -> None:
    """Dark modules as filled rectangles from (x, y), the symbol's top-left (quiet zone out)."""
    pdf.set_fill_color(0)
    row_h = bar if symbol.symbology.linear else module
    for row, column, length in symbol.runs():
        pdf.rect(x + column * module, y + row * row_h, length * module, row_h, style="F")


def _label(pdf: FPDF, label: Label, layout: LabelLayout, x: float, y: float) -> None:
    symbol = encode(label.code, layout.symbology)
    quiet = layout.symbology.quiet_modules
    width, height = layout.width_mm - 2 * _PAD, layout.height_mm - 2 * _PAD
    first, second = label.caption()
    if symbol.symbology.linear:
        module = width / (symbol.width + 2 * quiet)
        if module < MIN_MODULE_MM:
            raise ValidationError(
                "width_mm",
                f"Code128 of this card needs a label at least"
                f" {MIN_MODULE_MM * (symbol.width + 2 * quiet) + 2 * _PAD:.0f} mm wide",
            )
        text_h = min(9.0, height * 0.4)
        _draw(pdf, symbol, x + _PAD + quiet * module, y + _PAD, module, height - text_h)
        pdf.set_font("DejaVu", "B", size=text_h * 0.45 / 0.3528)
        pdf.set_xy(x + _PAD, y + _PAD + height - text_h)
        pdf.cell(width, text_h / 2, f"{first} {second}", align="C")
        pdf.set_font("DejaVu", "", size=text_h * 0.3 / 0.3528)
        pdf.set_xy(x + _PAD, y + _PAD + height - text_h / 2)
        pdf.cell(width, text_h / 2, label.code, align="C")
        return
    side = min(height, width * 0.5)
    module = side / (symbol.width + 2 * quiet)
    _draw(pdf, symbol, x + _PAD + quiet * module, y + _PAD + quiet * module, module, module)
    text_x = x + _PAD + side + 1
    text_w = width - side - 1
    size = min(11.0, max(5.0, text_w / max(len(first), len(second), 1) * 1.8 / 0.3528))
    pdf.set_font("DejaVu", "B", size=size)
    pdf.set_xy(text_x, y + _PAD + side / 2 - size * 0.3528 * 1.3)
    pdf.cell(text_w, size * 0.3528 * 1.3, first)
    pdf.set_font("DejaVu", "", size=size)
    pdf.set_xy(text_x, y + _PAD + side / 2)
    pdf.cell(text_w, size * 0.3528 * 1.3, second)


def label_pdf(labels: Sequence[Label], layout: LabelLayout | None = None) -> bytes:
    """A PDF of ``labels``: one page each on a roll, or sheets of a grid (see LabelLayout)."""
    layout = layout if layout is not None else LabelLayout()
    if not labels:
        raise ValidationError("labels", "give at least one label")
    pdf = _document()
    per_page = layout.columns * layout.rows
    for index, label in enumerate(labels):
        if not layout.is_sheet:
            pdf.add_page(format=(layout.width_mm, layout.height_mm))
            _label(pdf, label, layout, 0.0, 0.0)
            continue
        slot = index % per_page
        if slot == 0:
            pdf.add_page(format=(layout.page_width_mm, layout.page_height_mm))
        column, row = slot % layout.columns, slot // layout.columns
        x = layout.margin_left_mm + column * layout.width_mm
        y = layout.margin_top_mm + row * layout.height_mm
        _label(pdf, label, layout, x, y)
    return bytes(pdf.output())


def separator_pdf(
    sheets: Sequence[Label | None], symbology: Symbology = Symbology.DATAMATRIX
) -> bytes:
    """A4 separator sheets, one per item: ``None`` for a plain one, a label to name the card."""
    if not sheets:
        raise ValidationError("sheets", "give at least one separator sheet")
    pdf = _document()
    for label in sheets:
        pdf.add_page(format="A4")
        symbol = encode(separator_code(None if label is None else label.card_id), symbology)
        pdf.set_font("DejaVu", "B", size=28)
        pdf.set_xy(15, 25)
        pdf.cell(180, 14, "ЛИСТ-РАЗДЕЛИТЕЛЬ", align="C")
        pdf.set_font("DejaVu", "", size=12)
        pdf.set_xy(15, 42)
        pdf.cell(180, 7, "Положите перед первой страницей документа.", align="C")
        pdf.set_xy(15, 49)
        pdf.cell(180, 7, "Этот лист не сохраняется в деле.", align="C")
        quiet = symbology.quiet_modules
        if symbology.linear:
            module = min(0.5, 170 / (symbol.width + 2 * quiet))
            left = 105 - symbol.width * module / 2
            _draw(pdf, symbol, left, 90, module, 40)
            bottom = 130.0
        else:
            side = 60.0
            module = side / symbol.width
            _draw(pdf, symbol, 105 - side / 2, 80, module, module)
            bottom = 80 + side
        if label is not None:
            first, second = label.caption()
            pdf.set_font("DejaVu", "B", size=16)
            pdf.set_xy(15, bottom + 15)
            pdf.cell(180, 9, f"Документ {first} {second}", align="C")
        # The same code upside down at the foot, so a sheet fed either way up reads quickly.
        with pdf.rotation(180, 105, 250):
            if symbology.linear:
                module = min(0.5, 170 / (symbol.width + 2 * quiet))
                _draw(pdf, symbol, 105 - symbol.width * module / 2, 235, module, 30)
            else:
                module = 30.0 / symbol.width
                _draw(pdf, symbol, 90, 235, module, module)
    return bytes(pdf.output())


def code_stamp(
    label: Label, symbology: Symbology = Symbology.DATAMATRIX, width_mm: float | None = None
) -> Stamp:
    """A :class:`~edmscore.pdf.Stamp` putting the card's barcode on the document's first page.

    The code goes to the bottom right corner (the place GOST R 7.0.97-2025 gives the document's
    identifier code), else the top right, else the free spot nearest them, never over a word or
    an image; ``width_mm`` defaults to 16 mm for a 2D code and 0.25 mm a module for Code128.
    Pass it to :func:`edmscore.pdf.stamp_pdf` with the document.
    """
    symbol = encode(label.code, symbology)
    if width_mm is None:
        quiet = 2 * symbology.quiet_modules
        width_mm = 0.25 * (symbol.width + quiet) if symbology.linear else 16.0
    png = symbol.png(module_px=4 if symbology.linear else 12, bar_height_px=180)
    places = (Anchor(Corner.BOTTOM_RIGHT, 10.0, 10.0), Anchor(Corner.TOP_RIGHT, 10.0, 10.0))
    return Stamp(
        Facsimile(png, width_mm),
        pages="first",
        placement=Standard(places, 0.8, Fallback.NEW_PAGE),  # type: ignore[arg-type]
    )
