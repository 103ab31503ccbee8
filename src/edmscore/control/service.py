"""The control service: resolutions, assignments and execution control over a ControlStorage."""

from __future__ import annotations

from edmscore.control._commands import ControlCommands
from edmscore.control._deadline_commands import DeadlineCommands
from edmscore.control._queries import ControlQueries

__all__ = ["ControlService"]


class ControlService(ControlCommands, DeadlineCommands, ControlQueries):
    """Every control use case over a :class:`~edmscore.control.ControlStorage`.

    ``ControlService(storage, clock, calendar)``: the calendar defaults to the federal
    production calendar of Russia (with its provisional next year). Changing use cases:
    :meth:`impose`, :meth:`pass_down`, :meth:`report`, :meth:`acknowledge`, :meth:`accept`,
    :meth:`return_for_rework`, :meth:`cancel`, :meth:`request_extension`,
    :meth:`decide_extension`, :meth:`set_deadline`, :meth:`generate_occurrences`. Reading ones:
    :meth:`get`, :meth:`query`, :meth:`assignments`, :meth:`subtree`, :meth:`progress`,
    :meth:`overdue`, :meth:`due_soon`, :meth:`summary`, :meth:`discipline`, :meth:`history`.
    """
