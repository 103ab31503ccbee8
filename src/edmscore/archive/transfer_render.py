"""The acceptance act on paper and for editing: PDF (A4, Cyrillic), XLSX, DOCX and typed rows.

Laid out as the rules' form of the act of acceptance and transfer of archival documents for
storage: the organisation, the approval blocks of both sides, the heading «АКТ № … приема-
передачи архивных документов на хранение», the basis, who hands over and who accepts, the fund,
the five-column table of inventories, the total in figures and words and both sides' signatures.
The pages come from the archive's form layout (:func:`edmscore.archive.render.form_pdf`).
"""

from __future__ import annotations

from edmscore.archive._transfer import TRANSFER_HEADERS, TransferAct, TransferDestination
from edmscore.archive.render import Form, form_docx, form_pdf, form_xlsx

__all__ = ["transfer_docx", "transfer_form", "transfer_pdf", "transfer_rows", "transfer_xlsx"]

_BLANK_APPROVAL = "УТВЕРЖДАЮ: ______________________ «___» ________ 20__ г."
_SIGNATURE = "______________________ (должность, подпись, расшифровка подписи)"


def transfer_rows(act: TransferAct) -> tuple[tuple[str, ...], ...]:
    """The act's rows in its five columns."""
    return tuple(row.cells() for row in act.rows)


def _signed(name: str, on: str) -> str:
    return f"{name}, {on}" if name else _SIGNATURE


def transfer_form(act: TransferAct, organisation: str) -> Form:
    """The act laid out for any output."""
    on = act.accepted_on.format("DD.MM.YYYY") if act.accepted_on is not None else ""
    receiver = (
        "Руководитель архива организации"
        if act.destination is TransferDestination.DEPARTMENTAL
        else "Руководитель государственного (муниципального) архива"
    )
    heading = (
        organisation,
        f"{_BLANK_APPROVAL} (руководитель организации)",
        f"{_BLANK_APPROVAL} ({receiver.lower()})",
        f"АКТ № {act.number} от {act.drawn_up_on.format('DD.MM.YYYY')}",
        "приема-передачи архивных документов на хранение",
        f"Основание: {act.basis or '______________________'}",
        f"Передал: {organisation}",
        f"Принял: {act.archive_name} — {act.destination.label}",
        f"Название фонда, № фонда: {act.fund or '______________________'}",
    )
    return Form(
        act.title,
        heading,
        TRANSFER_HEADERS,
        (12, 90, 28, 28, 40),
        transfer_rows(act),
        (act.total_line,),
        (
            f"Передал: {_signed(act.handed_over_by, on)}",
            f"Принял: {_signed(act.accepted_by, on)}",
            "Изменения в учетные документы внесены: ______________________ (подпись, дата)",
        ),
    )


def transfer_pdf(act: TransferAct, organisation: str) -> bytes:
    """The acceptance act as an A4 PDF."""
    return form_pdf(transfer_form(act, organisation))


def transfer_xlsx(act: TransferAct, organisation: str) -> bytes:
    """The acceptance act as a workbook (the ``xlsx`` extra)."""
    return form_xlsx(transfer_form(act, organisation))


def transfer_docx(act: TransferAct, organisation: str) -> bytes:
    """The acceptance act as a Word document officials edit (the ``docx`` extra)."""
    return form_docx(transfer_form(act, organisation))


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
