"""Sections and cases of the nomenclature (private; re-exported by ``nomenclature``)."""

from __future__ import annotations

import datetime

import attrs
import pendulum

from edmscore.errors import ValidationError
from edmscore.registry._nomenclature_checks import check_text, check_token, check_year, to_date
from edmscore.registry.retention import RetentionPeriod

__all__ = ["MAX_ID_LENGTH", "MAX_INDEX_LENGTH", "Case", "NomenclatureSection", "make_case_index"]

#: The longest case index accepted.
MAX_INDEX_LENGTH = 50

#: The longest id (of a case, section, department) accepted.
MAX_ID_LENGTH = 200
_MAX_TITLE_LENGTH = 2000
_MAX_VOLUMES = 9999


def make_case_index(section_code: str, serial: int) -> str:
    """The conventional case index: section (department) code, a hyphen, a two-digit serial.

    >>> make_case_index("01", 12)
    '01-12'
    """
    check_token("section_code", section_code, max_length=MAX_INDEX_LENGTH)
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 1:
        raise ValidationError("serial", f"must be a positive integer, got {serial!r}")
    index = f"{section_code}-{serial:02d}"
    return check_token("index", index, max_length=MAX_INDEX_LENGTH)


def _closed_on(value: datetime.date | None) -> pendulum.Date | None:
    return None if value is None else to_date("closed_on", value)


@attrs.frozen
class NomenclatureSection:
    """A section of the nomenclature, normally one structural unit (department).

    ``code`` is the department code that opens its case indexes (``01``); ``department_id``
    optionally links the directory's department.
    """

    code: str
    title: str
    department_id: str | None = None

    def __attrs_post_init__(self) -> None:
        check_token("code", self.code, max_length=MAX_INDEX_LENGTH)
        check_text("title", self.title, max_length=_MAX_TITLE_LENGTH)
        if self.department_id is not None:
            check_token("department_id", self.department_id, max_length=MAX_ID_LENGTH)


@attrs.frozen
class Case:
    """A case (дело) of the nomenclature: one row of the form.

    ``volumes`` is the number of volumes or parts (column 3). ``carried_over_from`` is the year a
    case continued from an earlier nomenclature started in («Переходящее с 2024 г.»);
    ``carried_over_to`` the next year it continues into («Переходящее на 2026 г.»). ``notes`` is
    free text for column 5; :attr:`remark` is the whole column with the carry-over marks.
    """

    id: str
    index: str
    title: str
    section_code: str
    retention: RetentionPeriod
    volumes: int = 1
    notes: str = ""
    carried_over_from: int | None = None
    carried_over_to: int | None = None
    closed_on: pendulum.Date | None = attrs.field(default=None, converter=_closed_on)

    def __attrs_post_init__(self) -> None:
        check_token("id", self.id, max_length=MAX_ID_LENGTH)
        check_token("index", self.index, max_length=MAX_INDEX_LENGTH)
        check_text("title", self.title, max_length=_MAX_TITLE_LENGTH)
        check_token("section_code", self.section_code, max_length=MAX_INDEX_LENGTH)
        if not isinstance(self.retention, RetentionPeriod):
            raise ValidationError("retention", f"must be a RetentionPeriod: {self.retention!r}")
        volumes = self.volumes
        if isinstance(volumes, bool) or not isinstance(volumes, int):
            raise ValidationError("volumes", f"must be an integer, got {volumes!r}")
        if not 1 <= volumes <= _MAX_VOLUMES:
            raise ValidationError("volumes", f"must be between 1 and {_MAX_VOLUMES}, got {volumes}")
        check_text("notes", self.notes, max_length=_MAX_TITLE_LENGTH, blank=True)
        if self.carried_over_from is not None:
            check_year("carried_over_from", self.carried_over_from)
        if self.carried_over_to is not None:
            check_year("carried_over_to", self.carried_over_to)
            if self.carried_over_from is not None and (
                self.carried_over_from >= self.carried_over_to
            ):
                raise ValidationError("carried_over_to", "must be later than carried_over_from")
        if (
            self.closed_on is not None
            and self.carried_over_from is not None
            and self.closed_on.year <= self.carried_over_from
        ):
            raise ValidationError(
                "closed_on",
                f"a case carried over from {self.carried_over_from} closes in a later year",
            )

    @property
    def is_closed(self) -> bool:
        """Whether the case has been closed (закрыто / окончено делопроизводством)."""
        return self.closed_on is not None

    @property
    def is_carried_over(self) -> bool:
        """Whether the case continues into the next year (переходящее на следующий год)."""
        return self.carried_over_to is not None

    @property
    def remark(self) -> str:
        """Column 5 of the form: the carry-over marks, then the free notes."""
        parts = []
        if self.carried_over_from is not None:
            parts.append(f"Переходящее с {self.carried_over_from} г.")
        if self.carried_over_to is not None:
            parts.append(f"Переходящее на {self.carried_over_to} г.")
        if self.notes.strip():
            parts.append(self.notes.strip())
        return "; ".join(parts)

    @property
    def disposal_year(self) -> int | None:
        """When the closed case's fixed term has run out (see ``RetentionPeriod.disposal_year``).

        ``None`` while the case is open and for permanent or event-bound periods.
        """
        if self.closed_on is None:
            return None
        return self.retention.disposal_year(self.closed_on.year)
