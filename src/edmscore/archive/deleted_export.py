"""Export of the cards deleted from registration, with their history, for archivists.

The archive keeps deleted cards (the records rules keep a card's registration data even when the
registration is cancelled). :class:`DeletedCardsExport` writes the deleted cards a query selects,
each with its whole audit history (who did what, when, each field before and after), as JSON
Lines — one card a line, the card in its canonical primitive form — or as a workbook (the
``xlsx`` extra) of two sheets, «Карточки» and «История». Only the ``archive`` permission exports;
each export is audited with the cards it listed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

import attrs
import pendulum

from edmscore.access import AccessPolicy, Actor, ActorRef, Permission
from edmscore.audit import AuditEvent
from edmscore.clock import Clock
from edmscore.errors import MissingDependency, ValidationError
from edmscore.records._base import ServiceBase
from edmscore.records.ports import CardQuery, Storage, UnitOfWork
from edmscore.registry import CardStatus, RegistrationCard
from edmscore.registry.codec import card_to_primitive

__all__ = ["DELETED_CARD_HEADERS", "DELETED_HISTORY_HEADERS", "DeletedCardsExport"]

#: The columns of the «Карточки» sheet.
DELETED_CARD_HEADERS = (
    "Идентификатор",
    "Регистрационный номер",
    "Дата регистрации",
    "Вид документа",
    "Краткое содержание",
    "Дело",
    "Удалена",
    "Кем удалена",
    "Причина",
)
#: The columns of the «История» sheet.
DELETED_HISTORY_HEADERS = (
    "Идентификатор карточки",
    "Дата и время",
    "Кто",
    "Действие",
    "Поле",
    "Было",
    "Стало",
    "Примечание",
)
_HISTORY_LIMIT = 100_000


def _event(seq: int, event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": event.at.in_tz("UTC").isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "changes": [
            {"field": c.field, "before": c.before, "after": c.after} for c in event.changes
        ],
        "note": event.note,
        "on_behalf_of": event.on_behalf_of,
    }


class DeletedCardsExport(ServiceBase):
    """Deleted cards with their history, as JSON Lines or XLSX, for the ``archive`` permission."""

    def __init__(
        self, storage: Storage, clock: Clock | None = None, *, policy: AccessPolicy | None = None
    ) -> None:
        super().__init__(storage, clock, policy=policy)

    def _cards(
        self, uow: UnitOfWork, me: Actor, query: CardQuery
    ) -> Iterator[tuple[RegistrationCard, list[tuple[int, AuditEvent]]]]:
        page_query = attrs.evolve(
            query, organisation_id=me.organisation_id, statuses=frozenset({CardStatus.DELETED})
        )
        while True:
            page = uow.cards.query(page_query, me.scope())
            for card in page.items:
                history = list(uow.audit.events(card.id, limit=_HISTORY_LIMIT))
                yield card, history
            if page.next_cursor is None:
                return
            page_query = attrs.evolve(page_query, after=page.next_cursor)

    def _run(self, actor: ActorRef, query: CardQuery, fmt: str, write: Any) -> int:
        if not isinstance(query, CardQuery):
            raise ValidationError("query", "must be a CardQuery")
        with self.storage.unit_of_work() as uow:
            now = self._now()
            me = self._actor(uow, actor, now)
            me.require(Permission.ARCHIVE)
            ids = write(self._cards(uow, me, query))
            self._audit(
                uow,
                me,
                now,
                "archive.deleted_exported",
                "organisation",
                me.organisation_id,
                {},
                {"format": fmt, "cards": ",".join(ids)},
            )
            uow.commit()
            return len(ids)

    def jsonl(self, actor: ActorRef, query: CardQuery, out: IO[bytes]) -> int:
        """Write the deleted cards ``query`` selects as JSON Lines into ``out``; the count.

        Each line: ``{"card": <the card's primitive form>, "history": [<audit events>]}``.
        """

        def write(
            cards: Iterator[tuple[RegistrationCard, list[tuple[int, AuditEvent]]]],
        ) -> list[str]:
            ids = []
            for card, history in cards:
                line = {
                    "card": card_to_primitive(card),
                    "history": [_event(seq, event) for seq, event in history],
                }
                out.write(json.dumps(line, ensure_ascii=False, sort_keys=True).encode() + b"\n")
                ids.append(card.id)
            return ids

        return self._run(actor, query, "jsonl", write)

    def xlsx(self, actor: ActorRef, query: CardQuery, out: IO[bytes]) -> int:
        """Write the deleted cards ``query`` selects as a workbook into ``out``; the count."""
        try:
            from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
        except ImportError as exc:  # pragma: no cover - the extra is installed in the tests
            raise MissingDependency("openpyxl", "xlsx") from exc

        def write(
            cards: Iterator[tuple[RegistrationCard, list[tuple[int, AuditEvent]]]],
        ) -> list[str]:
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Карточки")
            events = book.create_sheet("История")
            sheet.append(DELETED_CARD_HEADERS)
            events.append(DELETED_HISTORY_HEADERS)
            ids = []
            for card, history in cards:
                deleted = next(
                    (e for _, e in reversed(history) if e.action == "card.deleted"), None
                )
                registration = card.registration
                sheet.append(
                    (
                        card.id,
                        registration.number,
                        registration.date.format("DD.MM.YYYY"),
                        card.details.document_kind,
                        card.details.summary,
                        card.details.case_index or "",
                        _local(deleted.at) if deleted else "",
                        deleted.actor_id if deleted else "",
                        deleted.note if deleted else "",
                    )
                )
                for _, event in history:
                    for change in event.changes or (None,):
                        events.append(
                            (
                                card.id,
                                _local(event.at),
                                event.actor_id,
                                event.action,
                                change.field if change else "",
                                change.before if change else "",
                                change.after if change else "",
                                event.note,
                            )
                        )
                ids.append(card.id)
            book.save(out)
            return ids

        return self._run(actor, query, "xlsx", write)


def _local(at: pendulum.DateTime) -> str:
    return at.in_tz("UTC").format("DD.MM.YYYY HH:mm:ss") + " UTC"


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
