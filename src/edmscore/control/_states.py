"""The assignment's states and the one table of transitions between them.

::

    OPEN ──report (on control)──▶ REPORTED ──accept──▶ DONE
      │ ▲                            │
      │ └────────return──────────────┘
      ├──report (not on control) / acknowledge──▶ DONE
      └──cancel──▶ CANCELLED        (REPORTED ──cancel──▶ CANCELLED too)

Any other move raises :class:`~edmscore.errors.IllegalTransition` naming both states.
"""

from __future__ import annotations

import enum

from edmscore.errors import IllegalTransition

__all__ = ["TRANSITIONS", "AssignmentState", "check_transition"]


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


_TITLES = {
    AssignmentState.OPEN: "на исполнении",
    AssignmentState.REPORTED: "исполнено, на снятии с контроля",
    AssignmentState.DONE: "исполнено",
    AssignmentState.CANCELLED: "отменено",
}

#: Every legal move, as (from, to).
TRANSITIONS: frozenset[tuple[AssignmentState, AssignmentState]] = frozenset(
    {
        (AssignmentState.OPEN, AssignmentState.REPORTED),
        (AssignmentState.OPEN, AssignmentState.DONE),
        (AssignmentState.OPEN, AssignmentState.CANCELLED),
        (AssignmentState.REPORTED, AssignmentState.DONE),
        (AssignmentState.REPORTED, AssignmentState.OPEN),
        (AssignmentState.REPORTED, AssignmentState.CANCELLED),
    }
)


def check_transition(current: AssignmentState, target: AssignmentState) -> AssignmentState:
    """Return ``target`` if the move is legal; raise :class:`IllegalTransition` otherwise."""
    if (current, target) not in TRANSITIONS:
        raise IllegalTransition(current.value, target.value)
    return target
