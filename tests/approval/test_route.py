"""Route specs validate at construction; substitutions resolve with chains and refuse loops."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.approval import ParticipantSpec, StageMode, StageSpec, Substitution, acting_official
from edmscore.errors import RouteError

DAY = pendulum.Date(2026, 3, 10)


def _people(n: int) -> tuple[ParticipantSpec, ...]:
    return tuple(ParticipantSpec(f"p{i}") for i in range(n))


@given(n=st.integers(1, 6), k=st.integers(1, 8))
def test_a_quorum_must_be_reachable(n: int, k: int) -> None:
    if k <= n:
        assert StageSpec("Этап", _people(n), StageMode.PARALLEL, k).quorum == k
    else:
        with pytest.raises(RouteError):
            StageSpec("Этап", _people(n), StageMode.PARALLEL, k)


def test_bad_specs_are_refused_naming_the_field() -> None:
    with pytest.raises(RouteError) as caught:
        StageSpec("Этап", _people(2), StageMode.SEQUENTIAL, 1)
    assert caught.value.field == "quorum"
    with pytest.raises(RouteError):
        StageSpec("Этап", (ParticipantSpec("p", optional=True),))
    with pytest.raises(RouteError):
        ParticipantSpec("p", position="Министр")
    with pytest.raises(RouteError):
        ParticipantSpec()


def _sub(official: str, deputy: str, start: int = 1, end: int = 31) -> Substitution:
    return Substitution(
        f"{official}-{deputy}",
        "org",
        official,
        deputy,
        pendulum.Date(2026, 3, start),
        pendulum.Date(2026, 3, end),
    )


def test_substitutions_resolve_through_a_chain_and_only_in_their_period() -> None:
    subs = [_sub("a", "b"), _sub("b", "c", 5, 12)]
    assert acting_official("a", DAY, subs) == ("c", "a")
    assert acting_official("a", pendulum.Date(2026, 3, 20), subs) == ("b", "a")
    assert acting_official("a", pendulum.Date(2026, 4, 1), subs) == ("a", None)
    assert acting_official("x", DAY, subs) == ("x", None)


def test_a_loop_of_substitutions_is_refused() -> None:
    with pytest.raises(RouteError, match="loop"):
        acting_official("a", DAY, [_sub("a", "b"), _sub("b", "a")])
    with pytest.raises(RouteError):
        Substitution("s", "org", "a", "a", DAY, DAY)
    with pytest.raises(RouteError):
        Substitution("s", "org", "a", "b", DAY, DAY.subtract(days=1))
