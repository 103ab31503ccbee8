"""The closed lists of approval, each value with the Russian label printed on the sheet."""

from __future__ import annotations

import enum

__all__ = ["CycleOutcome", "DraftState", "StageMode", "StageOutcome", "VisaDecision"]


class _Labelled(enum.Enum):
    """An enum whose members carry the Russian label a person reads."""

    @property
    def label(self) -> str:
        """The Russian label."""
        return _LABELS[self]


class StageMode(_Labelled):
    """How a stage's participants act: one after another, or all at once."""

    SEQUENTIAL = "sequential"
    PARALLEL = "parallel"


class VisaDecision(_Labelled):
    """A participant's decision (виза); a remark is required for the last two of the first three.

    ``ACKNOWLEDGED`` is the only decision of an optional participant (для сведения).
    """

    AGREED = "agreed"
    AGREED_WITH_REMARKS = "agreed_with_remarks"
    NOT_AGREED = "not_agreed"
    ACKNOWLEDGED = "acknowledged"

    @property
    def needs_remark(self) -> bool:
        """Whether this decision must come with a remark."""
        return self in (VisaDecision.AGREED_WITH_REMARKS, VisaDecision.NOT_AGREED)

    @property
    def agrees(self) -> bool:
        """Whether this decision counts towards the stage's quorum."""
        return self in (VisaDecision.AGREED, VisaDecision.AGREED_WITH_REMARKS)


class StageOutcome(_Labelled):
    """Where a stage of a cycle is."""

    PENDING = "pending"
    ACTIVE = "active"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class CycleOutcome(_Labelled):
    """How an approval cycle (one version's pass through the route) ended, or that it runs."""

    RUNNING = "running"
    AWAITING_SIGNATURE = "awaiting_signature"
    RETURNED = "returned"
    SIGNED = "signed"
    SIGNING_REFUSED = "signing_refused"
    RECALLED = "recalled"

    @property
    def is_open(self) -> bool:
        """Whether the cycle still runs (visas or the signature still expected)."""
        return self in (CycleOutcome.RUNNING, CycleOutcome.AWAITING_SIGNATURE)


class DraftState(_Labelled):
    """Where a draft is in its life (the explicit state machine of :mod:`edmscore.approval`)."""

    DRAFTING = "drafting"
    IN_APPROVAL = "in_approval"
    RETURNED = "returned"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    APPROVED_ON_PAPER = "approved_on_paper"
    REGISTERED = "registered"

    @property
    def editable(self) -> bool:
        """Whether the author may change the draft (add a version) in this state."""
        return self in (DraftState.DRAFTING, DraftState.RETURNED)


_LABELS: dict[_Labelled, str] = {
    StageMode.SEQUENTIAL: "Последовательно",
    StageMode.PARALLEL: "Параллельно",
    VisaDecision.AGREED: "Согласовано",
    VisaDecision.AGREED_WITH_REMARKS: "Согласовано с замечаниями",
    VisaDecision.NOT_AGREED: "Не согласовано",
    VisaDecision.ACKNOWLEDGED: "Ознакомлен",
    StageOutcome.PENDING: "Ожидает",
    StageOutcome.ACTIVE: "На согласовании",
    StageOutcome.COMPLETED: "Согласовано",
    StageOutcome.REJECTED: "Не согласовано",
    StageOutcome.CANCELLED: "Прервано",
    CycleOutcome.RUNNING: "Идёт согласование",
    CycleOutcome.AWAITING_SIGNATURE: "На подписании",
    CycleOutcome.RETURNED: "Возвращён на доработку",
    CycleOutcome.SIGNED: "Подписан",
    CycleOutcome.SIGNING_REFUSED: "Отказано в подписании",
    CycleOutcome.RECALLED: "Отозван автором",
    DraftState.DRAFTING: "Подготовка проекта",
    DraftState.IN_APPROVAL: "На согласовании",
    DraftState.RETURNED: "Возвращён на доработку",
    DraftState.AWAITING_SIGNATURE: "На подписании",
    DraftState.SIGNED: "Подписан",
    DraftState.APPROVED_ON_PAPER: "Согласован и подписан на бумаге",
    DraftState.REGISTERED: "Зарегистрирован",
}
