"""The verification protocol laid out: an A4 PDF (fpdf2, DejaVu Sans embedded) and an HTML page."""

from __future__ import annotations

import html

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from edmscore.pdf._fonts import font_path
from edmscore.pdf._protocol_facts import STATUS_RU, VerificationProtocol
from edmscore.signatures import Status

__all__ = ["protocol_html", "protocol_pdf"]

_FAMILY = "EdmsSans"
_TITLE = "ПРОТОКОЛ ПРОВЕРКИ ЭЛЕКТРОННОЙ ПОДПИСИ"
_LABEL_WIDTH = 58.0  # mm
_LEAD = 4.6  # mm between the lines of a row
_BASELINE = 3.4  # mm from a line's top to its baseline, at 9 pt
_COLOURS = {
    Status.VALID: (0, 110, 40),
    Status.INVALID: (170, 0, 0),
    Status.INDETERMINATE: (150, 95, 0),
}


def protocol_pdf(protocol: VerificationProtocol) -> bytes:
    """The protocol as an A4 PDF in Russian, with the font subset embedded (text is selectable)."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font(_FAMILY, "", font_path())
    pdf.add_font(_FAMILY, "B", font_path(bold=True))
    pdf.set_creator("edmscore")
    pdf.set_title(_TITLE.capitalize())
    pdf.set_lang("ru")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(_FAMILY, "B", 13)
    pdf.multi_cell(0, 7, _TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    value_width = pdf.epw - _LABEL_WIDTH
    for section in protocol.sections():
        pdf.set_font(_FAMILY, "B", 11)
        if pdf.will_page_break(14):
            pdf.add_page()
        pdf.set_fill_color(235, 235, 235)
        pdf.cell(0, 7, section.title, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        for label, value in section.rows:
            verdict = label in ("Итог", "Результат") and section.verdict is not None
            pdf.set_font(_FAMILY, "", 9)
            label_lines = _wrap(pdf, label, _LABEL_WIDTH - 2)
            if verdict:
                pdf.set_font(_FAMILY, "B", 9)
            value_lines = _wrap(pdf, value, value_width)
            height = max(len(label_lines), len(value_lines)) * _LEAD
            if pdf.will_page_break(height + 1):
                pdf.add_page()
            top = pdf.get_y()
            pdf.set_font(_FAMILY, "", 9)
            pdf.set_text_color(90, 90, 90)
            for i, line in enumerate(label_lines):
                pdf.text(pdf.l_margin, top + i * _LEAD + _BASELINE, line)
            if verdict and section.verdict is not None:
                pdf.set_font(_FAMILY, "B", 9)
                pdf.set_text_color(*_COLOURS[section.verdict])
            else:
                pdf.set_text_color(0, 0, 0)
            for i, line in enumerate(value_lines):
                pdf.text(pdf.l_margin + _LABEL_WIDTH, top + i * _LEAD + _BASELINE, line)
            pdf.set_xy(pdf.l_margin, top + height + 1)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)
    pdf.set_font(_FAMILY, "", 8)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(
        0,
        4,
        f"Протокол сформирован {_created(protocol)} (МСК) системой «{protocol.system}»."
        " Страниц: {nb}.",
    )
    return bytes(pdf.output())


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """The lines of ``text`` that fit ``width`` (mm) in the current font: broken at spaces, and
    inside a word longer than a line (a hash, a long number)."""
    space = pdf.get_string_width(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, used = "", 0.0
        for word in paragraph.split(" "):
            size = pdf.get_string_width(word)
            if current and used + space + size <= width:
                current, used = f"{current} {word}", used + space + size
                continue
            if current:
                lines.append(current)
            current, used = word, size
            while used > width and len(current) > 1:
                cut, part = 0, 0.0
                for char in current:
                    step = pdf.get_string_width(char)
                    if part + step > width and cut:
                        break
                    cut, part = cut + 1, part + step
                lines.append(current[:cut])
                current = current[cut:]
                used = pdf.get_string_width(current)
        lines.append(current)
    return lines


def _created(protocol: VerificationProtocol) -> str:
    return protocol.created_at.in_tz("Europe/Moscow").format("DD.MM.YYYY HH:mm")


_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:52rem;margin:1.5rem auto;color:#111}
h1{font-size:1.25rem;text-align:center;letter-spacing:.03em}
h2{font-size:1rem;background:#ebebeb;padding:.3rem .5rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%}
th{font-weight:normal;color:#555;text-align:left;vertical-align:top;width:33%;padding:.2rem .5rem}
td{padding:.2rem .5rem;word-break:break-word}
.valid{color:#006e28;font-weight:bold}.invalid{color:#aa0000;font-weight:bold}
.indeterminate{color:#965f00;font-weight:bold}
footer{color:#555;font-size:.8rem;margin-top:1.5rem}
@media print{body{margin:0}}
"""


def protocol_html(protocol: VerificationProtocol) -> str:
    """The protocol as a self-contained HTML page (the same facts as the PDF; text escaped)."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ru"><head><meta charset="utf-8">',
        f"<title>{esc(_TITLE.capitalize())}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(_TITLE)}</h1>",
        f'<p class="{protocol.status.value}" id="verdict">{esc(STATUS_RU[protocol.status])}</p>',
    ]
    for section in protocol.sections():
        parts.append(f"<section><h2>{esc(section.title)}</h2><table>")
        for label, value in section.rows:
            css = ""
            if label in ("Итог", "Результат") and section.verdict is not None:
                css = f' class="{section.verdict.value}"'
            parts.append(f"<tr><th>{esc(label)}</th><td{css}>{esc(value)}</td></tr>")
        parts.append("</table></section>")
    parts.append(
        f"<footer>Протокол сформирован {esc(_created(protocol))} (МСК) системой "
        f"«{esc(protocol.system)}».</footer></body></html>"
    )
    return "\n".join(parts)
