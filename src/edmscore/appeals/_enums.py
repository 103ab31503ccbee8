"""The closed lists of citizens' appeals, each value with its Russian label.

:class:`QuestionStatus` values are the SSTU (ССТУ.РФ) status names where the format has one;
``EXTENDED`` («Рассмотрение продлено») is kept by the lifecycle and exported as the host chooses
(see :class:`~edmscore.appeals.SstuOptions`), since its name in the format is not confirmed.
"""

from __future__ import annotations

import enum

__all__ = ["AppealKind", "NoAnswerReason", "NoticeKind", "QuestionStatus", "ReceiptForm"]


class _Labelled(enum.Enum):
    @property
    def label(self) -> str:
        """The Russian label."""
        return _LABELS[self]


class QuestionStatus(_Labelled):
    """The status of one question of an appeal (its SSTU status)."""

    NOT_RECEIVED = "NotReceived"
    NOT_REGISTERED = "NotRegistered"
    IN_WORK = "InWork"
    EXTENDED = "Extended"
    EXPLAINED = "Explained"
    SUPPORTED = "Supported"
    NOT_SUPPORTED = "NotSupported"
    TRANSFERRED = "Transferred"
    ANSWERED = "Answered"
    LEFT_WITHOUT_ANSWER = "LeftWithoutAnswer"

    @property
    def is_final(self) -> bool:
        """Whether the question's consideration has ended in this status."""
        return self in _FINAL

    @property
    def is_decision(self) -> bool:
        """Whether the status is a result of consideration on the merits, with an answer."""
        return self in _DECISIONS


_DECISIONS = frozenset(
    {
        QuestionStatus.EXPLAINED,
        QuestionStatus.SUPPORTED,
        QuestionStatus.NOT_SUPPORTED,
        QuestionStatus.ANSWERED,
    }
)
_FINAL = _DECISIONS | {QuestionStatus.TRANSFERRED, QuestionStatus.LEFT_WITHOUT_ANSWER}


class ReceiptForm(_Labelled):
    """How an appeal was received (форма поступления)."""

    WRITTEN = "written"
    ELECTRONIC = "electronic"
    PERSONAL_RECEPTION = "personal_reception"
    ORAL = "oral"

    @property
    def sstu_format(self) -> str:
        """The SSTU ``format``: ``Electronic`` for an electronic document, otherwise ``Other``."""
        return "Electronic" if self is ReceiptForm.ELECTRONIC else "Other"


class AppealKind(_Labelled):
    """Which law governs the appeal and so its term of consideration."""

    APPEAL = "appeal"
    SERVICE_COMPLAINT = "service_complaint"
    SERVICE_COMPLAINT_REFUSAL = "service_complaint_refusal"


class NoAnswerReason(_Labelled):
    """Why an appeal (or a question) is left without an answer (59-FZ art. 11 cases)."""

    ANONYMOUS = "anonymous"
    UNREADABLE = "unreadable"
    NO_SUBSTANCE = "no_substance"
    OFFENSIVE = "offensive"
    REPEATED = "repeated"
    SECRET = "secret"
    WITHDRAWN = "withdrawn"

    @property
    def needs_notice(self) -> bool:
        """Whether the author is told why (impossible when no name or address is known)."""
        return self is not NoAnswerReason.ANONYMOUS


class NoticeKind(_Labelled):
    """A notice sent to the author (уведомление заявителя)."""

    REDIRECTED = "redirected"
    EXTENDED = "extended"
    NO_ANSWER = "no_answer"
    REGISTERED = "registered"


_LABELS: dict[_Labelled, str] = {
    QuestionStatus.NOT_RECEIVED: "Не поступило",
    QuestionStatus.NOT_REGISTERED: "Не зарегистрировано",
    QuestionStatus.IN_WORK: "Находится на рассмотрении",
    QuestionStatus.EXTENDED: "Рассмотрение продлено",
    QuestionStatus.EXPLAINED: "Рассмотрено. Разъяснено",
    QuestionStatus.SUPPORTED: "Рассмотрено. Поддержано",
    QuestionStatus.NOT_SUPPORTED: "Рассмотрено. Не поддержано",
    QuestionStatus.TRANSFERRED: "Направлено по компетенции",
    QuestionStatus.ANSWERED: "Дан ответ автору",
    QuestionStatus.LEFT_WITHOUT_ANSWER: "Оставлено без ответа автору",
    ReceiptForm.WRITTEN: "В письменной форме",
    ReceiptForm.ELECTRONIC: "В форме электронного документа",
    ReceiptForm.PERSONAL_RECEPTION: "На личном приёме",
    ReceiptForm.ORAL: "В устной форме",
    AppealKind.APPEAL: "Обращение (59-ФЗ)",
    AppealKind.SERVICE_COMPLAINT: "Жалоба на предоставление услуги (210-ФЗ)",
    AppealKind.SERVICE_COMPLAINT_REFUSAL: "Жалоба на отказ в приёме документов (210-ФЗ)",
    NoAnswerReason.ANONYMOUS: "Не указаны фамилия или адрес для ответа",
    NoAnswerReason.UNREADABLE: "Текст не поддаётся прочтению",
    NoAnswerReason.NO_SUBSTANCE: "Текст не позволяет определить суть обращения",
    NoAnswerReason.OFFENSIVE: "Нецензурные либо оскорбительные выражения",
    NoAnswerReason.REPEATED: "Повторное обращение без новых доводов",
    NoAnswerReason.SECRET: "Ответ требует разглашения охраняемой законом тайны",
    NoAnswerReason.WITHDRAWN: "Обращение отозвано автором",
    NoticeKind.REDIRECTED: "О переадресации обращения",
    NoticeKind.EXTENDED: "О продлении срока рассмотрения",
    NoticeKind.NO_ANSWER: "Об оставлении без ответа",
    NoticeKind.REGISTERED: "О регистрации обращения",
}
