"""Access marks and the policy that decides who sees which card."""

from __future__ import annotations

from edmscore.access._policy import AccessScope, may_see

__all__ = ["AccessScope", "may_see"]
