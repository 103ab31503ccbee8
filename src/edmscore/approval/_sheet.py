"""The approval sheet (лист согласования) as typed rows, for the PDF page or a host's own view.

Rows follow the cycles: every assignment of every stage in order, then every signatory with the
signing term (the draft's signatory, then co-signers and countersigners in the route's order). A
participant a reached quorum made unnecessary reads «Не потребовалось»; one whose turn never
came in a cycle that ended reads «Не рассматривал».
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore.approval._enums import CycleOutcome, StageOutcome
from edmscore.approval._model import Assignment, Cycle, Draft, SigningDecision, Stage
from edmscore.approval._terms import SIGNING_STAGE, signing_due
from edmscore.calendar import ProductionCalendar

__all__ = ["ApprovalSheet", "SheetCycle", "SheetRow", "approval_sheet"]


@attrs.frozen
class SheetRow:
    """One line of the sheet: № / participant and position / decision / date / remarks / mark."""

    number: int
    stage: str
    participant: str
    position: str
    acting_for: str
    decision: str
    at: pendulum.DateTime | None
    remarks: str
    signature_mark: str
    term_days: int | None = None
    due: pendulum.Date | None = None

    @property
    def term(self) -> str:
        """The term as printed under the decision: «Срок: 1 раб. дн., до 12.03.2026», or ""."""
        if self.term_days is None:
            return ""
        text = f"Срок: {self.term_days} раб. дн."
        if self.due is not None:
            text += f", до {self.due.format('DD.MM.YYYY')}"
        return text

    @property
    def decision_cell(self) -> str:
        """The decision with the term under it, as printed in the third column."""
        return "\n".join(line for line in (self.decision, self.term) if line)

    @property
    def who(self) -> str:
        """Who answered, on one line: «Лаптева О.И. (за Зуев П.О.)» for a deputy."""
        return f"{self.participant} (за {self.acting_for})" if self.acting_for else self.participant

    @property
    def participant_cell(self) -> str:
        """Name, position and the replaced official as printed in the second column."""
        lines = [self.participant, self.position]
        if self.acting_for:
            lines.append(f"(замещает {self.acting_for})")
        return "\n".join(line for line in lines if line)


@attrs.frozen
class SheetCycle:
    """The rows of one cycle with its heading."""

    number: int
    version_number: int
    version_sha256: str | None
    outcome: str
    started_at: pendulum.DateTime
    finished_at: pendulum.DateTime | None
    rows: tuple[SheetRow, ...]

    @property
    def heading(self) -> str:
        """«Цикл 2 (версия 2): Подписан»."""
        return f"Цикл согласования {self.number} (версия {self.version_number}): {self.outcome}"


@attrs.frozen
class ApprovalSheet:
    """The whole sheet: what document, whose, and the cycles shown."""

    organisation: str
    document: str
    draft_number: str
    timezone: str
    cycles: tuple[SheetCycle, ...]
    state: str


def _decision(cycle: Cycle, stage: Stage, assignment: Assignment) -> str:
    if assignment.visa is not None:
        return assignment.visa.decision.label
    if stage.outcome is StageOutcome.COMPLETED and not assignment.optional:
        return "Не потребовалось"
    if assignment.activated_at is not None and cycle.outcome.is_open:
        return "На рассмотрении"
    if cycle.outcome.is_open:
        return "Ожидает"
    return "Не рассматривал"


def _remarks(assignment: Assignment) -> str:
    visa = assignment.visa
    if visa is None:
        return ""
    parts = [visa.remark.strip()] if visa.remark.strip() else []
    parts.extend(f"Файл: {f.name}" for f in visa.files)
    return "\n".join(parts)


def _signing_row(
    number: int,
    cycle: Cycle,
    signing: SigningDecision | None,
    name: str,
    position: str = "",
    stage: str = SIGNING_STAGE,
) -> SheetRow:
    if signing is None:
        pending = "Ожидает подписания" if cycle.outcome.is_open else "Не подписывал"
        return SheetRow(number, stage, name, position, "", pending, None, "", "")
    mark = ""
    if signing.signed and signing.signer is not None:
        signer = signing.signer
        mark = (
            f"ЭП, сертификат {signer.serial_number}, действителен с "
            f"{signer.not_before.format('DD.MM.YYYY')} по {signer.not_after.format('DD.MM.YYYY')}"
        )
    return SheetRow(
        number=number,
        stage=stage,
        participant=signing.name,
        position=signing.position,
        acting_for=signing.acting_for_name,
        decision="Подписано" if signing.signed else "Отказано в подписании",
        at=signing.at,
        remarks=signing.remark,
        signature_mark=mark,
    )


def _seat_decision(cycle: Cycle, seat: str) -> SigningDecision | None:
    given = cycle.signed_by(seat)
    if given is not None:
        return given
    refusal = cycle.signing
    if (
        refusal is not None
        and not refusal.signed
        and (refusal.signatory_id or cycle.signatory_id) == seat
    ):
        return refusal
    return None


def _signing_rows(
    first: int,
    cycle: Cycle,
    signatory_name: str,
    timezone: str,
    calendar: ProductionCalendar | None,
) -> list[SheetRow]:
    """A row per signatory: the draft's own, then co-signers and countersigners in order."""
    rows: list[SheetRow] = []
    due = None if calendar is None else signing_due(cycle, calendar, timezone)
    names = {cycle.signatory_id: signatory_name}
    names.update({c.official_id: c.name for c in cycle.co_signatories})
    for seat in cycle.signatory_ids:
        co = cycle.seat(seat)
        stage = SIGNING_STAGE
        if co is not None and co.countersigns is not None:
            stage = f"{SIGNING_STAGE} (заверяет подпись: {names.get(co.countersigns, '')})"
        elif cycle.co_signatories:
            stage = f"{SIGNING_STAGE} (совместно)"
        row = _signing_row(
            first + len(rows),
            cycle,
            _seat_decision(cycle, seat),
            names[seat],
            "" if co is None else co.position,
            stage,
        )
        if row.at is not None:
            row = attrs.evolve(row, at=row.at.in_timezone(timezone))
        rows.append(attrs.evolve(row, term_days=cycle.signing_term_days, due=due))
    return rows


