"""Who may do what: the one place every view, command and API asks.

Roles come from ``RoleAssignment`` rows (see models.py). A user's grants are read once per
request and kept on the user object. Anonymous visitors hold no grants: they read what the
visibility gate in ``meetings/selectors.py`` lets the public read, nothing else.

    case producer    writes and submits own drafts (own department)
    unit leader      reviews the unit's cases when the department asks for it
    department head  approves the department's cases, or returns them
    secretary        per forum: receives cases, builds agendas, writes and approves minutes
    member           per forum: reads everything of the forum, closed items included
    administrator    everything, and alone: the admin's edits, deletion, roles, audit trail
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from dagsorden.access.models import Role, RoleAssignment

_CACHE_ATTRIBUTE = "_dagsorden_grants"


@dataclass(frozen=True)
class Grants:
    administrator: bool = False
    producer_departments: frozenset[int] = frozenset()
    unit_leader_units: frozenset[int] = frozenset()
    head_departments: frozenset[int] = frozenset()
    secretary_forums: frozenset[int] = frozenset()
    member_forums: frozenset[int] = frozenset()

    @property
    def reader_forums(self) -> frozenset[int]:
        """Forums whose closed items and draft minutes this user reads."""
        return self.secretary_forums | self.member_forums

    @property
    def staff(self) -> bool:
        """Holds any role at all: may use the work pages (/arbejde/)."""
        return self.administrator or any(
            (
                self.producer_departments,
                self.unit_leader_units,
                self.head_departments,
                self.secretary_forums,
                self.member_forums,
            )
        )


NO_GRANTS = Grants()


class CommandLineOperator:
    """Whoever runs the ``dagsorden`` command on the server: an administrator (they hold
    the database anyway). The commands use it only when asked for the internal version
    (``--internal``, ``--staff``); their default is what an anonymous visitor reads."""

    is_authenticated = True
    is_superuser = True
    is_staff = True
    is_active = True
    pk = None

    def get_username(self) -> str:
        return "command line"

    def __str__(self) -> str:
        return self.get_username()


OPERATOR = CommandLineOperator()


def grants_for(user: Any) -> Grants:
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_GRANTS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    grants = NO_GRANTS if getattr(user, "pk", None) is None else _read_grants(user)
    if getattr(user, "is_superuser", False):
        grants = Grants(**{**grants.__dict__, "administrator": True})
    with contextlib.suppress(AttributeError):  # an immutable stand-in user
        setattr(user, _CACHE_ATTRIBUTE, grants)
    return grants


def forget_grants(user: Any) -> None:
    """After a role changes during the same request (tests, the admin)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _read_grants(user: Any) -> Grants:
    scopes: dict[str, set[int]] = {role: set() for role in Role.values}
    administrator = False
    rows = RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role", "department_id", "unit_id", "organization_id"
    )
    for role, department_id, unit_id, organization_id in rows:
        if role == Role.ADMINISTRATOR:
            administrator = True
        scope: int | None = {
            Role.CASE_PRODUCER: department_id,
            Role.UNIT_LEADER: unit_id,
            Role.DEPARTMENT_HEAD: department_id,
            Role.SECRETARY: organization_id,
            Role.MEMBER: organization_id,
        }.get(Role(role))
        if scope is not None:
            scopes[role].add(scope)
    return Grants(
        administrator=administrator,
        producer_departments=frozenset(scopes[Role.CASE_PRODUCER]),
        unit_leader_units=frozenset(scopes[Role.UNIT_LEADER]),
        head_departments=frozenset(scopes[Role.DEPARTMENT_HEAD]),
        secretary_forums=frozenset(scopes[Role.SECRETARY]),
        member_forums=frozenset(scopes[Role.MEMBER]),
    )


# --- Reading the archive (used by the visibility gate)


def sees_everything(user: Any) -> bool:
    return grants_for(user).administrator


def reads_closed_items_of(user: Any, organization_id: int) -> bool:
    grants = grants_for(user)
    return grants.administrator or organization_id in grants.reader_forums


def reads_unpublished_meetings_of(user: Any, organization_id: int) -> bool:
    grants = grants_for(user)
    return grants.administrator or organization_id in grants.secretary_forums


# --- Actions. Each takes (grants, user, object) and answers yes or no.


