"""Resolutions, assignments and execution control (резолюции, поручения, контроль исполнения).

A head imposes a :class:`Resolution` on a registered card; its items become :class:`Assignment`
values with executors and deadlines on the production calendar; executors pass them down, report,
ask for extensions; controllers accept or return; :class:`ControlService` lists what is due and
overdue and builds the execution-discipline report. See ``docs/control.md``.
"""

from __future__ import annotations

from edmscore.control._acquaintance import Acknowledgment, AcquaintanceSheet, Reminder
from edmscore.control._acquaintance_commands import AcquaintanceLine, ReminderDue
from edmscore.control._discipline import (
    DISCIPLINE_HEADERS,
    OVERDUE_HEADERS,
    DisciplineReport,
    DisciplineRow,
    OverdueLine,
    build_discipline_report,
)
from edmscore.control._drafting import (
    DraftAction,
    DraftItem,
    DraftResolutionState,
    DraftStep,
    ResolutionDraft,
    draft_transition,
)
from edmscore.control._model import (
    Assignment,
    AssignmentKind,
    DeadlineChange,
    ExecutionReport,
    ExtensionRequest,
    ExtensionStatus,
    Recurrence,
    ReportStatus,
    Resolution,
)
from edmscore.control._requests import (
    ControlItem,
    ControlSummary,
    ItemRequest,
    Progress,
    RecurrenceRequest,
    ReportFile,
    ResolutionRequest,
)
from edmscore.control._states import (
    MOVES,
    TRANSITIONS,
    AssignmentAction,
    AssignmentState,
    check_transition,
)
from edmscore.control.ports import (
    AcquaintanceRepository,
    AssignmentCursor,
    AssignmentPage,
    AssignmentQuery,
    AssignmentRepository,
    ControlStorage,
    ControlUnitOfWork,
    DisciplineCount,
    ResolutionDraftRepository,
    ResolutionRepository,
    classify,
)
from edmscore.control.service import ControlService

__all__ = [
    "DISCIPLINE_HEADERS",
    "MOVES",
    "OVERDUE_HEADERS",
    "TRANSITIONS",
    "Acknowledgment",
    "AcquaintanceLine",
    "AcquaintanceRepository",
    "AcquaintanceSheet",
    "Assignment",
    "AssignmentAction",
    "AssignmentCursor",
    "AssignmentKind",
    "AssignmentPage",
    "AssignmentQuery",
    "AssignmentRepository",
    "AssignmentState",
    "ControlItem",
    "ControlService",
    "ControlStorage",
    "ControlSummary",
    "ControlUnitOfWork",
    "DeadlineChange",
    "DisciplineCount",
    "DisciplineReport",
    "DisciplineRow",
    "DraftAction",
    "DraftItem",
    "DraftResolutionState",
    "DraftStep",
    "ExecutionReport",
    "ExtensionRequest",
    "ExtensionStatus",
    "ItemRequest",
    "OverdueLine",
    "Progress",
    "Recurrence",
    "RecurrenceRequest",
    "Reminder",
    "ReminderDue",
    "ReportFile",
    "ReportStatus",
    "Resolution",
    "ResolutionDraft",
    "ResolutionDraftRepository",
    "ResolutionRepository",
    "ResolutionRequest",
    "build_discipline_report",
    "check_transition",
    "classify",
    "draft_transition",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
