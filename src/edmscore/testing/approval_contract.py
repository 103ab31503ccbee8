"""The approval storage contract: the suite every adapter's approval repositories must pass.

Subclass :class:`ApprovalStorageContract` in a pytest module, name the subclass ``Test…`` and
implement ``make_storage`` returning a fresh, empty :class:`~edmscore.approval.ApprovalStorage`::

    class TestMyApprovalStorage(ApprovalStorageContract):
        def make_storage(self):
            return MyStorage(dsn=...)

Needs the ``testing`` extra (pytest).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    import pytest
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

import hashlib

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessScope
from edmscore.approval import (
    ApprovalStorage,
    Assignment,
    CoSignatory,
    Cycle,
    CycleOutcome,
    Draft,
    DraftState,
    DraftVersion,
    ParticipantSpec,
    PendingSignature,
    RouteTemplate,
    SignatorySpec,
    SignerInfo,
    SigningDecision,
    Stage,
    StageMode,
    StageOutcome,
    StageSpec,
    Substitution,
)
from edmscore.errors import ConflictError, NotFound
from edmscore.registry import AccessMark, CardKind, FileRef
from edmscore.testing._builders import make_card

__all__ = ["ApprovalStorageContract", "make_draft"]

_T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk")
DSP = AccessMark.DSP


def make_draft(
    organisation_id: str = "org", *, draft_id: str | None = None, at: pendulum.DateTime = _T0
) -> Draft:
    """A valid new draft value (version 1 of one file), for adapter tests."""
    content = b"%PDF-1.7 draft"
    ref = FileRef(
        "letter.pdf", len(content), hashlib.sha256(content).hexdigest(), "application/pdf"
    )
    return Draft(
        id=draft_id or new_id(),
        organisation_id=organisation_id,
        document_kind="Письмо",
        target_kind=CardKind.OUTGOING,
        author_id="author",
        author_user_id="author-user",
        signatory_id="signatory",
        access=AccessMark.OPEN,
        created_at=at,
        versions=(DraftVersion(1, (ref,), at, "author-user"),),
    )


def _template(organisation_id: str, kind: str = "Письмо") -> RouteTemplate:
    return RouteTemplate(
        id=new_id(),
        organisation_id=organisation_id,
        document_kind=kind,
        name=f"Маршрут: {kind}",
        stages=(
            StageSpec(
                "Юристы",
                (ParticipantSpec(position="Юрист"), ParticipantSpec(official_id="o2")),
                StageMode.PARALLEL,
                quorum=1,
            ),
        ),
        signing_term_days=2,  # not the default: an adapter must keep it
        co_signatories=(SignatorySpec("o3"), SignatorySpec("o4", countersigns="o3")),
        signing_order=StageMode.SEQUENTIAL,
    )


class ApprovalStorageContract:
    """The approval repositories' contract; subclasses implement :meth:`make_storage`."""

    def make_storage(self) -> ApprovalStorage:
        """Return a fresh, empty storage."""
        raise NotImplementedError

    # --- drafts --------------------------------------------------------------------------------

    def test_draft_add_then_get_returns_an_equal_draft(self) -> None:
        storage = self.make_storage()
        draft = make_draft()
        with storage.unit_of_work() as uow:
            uow.drafts.add(draft)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.drafts.get(draft.id) == draft

    def test_a_draft_with_several_signatories_keeps_them_and_their_requests(self) -> None:
        storage = self.make_storage()
        draft = make_draft()
        version = draft.current
        at = _T0.add(hours=1)
        signer = SignerInfo(
            "CN=Зуев", "0a", "CN=CA", _T0.subtract(years=1), _T0.add(years=1), "1" * 64
        )
        signature = FileRef("letter.pdf.sig", 10, "2" * 64)
        given = SigningDecision(
            True, at, "u-dep", "dep", "Зуев П.О.", "Заместитель",
            content_sha256=version.sha256, signature=signature, signer=signer,
            signatory_id="dep", value_sha256="3" * 64, combined=True,
        )  # fmt: skip
        stage = Stage(
            "Юристы", StageMode.PARALLEL, None, 3,
            (Assignment("o2", "Ким Е.С.", "Юрист", activated_at=_T0, visa=None),),
            outcome=StageOutcome.COMPLETED, started_at=_T0, finished_at=at,
        )  # fmt: skip
        cycle = Cycle(
            1, version.number, version.sha256, _T0, "author-user", (stage,), "signatory",
            outcome=CycleOutcome.AWAITING_SIGNATURE,
            co_signatories=(
                CoSignatory("dep", "Зуев П.О.", "Заместитель"),
                CoSignatory("accountant", "Белов И.А.", "Главный бухгалтер", "signatory"),
            ),
            signing_order=StageMode.SEQUENTIAL,
            signatures=(given,),
        )  # fmt: skip
        pending = tuple(
            PendingSignature(
                request_id=f"r{i}",
                request="{}",
                requested_at=at,
                expires_at=at.add(hours=1),
                requested_by="u",
                official_id=who,
                cycle_number=1,
                version_number=1,
                signatory_id=who,
            )
            for i, who in enumerate(("signatory", "accountant"))
        )
        draft = attrs.evolve(
            draft, cycles=(cycle,), state=DraftState.AWAITING_SIGNATURE, pending_signatures=pending
        )
        with storage.unit_of_work() as uow:
            uow.drafts.add(draft)
            uow.commit()
        with storage.unit_of_work() as uow:
            read = uow.drafts.get(draft.id)
        assert read == draft
        assert read.cycles[0].co_signatories[1].countersigns == "signatory"
        assert [p.signatory_id for p in read.pending_signatures] == ["signatory", "accountant"]

    def test_missing_draft_is_not_found(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.drafts.get("nope")

    def test_adding_a_draft_twice_conflicts(self) -> None:
        storage = self.make_storage()
        draft = make_draft()
        with storage.unit_of_work() as uow:
            uow.drafts.add(draft)
            with pytest.raises(ConflictError):
                uow.drafts.add(draft)

    def test_update_bumps_the_version_and_refuses_stale_writes(self) -> None:
        storage = self.make_storage()
        draft = make_draft()
        with storage.unit_of_work() as uow:
            uow.drafts.add(draft)
            uow.commit()
        with storage.unit_of_work() as uow:
            stored = uow.drafts.update(attrs.evolve(draft, state=DraftState.DRAFTING), 1)
            uow.commit()
        assert stored.version == 2
        with storage.unit_of_work() as uow:
            with pytest.raises(ConflictError) as caught:
                uow.drafts.update(draft, 1)
            assert caught.value.actual == 2
            assert uow.drafts.get(draft.id).version == 2

    def test_rollback_undoes_draft_writes(self) -> None:
        storage = self.make_storage()
        kept, dropped = make_draft(), make_draft()
        with storage.unit_of_work() as uow:
            uow.drafts.add(kept)
            uow.commit()
        with storage.unit_of_work() as uow:
            uow.drafts.add(dropped)
            uow.drafts.update(kept, 1)
            # leaving without commit rolls back
        with storage.unit_of_work() as uow:
            assert uow.drafts.get(kept.id).version == 1
            with pytest.raises(NotFound):
                uow.drafts.get(dropped.id)

    def test_list_filters_by_organisation_and_state_oldest_first(self) -> None:
        storage = self.make_storage()
        first = make_draft("a", at=_T0)
        second = make_draft("a", at=_T0.add(hours=1))
        other = make_draft("b")
        with storage.unit_of_work() as uow:
            for draft in (second, other, first):
                uow.drafts.add(draft)
            uow.drafts.update(attrs.evolve(second, state=DraftState.RETURNED), 1)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert [d.id for d in uow.drafts.list("a")] == [first.id, second.id]
            returned = uow.drafts.list("a", frozenset({DraftState.RETURNED}))
            assert [d.id for d in returned] == [second.id]
            assert list(uow.drafts.list("c")) == []

    def test_list_with_a_scope_returns_only_drafts_whose_card_it_permits(self) -> None:
        storage = self.make_storage()
        open_draft, dsp_draft, listed_draft, cardless = (make_draft("a") for _ in range(4))
        with storage.unit_of_work() as uow:
            uow.cards.add(make_card("j", "1", organisation_id="a", card_id=open_draft.id))
            uow.cards.add(
                make_card("j", "2", organisation_id="a", card_id=dsp_draft.id, access=DSP)
            )
            uow.cards.add(
                make_card(
                    "j", "3", organisation_id="a", card_id=listed_draft.id, access=DSP,
                    access_list=frozenset({"reader"}),
                )
            )  # fmt: skip
            for draft in (open_draft, dsp_draft, listed_draft, cardless):
                uow.drafts.add(draft)
            uow.commit()
        with storage.unit_of_work() as uow:

            def listed(scope: AccessScope) -> set[str]:
                return {d.id for d in uow.drafts.list("a", scope=scope)}

            everything = {open_draft.id, dsp_draft.id, listed_draft.id, cardless.id}
            assert {d.id for d in uow.drafts.list("a")} == everything
            assert listed(AccessScope("x", False, organisation_id="a")) == {open_draft.id}
            assert listed(AccessScope("reader", False, organisation_id="a")) == {
                open_draft.id,
                listed_draft.id,
            }
            cleared = AccessScope("x", True, organisation_id="a")
            assert listed(cleared) == everything - {cardless.id}
            assert listed(AccessScope("x", True, organisation_id="b")) == set()
            assert listed(AccessScope.everything()) == everything - {cardless.id}

    # --- templates and substitutions -----------------------------------------------------------

    def test_templates_by_kind_case_insensitive_and_replaced_by_put(self) -> None:
        storage = self.make_storage()
        letter, order = _template("a"), _template("a", "Приказ")
        with storage.unit_of_work() as uow:
            uow.route_templates.put(letter)
            uow.route_templates.put(order)
            uow.route_templates.put(_template("b"))
            uow.commit()
        renamed = attrs.evolve(letter, name="Новый маршрут")
        with storage.unit_of_work() as uow:
            assert uow.route_templates.for_kind("a", "ПИСЬМО") == letter
            assert uow.route_templates.for_kind("a", "Акт") is None
            assert [t.document_kind for t in uow.route_templates.list("a")] == ["Письмо", "Приказ"]
            uow.route_templates.put(renamed)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.route_templates.get(letter.id) == renamed
            with pytest.raises(NotFound):
                uow.route_templates.get("nope")

    def test_substitutions_in_force_on_a_day(self) -> None:
        storage = self.make_storage()
        march = Substitution(
            new_id(), "a", "o1", "o2", pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 31)
        )
        april = Substitution(
            new_id(), "a", "o1", "o3", pendulum.Date(2026, 4, 1), pendulum.Date(2026, 4, 5)
        )
        with storage.unit_of_work() as uow:
            uow.substitutions.put(april)
            uow.substitutions.put(march)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert list(uow.substitutions.in_force("a", pendulum.Date(2026, 3, 31))) == [march]
            assert list(uow.substitutions.in_force("a", pendulum.Date(2026, 4, 6))) == []
            assert list(uow.substitutions.in_force("b", pendulum.Date(2026, 3, 5))) == []
            assert list(uow.substitutions.of_official("o1")) == [march, april]

    def test_rollback_undoes_templates_and_substitutions(self) -> None:
        storage = self.make_storage()
        template = _template("a")
        substitution = Substitution(
            new_id(), "a", "o1", "o2", pendulum.Date(2026, 3, 1), pendulum.Date(2026, 3, 2)
        )
        with storage.unit_of_work() as uow:
            uow.route_templates.put(template)
            uow.substitutions.put(substitution)
        with storage.unit_of_work() as uow:
            assert list(uow.route_templates.list("a")) == []
            assert list(uow.substitutions.of_official("o1")) == []
