"""The assignment's states, the actions on it, and the one table of transitions.

::

    OPEN ──submit (report on control)──▶ REPORTED ──accept──▶ DONE
      │ ▲                                   │
      │ └──────────────return───────────────┘
      ├──complete (report not on control, acknowledge)──▶ DONE
      └──cancel──▶ CANCELLED        (REPORTED ──cancel──▶ CANCELLED too)

An action the table does not allow from the current state raises
:class:`~edmscore.errors.IllegalTransition` naming both states and the action.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from edmscore.errors import IllegalTransition

__all__ = ["MOVES", "TRANSITIONS", "AssignmentAction", "AssignmentState", "check_transition"]


class AssignmentState(enum.Enum):
    """Where an assignment stands."""

    #: На исполнении: given to the executors, not yet reported.
    OPEN = "open"
    #: Исполнено, ждёт снятия с контроля: the responsible executor reported; the controller decides.
    REPORTED = "reported"
    #: Исполнено (снято с контроля).
    DONE = "done"
    #: Отменено by the author.
    CANCELLED = "cancelled"

    @property
    def is_closed(self) -> bool:
        """Whether nothing more happens to it (done or cancelled)."""
        return self in (AssignmentState.DONE, AssignmentState.CANCELLED)

    @property
    def title(self) -> str:
        """The state in Russian."""
        return _TITLES[self]


class AssignmentAction(enum.Enum):
    """What moves an assignment, with the state it aims at."""

    #: The responsible executor reports an assignment on control: the controller decides.
    SUBMIT = "submit"
    #: The responsible executor reports one not on control, or acknowledges one «к сведению».
    COMPLETE = "complete"
    #: The controller accepts the report (снять с контроля).
    ACCEPT = "accept"
    #: The controller returns the report with a reason.
    RETURN = "return"
    #: The author cancels the assignment.
    CANCEL = "cancel"


_TITLES = {
    AssignmentState.OPEN: "на исполнении",
    AssignmentState.REPORTED: "исполнено, на снятии с контроля",
    AssignmentState.DONE: "исполнено",
    AssignmentState.CANCELLED: "отменено",
}

_O, _R, _D, _C = (
    AssignmentState.OPEN,
    AssignmentState.REPORTED,
    AssignmentState.DONE,
    AssignmentState.CANCELLED,
)
_A = AssignmentAction

#: Every legal (state, action) and the state it leads to.
TRANSITIONS: Mapping[tuple[AssignmentState, AssignmentAction], AssignmentState] = MappingProxyType(
    {
        (_O, _A.SUBMIT): _R,
        (_O, _A.COMPLETE): _D,
        (_O, _A.CANCEL): _C,
        (_R, _A.ACCEPT): _D,
        (_R, _A.RETURN): _O,
        (_R, _A.CANCEL): _C,
    }
)
#: Every legal move as (from, to).
MOVES: frozenset[tuple[AssignmentState, AssignmentState]] = frozenset(
    (state, target) for (state, _), target in TRANSITIONS.items()
)
_AIMS = {
    _A.SUBMIT: _R,
    _A.COMPLETE: _D,
    _A.ACCEPT: _D,
    _A.RETURN: _O,
    _A.CANCEL: _C,
}


def check_transition(current: AssignmentState, action: AssignmentAction) -> AssignmentState:
    """The state ``action`` leads to from ``current``; :class:`IllegalTransition` if none."""
    target = TRANSITIONS.get((current, action))
    if target is None:
        raise IllegalTransition(current.value, _AIMS[action].value, action.value)
    return target
