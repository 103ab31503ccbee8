"""No operation succeeds without its permission, and none is refused that the roles allow: for a
random set of permissions given through a host-defined role, on every adapter."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore._ids import new_id
from edmscore.access import AccessPolicy, Principal, Role
from edmscore.access import Permission as P
from edmscore.directory import Clearance, Organisation, RoleGrant, User
from edmscore.errors import AccessDenied, PermissionDenied
from edmscore.records import AdminService, RecordsService, RegistrationRequest
from edmscore.registry import AccessMark, CardKind, Journal
from edmscore.testing import make_details, make_nomenclature, make_world, store_world
from tests._adapters import StorageFactory, adapter_settings

#: What each operation needs, besides being of the card's organisation (a system administrator
#: also keeps every organisation's users, see ALSO).
NEEDS: dict[str, set[P]] = {
    "register": {P.REGISTER},
    "edit": {P.EDIT_CARD},
    "declassify": {P.EDIT_CARD, P.CHANGE_ACCESS},
    "delete": {P.DELETE_CARD},
    "journal": {P.MANAGE_JOURNALS},
    "nomenclature": {P.MANAGE_NOMENCLATURE},
    "user": {P.ADMINISTER_USERS},
    "organisation": {P.ADMINISTER_SYSTEM},
    "read": {P.READ},
}
ALSO: dict[str, set[P]] = {"user": {P.ADMINISTER_SYSTEM}}


def test_each_operation_needs_exactly_its_permission(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    @adapter_settings(storage_adapter, 40)
    @given(
        held=st.sets(st.sampled_from(P)),
        cleared=st.booleans(),
        operation=st.sampled_from(sorted(NEEDS)),
    )
    def check(held: set[P], cleared: bool, operation: str) -> None:
        storage = new_storage()
        policy = AccessPolicy.strict(
            roles=[Role("everything", set(P)), Role("drawn", held or {P.APPROVE})]
        )
        world = make_world()
        clerk = attrs.evolve(world.clerk, roles=(RoleGrant("everything"),))
        world = store_world(storage, attrs.evolve(world, clerk=clerk))
        actor = User(
            new_id(),
            "drawn",
            world.organisation.id,
            None,
            Clearance.DSP if cleared else Clearance.NONE,
            roles=(RoleGrant("drawn"),) if held else (),
        )
        records = RecordsService(storage, policy=policy)  # type: ignore[arg-type]
        admin = AdminService(storage, policy=policy)  # type: ignore[arg-type]
        admin.put_user(clerk.id, actor)
        details = make_details(CardKind.INCOMING, access=AccessMark.DSP)
        card = records.register(clerk.id, RegistrationRequest(world.journal.id, details))
        me = Principal(actor.id)
        attempts: dict[str, Callable[[], object]] = {
            "register": lambda: records.register(
                me, RegistrationRequest(world.journal.id, make_details(CardKind.INCOMING))
            ),
            "edit": lambda: records.update(me, card.id, 1, {"summary": "Новое"}),
            "declassify": lambda: records.update(me, card.id, 1, {"access": AccessMark.OPEN}),
            "delete": lambda: records.delete(me, card.id, 1, "ошибка"),
            "journal": lambda: admin.create_journal(
                me,
                Journal(
                    new_id(),
                    world.organisation.id,
                    "ИСХ",
                    "Исходящие",
                    "{seq}",
                    {CardKind.OUTGOING},
                ),
            ),
            "nomenclature": lambda: admin.add_nomenclature(
                me, make_nomenclature(world.organisation.id)
            ),
            "user": lambda: admin.put_user(me, User(new_id(), "new", world.organisation.id)),
            "organisation": lambda: admin.put_organisation(me, Organisation(new_id(), "Новая")),
            "read": lambda: records.get(me, card.id),
        }
        # The card is ДСП: a card operation also needs clearance (to see it at all).
        needs_clearance = operation in {"edit", "declassify", "delete", "read"}
        permitted = NEEDS[operation] <= held or (operation in ALSO and ALSO[operation] <= held)
        allowed = permitted and (cleared or not needs_clearance)
        if allowed:
            attempts[operation]()
        else:
            with pytest.raises((AccessDenied, LookupError)) as refused:
                attempts[operation]()
            if not needs_clearance or cleared:
                assert isinstance(refused.value, PermissionDenied)

    check()