def _cycle(
    cycle: Cycle, timezone: str, signatory_name: str, calendar: ProductionCalendar | None
) -> SheetCycle:
    rows: list[SheetRow] = []
    for stage in cycle.stages:
        for assignment in stage.assignments:
            visa = assignment.visa
            # A visa names who gave it (a deputy of a substitution begun after the cycle did);
            # older visas without names show the assignment's.
            named = visa if visa is not None and visa.name else assignment
            rows.append(
                SheetRow(
                    number=len(rows) + 1,
                    stage=stage.name,
                    participant=named.name + (" (для сведения)" if assignment.optional else ""),
                    position=named.position,
                    acting_for=named.acting_for_name,
                    decision=_decision(cycle, stage, assignment),
                    at=None if visa is None else visa.at.in_timezone(timezone),
                    remarks=_remarks(assignment),
                    signature_mark="Электронная виза" if visa is not None else "",
                )
            )
    if cycle.outcome in (
        CycleOutcome.AWAITING_SIGNATURE,
        CycleOutcome.SIGNED,
        CycleOutcome.SIGNING_REFUSED,
    ):
        rows.extend(_signing_rows(len(rows) + 1, cycle, signatory_name, timezone, calendar))
    return SheetCycle(
        number=cycle.number,
        version_number=cycle.version_number,
        version_sha256=cycle.version_sha256,
        outcome=cycle.outcome.label,
        started_at=cycle.started_at.in_timezone(timezone),
        finished_at=None if cycle.finished_at is None else cycle.finished_at.in_timezone(timezone),
        rows=tuple(rows),
    )


def approval_sheet(
    draft: Draft,
    *,
    organisation: str,
    document: str,
    draft_number: str,
    signatory_name: str,
    timezone: str = "Europe/Moscow",
    last_cycle_only: bool = False,
    calendar: ProductionCalendar | None = None,
) -> ApprovalSheet:
    """The sheet of ``draft``: the whole history, or its last cycle only.

    The signing row carries the signatory's term; with a production ``calendar`` also its last
    day (``SheetRow.due``).
    """
    cycles = draft.cycles[-1:] if last_cycle_only else draft.cycles
    return ApprovalSheet(
        organisation=organisation,
        document=document,
        draft_number=draft_number,
        timezone=timezone,
        cycles=tuple(_cycle(c, timezone, signatory_name, calendar) for c in cycles),
        state=draft.state.label,
    )
