"""The approval use cases: create a draft, add versions, run cycles, give visas, sign, register.

Each use case takes the acting :class:`~edmscore.directory.User`, opens one unit of work, checks
access (the draft's РКПД card decides who may see it; the author, the participants, the
signatory and their deputies decide who may act), calls the state machine, appends an audit
event and commits. Registration of the signed document happens in the same unit of work as the
draft's last change, so a failed registration leaves the draft signed and unregistered.
"""

from __future__ import annotations

from edmscore.approval._drafting import ApprovalDrafting
from edmscore.approval._queries import ApprovalQueries
from edmscore.approval._requests import DraftFile, DraftRequest
from edmscore.approval._routing import ApprovalRouting
from edmscore.approval._signing import ApprovalSigning
from edmscore.approval._visas import ApprovalVisas

__all__ = ["ApprovalService", "DraftFile", "DraftRequest"]


class ApprovalService(
    ApprovalDrafting, ApprovalRouting, ApprovalVisas, ApprovalSigning, ApprovalQueries
):
    """The approval use cases over an :class:`~edmscore.approval.ApprovalStorage`.

    ``calendar`` gives the working days of terms; ``verifier`` checks signatures at signing.
    """
