"""Roles: named sets of permissions. The built-in ones follow a records office's usual duties."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

import attrs

from edmscore._validate import non_empty_text, text
from edmscore.access._permissions import Permission
from edmscore.errors import ValidationError

__all__ = ["BUILTIN_ROLES", "LEGACY_FULL_ACCESS", "Role"]


def _permissions(value: Iterable[Permission]) -> frozenset[Permission]:
    return frozenset(value)


@attrs.frozen
class Role:
    """A named set of permissions; ``title`` is the Russian name shown to people."""

    name: str = attrs.field(validator=non_empty_text(64))
    permissions: frozenset[Permission] = attrs.field(converter=_permissions)
    title: str = attrs.field(default="", validator=text(200))

    @permissions.validator
    def _check(self, attribute: attrs.Attribute[Any], value: frozenset[object]) -> None:
        if not all(isinstance(p, Permission) for p in value):
            raise ValidationError(f"Role.{attribute.name}", "must be Permission values")


P = Permission

_ROLES = (
    Role(
        "registrar",
        {P.READ, P.REGISTER, P.EDIT_CARD, P.CHANGE_ACCESS, P.DELETE_CARD, P.EXCHANGE,
         P.HANDLE_APPEALS, P.PREPARE_DRAFT, P.SEND_FOR_ACQUAINTANCE},
        "Делопроизводитель",
    ),
    Role(
        "head",
        {P.READ, P.IMPOSE_RESOLUTION, P.CONTROL, P.APPROVE, P.SIGN, P.READ_REPORTS,
         P.CHANGE_ACCESS, P.SUPERVISE, P.SEND_FOR_ACQUAINTANCE},
        "Руководитель",
    ),
    Role(
        "assistant",
        {P.READ, P.DRAFT_RESOLUTION, P.PREPARE_DRAFT, P.READ_REPORTS,
         P.SEND_FOR_ACQUAINTANCE},
        "Помощник руководителя",
    ),
    Role("executor", {P.READ, P.EXECUTE, P.PREPARE_DRAFT, P.APPROVE}, "Исполнитель"),
    Role(
        "controller",
        {P.READ, P.CONTROL, P.READ_REPORTS, P.SUPERVISE},
        "Контролёр",
    ),
    Role(
        "organisation_admin",
        {P.ADMINISTER_USERS, P.MANAGE_JOURNALS, P.MANAGE_NOMENCLATURE, P.BACKUP,
         P.IMPORT_RECORDS},
        "Администратор организации",
    ),
    Role("archivist", {P.READ, P.MANAGE_NOMENCLATURE, P.ARCHIVE}, "Архивист"),
    Role(
        "system_admin",
        {P.ADMINISTER_SYSTEM, P.ADMINISTER_USERS, P.BACKUP, P.RESTORE, P.IMPORT_RECORDS},
        "Системный администратор",
    ),
    Role("integration", {P.EVENTS}, "Интеграция (события)"),
)  # fmt: skip

#: The built-in roles by name. Hosts add their own through :class:`~edmscore.access.AccessPolicy`.
BUILTIN_ROLES = MappingProxyType({role.name: role for role in _ROLES})

#: Every permission: what a user with no roles gets under
#: :meth:`~edmscore.access.AccessPolicy.legacy_permissive`, the migration default for hosts that
#: had no roles. Never use it for a region-wide installation.
LEGACY_FULL_ACCESS = Role(
    "legacy_full_access", frozenset(Permission), "Полный доступ (переходный режим)"
)
