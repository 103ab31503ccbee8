"""How a batch's pages become parts: the separator and label rules, as a pure state machine.

Rules, page by page:

* a **separator sheet** closes the current part and is dropped; if it names a card, the next
  part belongs to that card (two sheets naming different cards on one page: not guessed);
* a page with **one card's label** starts that card's part, unless the current part is already
  that card's (a label repeated on every page) or is the fresh part a separator opened for the
  same card; a separator naming another card than the label makes the part ambiguous;
* a page with labels of **two cards**, or a code of ours that fails its check digits, starts a
  part that is never given to a card: ambiguous or damaged, for a person to sort out;
* any other page continues the current part, or starts one without a card (no code) when the
  batch opens with it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

from edmscore.scanning._codes import CodeKind, ReadCode

__all__ = ["PageScan", "Part", "PartProblem", "Planner"]


class PartProblem(enum.Enum):
    """Why a part was not given to a card; a person sorts such parts out."""

    NO_CODE = "no-code"  #: no label or separator before its first page
    AMBIGUOUS = "ambiguous"  #: codes naming different cards
    DAMAGED = "damaged"  #: a code of ours that could not be read or fails its check digits


@attrs.frozen
class PageScan:
    """What was read on one page (from 1): the codes, and whether a symbol did not decode."""

    page: int
    codes: tuple[ReadCode, ...] = ()
    undecoded: bool = False

    def ours(self, kind: CodeKind) -> tuple[ReadCode, ...]:
        """The codes of one kind."""
        return tuple(c for c in self.codes if c.kind is kind)


@attrs.frozen
class Part:
    """One document of the batch: its pages (batch page numbers) and its card or problem."""

    index: int
    pages: tuple[int, ...]
    card_id: str | None
    problem: PartProblem | None = None

    @property
    def page_count(self) -> int:
        """How many pages the part has."""
        return len(self.pages)


@attrs.define
class _Open:
    card_id: str | None
    problem: PartProblem | None
    pages: list[int] = attrs.Factory(list)
    from_separator: bool = False


class Planner:
    """Feed it pages in order (:meth:`add`); it yields each part as soon as it is closed."""

    def __init__(self) -> None:
        self._current: _Open | None = None
        self._index = 0
        #: The pages dropped as separator sheets.
        self.separators: list[int] = []

    def _close(self) -> Iterator[Part]:
        current, self._current = self._current, None
        if current is not None and current.pages:
            self._index += 1
            yield Part(self._index, tuple(current.pages), current.card_id, current.problem)

    def _start(self, card_id: str | None, problem: PartProblem | None) -> Iterator[Part]:
        yield from self._close()
        self._current = _Open(card_id, problem)

    def add(self, scan: PageScan) -> Iterator[Part]:
        """Take the next page; yields the part it closes, if any."""
        separators = scan.ours(CodeKind.SEPARATOR)
        cards = {c.card_id for c in scan.ours(CodeKind.CARD)}
        damaged = bool(scan.ours(CodeKind.DAMAGED)) or scan.undecoded
        if separators:
            named = {s.card_id for s in separators if s.card_id is not None}
            if len(named) > 1 or (damaged and not named):
                problem = PartProblem.AMBIGUOUS if len(named) > 1 else PartProblem.DAMAGED
                yield from self._start(None, problem)
            else:
                card = next(iter(named)) if named else None
                yield from self._start(card, None if card else PartProblem.NO_CODE)
            assert self._current is not None
            self._current.from_separator = True
            self.separators.append(scan.page)
            return
        current = self._current
        fresh = current is not None and current.from_separator and not current.pages
        if len(cards) > 1 or damaged:
            problem = PartProblem.AMBIGUOUS if len(cards) > 1 else PartProblem.DAMAGED
            if fresh and current is not None:
                current.card_id, current.problem = None, problem
            else:
                yield from self._start(None, problem)
        elif cards:
            (card,) = cards
            if fresh and current is not None:
                if current.card_id is None or current.card_id == card:
                    current.card_id, current.problem = card, None
                else:
                    current.card_id, current.problem = None, PartProblem.AMBIGUOUS
            elif current is None or current.card_id != card:
                yield from self._start(card, None)
        elif current is None:
            yield from self._start(None, PartProblem.NO_CODE)
        assert self._current is not None
        self._current.pages.append(scan.page)

    def finish(self) -> Iterator[Part]:
        """Close the last part."""
        yield from self._close()
