"""Citizens' appeals (обращения граждан, 59-FZ), 210-FZ complaints, and the SSTU export.

An :class:`Appeal` is registered with its card in one unit of work by :class:`AppealsService`
(numbers like ``Д/401`` or ``ПО-17/0003.0001.0001.0001`` from the journal template), gets its
terms from the calendar's 59-FZ / 210-FZ presets (:class:`AppealTerms`), and moves each question
through its lifecycle (:data:`TRANSITIONS`). :func:`sstu_appeal`, :func:`write_sstu` and
:func:`export_sstu_batch` build the ССТУ.РФ export; :meth:`AppealsService.statistics` counts
the appeals a reader may see (:class:`AppealsReport`). See ``docs/appeals.md``.
"""

from __future__ import annotations

from edmscore.appeals._batch import BatchResult, export_sstu_batch, month_period
from edmscore.appeals._codec import appeal_from_primitive, appeal_to_primitive
from edmscore.appeals._context import AppealsContext
from edmscore.appeals._control import (
    consideration_states,
    execute_through_control,
    follow_extension,
)
from edmscore.appeals._deadlines import AppealTerms
from edmscore.appeals._enums import (
    AppealKind,
    NoAnswerReason,
    NoticeKind,
    QuestionStatus,
    ReceiptForm,
)
from edmscore.appeals._masking import (
    mask_address,
    mask_author,
    mask_email,
    mask_name,
    mask_phone,
)
from edmscore.appeals._model import (
    ANONYMOUS_NAME,
    Answer,
    Appeal,
    Author,
    Extension,
    Forwarding,
    MaterialsRequest,
    Notice,
    Question,
    StatusChange,
    Transfer,
)
from edmscore.appeals._requests import AppealRequest, QuestionRequest
from edmscore.appeals._sstu import (
    MAX_ATTACHMENT_BYTES,
    SSTU_STATUSES,
    SstuAppeal,
    SstuAttachment,
    SstuOptions,
    SstuQuestion,
    SstuTransfer,
    sstu_appeal,
    sstu_json,
    validate_sstu,
    write_sstu,
)
from edmscore.appeals._sstu_parse import parse_sstu
from edmscore.appeals._states import INITIAL_STATUS, TRANSITIONS, check_move
from edmscore.appeals._statistics import (
    APPEALS_HEADERS,
    AppealsReport,
    AppealsRow,
    build_appeals_report,
)
from edmscore.appeals._topics import (
    LEVELS,
    TopicClassifier,
    is_question_code,
    load_topics,
    sample_topics,
    topic_level,
)
from edmscore.appeals.ports import AppealRepository, AppealsStorage, AppealsUnitOfWork
from edmscore.appeals.service import AppealsService

__all__ = [
    "ANONYMOUS_NAME",
    "APPEALS_HEADERS",
    "INITIAL_STATUS",
    "LEVELS",
    "MAX_ATTACHMENT_BYTES",
    "SSTU_STATUSES",
    "TRANSITIONS",
    "Answer",
    "Appeal",
    "AppealKind",
    "AppealRepository",
    "AppealRequest",
    "AppealTerms",
    "AppealsContext",
    "AppealsReport",
    "AppealsRow",
    "AppealsService",
    "AppealsStorage",
    "AppealsUnitOfWork",
    "Author",
    "BatchResult",
    "Extension",
    "Forwarding",
    "MaterialsRequest",
    "NoAnswerReason",
    "Notice",
    "NoticeKind",
    "Question",
    "QuestionRequest",
    "QuestionStatus",
    "ReceiptForm",
    "SstuAppeal",
    "SstuAttachment",
    "SstuOptions",
    "SstuQuestion",
    "SstuTransfer",
    "StatusChange",
    "TopicClassifier",
    "Transfer",
    "appeal_from_primitive",
    "appeal_to_primitive",
    "build_appeals_report",
    "check_move",
    "consideration_states",
    "execute_through_control",
    "export_sstu_batch",
    "follow_extension",
    "is_question_code",
    "load_topics",
    "mask_address",
    "mask_author",
    "mask_email",
    "mask_name",
    "mask_phone",
    "month_period",
    "parse_sstu",
    "sample_topics",
    "sstu_appeal",
    "sstu_json",
    "topic_level",
    "validate_sstu",
    "write_sstu",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