def _case_document_readable(grants: Grants, user: Any, document: Any) -> bool:
    if grants.administrator or document.author_id == user.pk:
        return True
    if document.department_id in grants.head_departments:
        return document.state != document.State.DRAFT
    if document.unit_id is not None and document.unit_id in grants.unit_leader_units:
        return document.state != document.State.DRAFT
    # The secretariat sees a case once it has reached it.
    return document.organization_id in grants.secretary_forums and document.state in (
        document.State.SUBMITTED,
        document.State.PLACED,
    )


def _case_write(grants: Grants, user: Any, department: Any) -> bool:
    department_id = getattr(department, "pk", department)
    return grants.administrator or department_id in grants.producer_departments


def _case_edit(grants: Grants, user: Any, document: Any) -> bool:
    own = document.author_id == user.pk and document.department_id in grants.producer_departments
    return document.editable and (own or grants.administrator)


def _case_review(grants: Grants, user: Any, document: Any) -> bool:
    return document.state == document.State.UNIT_REVIEW and (
        grants.administrator or document.unit_id in grants.unit_leader_units
    )


def _case_approve(grants: Grants, user: Any, document: Any) -> bool:
    return document.state == document.State.DEPARTMENT_REVIEW and (
        grants.administrator or document.department_id in grants.head_departments
    )


def _case_return(grants: Grants, user: Any, document: Any) -> bool:
    """Whoever holds the case at its current step may send it back."""
    return (
        _case_review(grants, user, document)
        or _case_approve(grants, user, document)
        or (
            document.state == document.State.SUBMITTED
            and (grants.administrator or document.organization_id in grants.secretary_forums)
        )
    )


def _case_place(grants: Grants, user: Any, document: Any) -> bool:
    return document.state == document.State.SUBMITTED and (
        grants.administrator or document.organization_id in grants.secretary_forums
    )


def _forum_secretary(grants: Grants, user: Any, organization: Any) -> bool:
    organization_id = getattr(organization, "pk", organization)
    return grants.administrator or organization_id in grants.secretary_forums


def _meeting_secretary(grants: Grants, user: Any, meeting: Any) -> bool:
    return _forum_secretary(grants, user, meeting.organization_id)


def _meeting_assemble(grants: Grants, user: Any, meeting: Any) -> bool:
    open_states = (meeting.State.PLANNED, meeting.State.AGENDA_PUBLISHED)
    return meeting.state in open_states and _meeting_secretary(grants, user, meeting)


def _meeting_minutes(grants: Grants, user: Any, meeting: Any) -> bool:
    writable = (meeting.State.AGENDA_PUBLISHED, meeting.State.HELD)
    return meeting.state in writable and _meeting_secretary(grants, user, meeting)


def _meeting_amend(grants: Grants, user: Any, meeting: Any) -> bool:
    return meeting.minutes_locked and _meeting_secretary(grants, user, meeting)


def _administrator(grants: Grants, user: Any, obj: Any) -> bool:
    """The administration (/admin/): edits outside the workflow, deletion, roles, the audit
    trail. The services behind it still hold the domain's rules (the minutes lock)."""
    return grants.administrator


def _meeting_read(grants: Grants, user: Any, meeting: Any) -> bool:
    if meeting.is_published:
        return True
    return grants.administrator or meeting.organization_id in grants.secretary_forums


ACTIONS: dict[str, Callable[[Grants, Any, Any], bool]] = {
    "workspace.use": lambda grants, user, _: grants.staff,
    "case.create": _case_write,
    "case.read": _case_document_readable,
    "case.edit": _case_edit,
    "case.submit": _case_edit,
    "case.fast_track": _case_edit,
    "case.review": _case_review,
    "case.approve": _case_approve,
    "case.return": _case_return,
    "case.place": _case_place,
    "forum.manage": _forum_secretary,
    "meeting.create": _forum_secretary,
    "meeting.read": _meeting_read,
    "meeting.assemble": _meeting_assemble,
    "meeting.publish": _meeting_assemble,
    "meeting.minutes": _meeting_minutes,
    "meeting.approve_minutes": _meeting_minutes,
    "meeting.amend": _meeting_amend,
    # Whether the meeting may still be cancelled is the service's rule (meeting_cancel).
    "meeting.cancel": _meeting_secretary,
    "meeting.edit": _administrator,
    "meeting.delete": _administrator,
    "forum.delete": _administrator,
    "role.manage": _administrator,
    "audit.read": _administrator,
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    """``can(request.user, "case.approve", document)``; an unknown action is an error."""
    rule = ACTIONS[action]
    grants = grants_for(user)
    if grants is NO_GRANTS and action != "meeting.read":
        return False
    return rule(grants, user, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)
