"""Use cases on citizens' appeals over a storage that keeps them.

:class:`AppealsService` registers an appeal's card and the appeal in one unit of work (so the
journal number stays gapless), and moves its questions through their lifecycle: an executor is
recorded, the term is extended once with a notice, questions are redirected by competence with a
notice, decided with the answer, or left without an answer with the reason. Every change is
audited with the fields before and after.
"""

from __future__ import annotations

from edmscore.appeals._lifecycle import AppealsLifecycle
from edmscore.appeals._registering import AppealsRegistration

__all__ = ["AppealsService"]


class AppealsService(AppealsRegistration, AppealsLifecycle):
    """The appeal use cases; also every :class:`~edmscore.records.RecordsService` use case.

    ``AppealsService(storage, calendar, clock, terms=..., classifier=...)``: ``calendar`` is the
    production calendar deadlines are counted on; ``terms`` the deadline policies (59-FZ / 210-FZ
    presets by default); ``classifier`` when given checks every topic. Reading:
    :meth:`appeal`, :meth:`appeal_of_card`, :meth:`changed_between`, :meth:`registered_between`;
    registering: :meth:`register_appeal`; the lifecycle: :meth:`assign`,
    :meth:`link_assignments`, :meth:`extend`, :meth:`redirect`, :meth:`decide`,
    :meth:`leave_without_answer`, :meth:`request_materials`, :meth:`materials_received`,
    :meth:`forward_migration_information`.
    """
