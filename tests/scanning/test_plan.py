"""The splitting rules, on page scans made up directly (no images): every rule and invariants."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edmscore.scanning import (
    CodeKind,
    PageScan,
    Part,
    PartProblem,
    Planner,
    ReadCode,
    card_code,
    classify,
    separator_code,
)


def _card(card_id: str) -> ReadCode:
    return classify(card_code(card_id))


def _plan(scans: list[PageScan]) -> tuple[list[Part], list[int]]:
    planner = Planner()
    parts = [p for s in scans for p in planner.add(s)]
    parts += list(planner.finish())
    return parts, planner.separators


def test_labels_separators_and_pages_without_codes() -> None:
    scans = [
        PageScan(1),  # before any code: a part without a card
        PageScan(2, (_card("a"),)),
        PageScan(3),
        PageScan(4, (_card("a"),)),  # the same label again: same part
        PageScan(5, (classify(separator_code()),)),
        PageScan(6),  # after a plain separator: no card
        PageScan(7, (classify(separator_code("b")),)),
        PageScan(8),
        PageScan(9, (_card("b"),)),  # the named card's label on its second page: same part
        PageScan(10, (_card("c"), _card("d"))),  # two cards: never guessed
        PageScan(11, (classify(separator_code("e")),)),
        PageScan(12, (_card("f"),)),  # a label disagreeing with its separator
        PageScan(13, (), undecoded=True),  # a symbol that did not decode
        PageScan(14, (classify("EDMS-g-00"),)),  # fails its check digits
        PageScan(15, (classify("4601234567893"),)),  # foreign: just a page
    ]
    parts, separators = _plan(scans)
    got = [(p.pages, p.card_id, p.problem) for p in parts]
    assert got == [
        ((1,), None, PartProblem.NO_CODE),
        ((2, 3, 4), "a", None),
        ((6,), None, PartProblem.NO_CODE),
        ((8, 9), "b", None),
        ((10,), None, PartProblem.AMBIGUOUS),
        ((12,), None, PartProblem.AMBIGUOUS),
        ((13,), None, PartProblem.DAMAGED),
        ((14, 15), None, PartProblem.DAMAGED),
    ]
    assert separators == [5, 7, 11]
    assert [p.index for p in parts] == list(range(1, 9))


ids = st.sampled_from(["a", "b", "c"])
page_kinds = st.one_of(
    st.just(()),
    ids.map(lambda i: (_card(i),)),
    st.just((classify(separator_code()),)),
    ids.map(lambda i: (classify(separator_code(i)),)),
    st.tuples(ids, ids).map(lambda t: (_card(t[0]), _card(t[1]))),
    st.just((classify("EDMS-x-00"),)),
)


@given(st.lists(page_kinds, max_size=40))
def test_every_page_lands_once_and_no_card_is_guessed(pages: list[tuple[ReadCode, ...]]) -> None:
    scans = [PageScan(i + 1, codes) for i, codes in enumerate(pages)]
    parts, separators = _plan(scans)
    kept = [n for p in parts for n in p.pages]
    # Every page is in exactly one part or dropped as a separator, in order.
    assert sorted(kept + separators) == list(range(1, len(pages) + 1))
    assert kept == sorted(kept)
    for part in parts:
        assert part.pages and (part.card_id is None) == (part.problem is not None)
        if part.card_id is None:
            continue
        # A part's card is named by a code in or right before it, and no page names another.
        named = {
            c.card_id
            for n in part.pages
            for c in scans[n - 1].codes
            if c.kind in (CodeKind.CARD, CodeKind.SEPARATOR)
        }
        before = part.pages[0] - 1
        if before in separators:
            named |= {c.card_id for c in scans[before - 1].codes}
        named.discard(None)
        assert named == {part.card_id}
        assert not any(c.kind is CodeKind.DAMAGED for n in part.pages for c in scans[n - 1].codes)
