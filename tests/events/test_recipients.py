"""Recipients: the executor's deputy of the day receives the events; only while standing in."""

from __future__ import annotations

import pendulum

from edmscore import FixedClock
from edmscore.approval import Substitution

from ._world import START, WORKER, impose, installation, register


def test_the_deputy_of_the_day_is_a_recipient_only_while_standing_in() -> None:
    clock = FixedClock(START)
    edms = installation(None, clock)
    leave = Substitution("leave", "org", "ex1", "deputy", START.date(), START.date().add(days=2))
    edms.approval.put_substitution("admin", leave)
    edms.events.subscribe(WORKER, "deputy", recipients=["deputy"])
    card_id = register(edms)
    (during,) = impose(edms, card_id, "ex1", pendulum.Date(2026, 3, 20))
    clock.set(START.add(days=5))
    (after,) = impose(edms, card_id, "ex1", pendulum.Date(2026, 3, 20))
    found = edms.events.read(WORKER, "deputy")
    assert [e.entity_id for e in found] == [during]
    assert found[0].recipients == ("ex1", "deputy", "ctl")
    assert after != during
