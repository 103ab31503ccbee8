"""The lifecycle of a question, as one table of allowed moves::

    InWork ──extend (once)──▶ Extended
      │                          │
      ├──────────────────────────┴──▶ Explained | Supported | NotSupported | Answered
      │                                 (decision, with the answer; Supported with measures)
      ├──redirect by competence──▶ Transferred          (from InWork only)
      └──────────────────────────────▶ LeftWithoutAnswer (with the reason; from either)

A question starts InWork when its appeal is registered; every final status is terminal.
NotReceived and NotRegistered exist only in SSTU exchanges and are never entered here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from edmscore.appeals._enums import QuestionStatus
from edmscore.errors import QuestionTransitionError

__all__ = ["INITIAL_STATUS", "TRANSITIONS", "check_move"]

S = QuestionStatus

#: The status a question of a newly registered appeal starts in.
INITIAL_STATUS = S.IN_WORK

_DECIDE = frozenset({S.EXPLAINED, S.SUPPORTED, S.NOT_SUPPORTED, S.ANSWERED})

#: From each status, the statuses a question may move to.
TRANSITIONS: Mapping[QuestionStatus, frozenset[QuestionStatus]] = MappingProxyType(
    {
        S.IN_WORK: _DECIDE | {S.EXTENDED, S.TRANSFERRED, S.LEFT_WITHOUT_ANSWER},
        S.EXTENDED: _DECIDE | {S.LEFT_WITHOUT_ANSWER},
        **{status: frozenset() for status in S if status not in (S.IN_WORK, S.EXTENDED)},
    }
)


def check_move(
    appeal_id: str, question: int, current: QuestionStatus, target: QuestionStatus
) -> None:
    """Raise :class:`QuestionTransitionError` unless ``current → target`` is allowed."""
    if target not in TRANSITIONS[current]:
        raise QuestionTransitionError(appeal_id, question, current.value, target.value)
