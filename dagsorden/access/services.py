"""Giving, changing and taking away roles: only administrators, and every change audited.

A role is what ``rules.py`` reads to decide what someone may do, so a change of role is a
change of power: it is recorded (who gave whom what, when) in the same transaction, and the
role's Django group (the admin's model permissions) follows the assignments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from dagsorden.access.models import SCOPES, Role, RoleAssignment
from dagsorden.access.rules import forget_grants, require
from dagsorden.core.audit import audit_record, audited, changes_created
from dagsorden.core.errors import ApplicationError

ROLE_FIELDS = ("user", "role", *SCOPES)


class RoleError(ApplicationError):
    """A role given without the scope it needs, or with one it does not use."""


def _validated(assignment: RoleAssignment) -> None:
    try:
        assignment.full_clean()
    except ValidationError as error:
        raise RoleError(" ".join(error.messages)) from error


def _group_name(role: str) -> str:
    with translation.override("da"):
        return str(Role(role).label)


def _sync_group(user: Any, role: str) -> None:
    """The user keeps the role's group while any live assignment of that role remains."""
    group, _created = Group.objects.get_or_create(name=_group_name(role))
    if RoleAssignment.objects.filter(user=user, role=role).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)
    forget_grants(user)


@transaction.atomic
def role_assignment_create(*, actor: Any, user: Any, role: str, **scope: Any) -> RoleAssignment:
    """Give ``user`` a ``role`` with its scope (``department``, ``unit`` or ``organization``,
    as ``models.ROLE_SCOPE`` says); ``actor`` is the administrator doing it."""
    require(actor, "role.manage")
    unknown = set(scope) - set(SCOPES)
    if unknown:
        raise RoleError(_("Ukendte felter: %(names)s") % {"names": ", ".join(sorted(unknown))})
    assignment = RoleAssignment(user=user, role=role, **scope)
    _validated(assignment)
    assignment.save()
    _sync_group(user, role)
    audit_record(
        actor=actor,
        action="role.create",
        target=assignment,
        changes=changes_created(assignment, ROLE_FIELDS),
    )
    return assignment


@transaction.atomic
def role_assignment_update(
    *, assignment: RoleAssignment, actor: Any, changes: Mapping[str, Any]
) -> RoleAssignment:
    """Change the role, its scope or its holder; the groups of both roles are brought in
    line."""
    require(actor, "role.manage")
    unknown = set(changes) - set(ROLE_FIELDS)
    if unknown:
        raise RoleError(_("Ukendte felter: %(names)s") % {"names": ", ".join(sorted(unknown))})
    current = RoleAssignment.all_objects.select_for_update().get(pk=assignment.pk)
    before_user, before_role = current.user, current.role
    with audited(
        actor=actor,
        action="role.update",
        target=current,
        fields=ROLE_FIELDS,
        only_if_changed=True,
    ):
        for name, value in changes.items():
            setattr(current, name, value)
        _validated(current)
        current.save()
    _sync_group(before_user, before_role)
    _sync_group(current.user, current.role)
    return current


@transaction.atomic
def role_assignment_delete(*, assignment: RoleAssignment, actor: Any) -> None:
    """Take a role away (soft delete: the assignment stays in the history)."""
    require(actor, "role.manage")
    current = RoleAssignment.all_objects.select_for_update().get(pk=assignment.pk)
    if current.deleted:
        return
    with audited(actor=actor, action="role.delete", target=current, fields=["deleted_at"]):
        current.soft_delete()
    _sync_group(current.user, current.role)
