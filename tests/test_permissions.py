"""The permission matrix: every role against every page and action of the workflow.

For each (action, role) pair the world is built afresh; an allowed action must work (its
effect is checked in the database), any other must be refused (a login redirect, 403 or 404)
and leave nothing changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from dagsorden.access.models import Role, RoleAssignment
from dagsorden.access.services import role_assignment_create
from dagsorden.cases.models import CaseDocument
from dagsorden.core.errors import ApplicationError
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Amendment, Meeting, Organization
from tests.roles import ROLE_NAMES, World, make_world

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", *ROLE_NAMES)
State = CaseDocument.State
DAY = dt.date(2021, 3, 11)  # in the past: minutes are written once a meeting has begun


def case_in(world: World, state: str, **fields: Any) -> CaseDocument:
    return CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        unit=world.unit,
        organization=world.forum,
        headline=fields.pop("headline", "Telefontider i Borgerservice"),
        case_type="Drøftelse",
        journal_number="00.01.00-P35-9-24",
        occasion="Borgerne har bedt om længere telefontider.",
        presentation=[{"kind": "paragraph", "text": "I dag er der åbent om formiddagen."}],
        state=state,
        **fields,
    )


def meeting_in(world: World, state: str) -> Meeting:
    """A meeting of the forum with one open and one closed case item, in ``state``."""
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(organization=world.forum, user=secretary, day=DAY)
    open_case = case_in(world, State.SUBMITTED, headline="Åben sag om telefontider")
    closed_case = case_in(
        world,
        State.SUBMITTED,
        headline="Lukket personalesag",
        public=False,
        closed_reason="Personsag",
    )
    meetings.agenda_place_case(meeting=meeting, document=open_case, user=secretary)
    closed = meetings.agenda_place_case(meeting=meeting, document=closed_case, user=secretary)
    AgendaItem.objects.filter(pk=closed.pk).update(occasion="Fortroligt indhold om en medarbejder.")
    if state == "planned":
        return meeting
    meetings.agenda_publish(meeting=meeting, user=secretary)
    if state == "published":
        return meeting
    for item in meetings.agenda_items(meeting):
        meetings.minutes_record(
            item=item, user=secretary, outcome="noted", decision="Beslutningstekst."
        )
    meetings.minutes_send_for_approval(meeting=meeting, user=secretary)
    if state == "ready":
        return meeting
    meetings.minutes_approve(meeting=meeting, user=secretary)
    return meeting


def item_of(meeting: Meeting, title: str) -> AgendaItem:
    return AgendaItem.objects.get(meeting=meeting, title=title)


def state_of(document: CaseDocument) -> str:
    document.refresh_from_db()
    return document.state


@dataclass(frozen=True)
class Check:
    """Set up, act as the role, and tell whether the action took effect."""

    setup: Callable[[World], Any]
    act: Callable[[Client, Any], Any]
    took_effect: Callable[[Any, Any], bool]  # (context, response)
    allowed: frozenset[str]


def only(*roles: str) -> frozenset[str]:
    return frozenset(roles)


PRODUCER = only("producer", "administrator")
SECRETARY = only("secretary", "administrator")
STAFF = frozenset(ROLES) - {"anonymous"}
DRAFT_DATA = {
    "headline": "Ny overskrift",
    "case_type": "Drøftelse",
    "journal_number": "00.01.00-P35-9-24",
    "public": "1",
    "occasion": "Anledning.",
    "presentation": "Tekst.",
}


def _edit_draft(client: Client, document: CaseDocument) -> Any:
    return client.post(
        f"/arbejde/sager/{document.pk}/",
        {**DRAFT_DATA, "organization": document.organization_id},
    )


def _flow(action: str, **extra: str) -> Callable[[Client, CaseDocument], Any]:
    def act(client: Client, document: CaseDocument) -> Any:
        return client.post(f"/arbejde/sager/{document.pk}/handling/", {"action": action, **extra})

    return act


@dataclass(frozen=True)
class _Refused:
    status_code: int = 403


def _service(call: Callable[[Any, Any], Any]) -> Callable[[Client, Any], Any]:
    """Act through a service as the client's signed-in user (steps no work page offers:
    the admin's edits, deletion, roles); a refusal stands in for a 403."""

    def act(client: Client, context: Any) -> Any:
        user_id = client.session.get("_auth_user_id")
        user = User.objects.get(pk=user_id) if user_id else AnonymousUser()
        try:
            return call(user, context)
        except (PermissionDenied, ApplicationError):
            return _Refused()

    return act


def _all_staff(world: World) -> World:
    """Everyone may enter /admin/: what each sees there is then the rules' decision alone."""
    User.objects.filter(pk__in=[u.pk for u in world.users.values()]).update(is_staff=True)
    return world


def _page(url: Callable[[Any], str], text: str | None = None) -> Check:
    """Reading a page: allowed means 200 (and ``text`` shown)."""

    def took_effect(context: Any, response: Any) -> bool:
        ok = response.status_code == 200
        return ok and (text is None or text in response.content.decode())

    return Check(lambda world: world, lambda client, ctx: client.get(url(ctx)), took_effect, STAFF)


CHECKS: dict[str, Check] = {
    "page: overview": Check(
        lambda world: None,
        lambda client, _: client.get("/arbejde/"),
        lambda _, response: response.status_code == 200,
        STAFF,
    ),
    "page: new case": Check(
        lambda world: None,
        lambda client, _: client.get("/arbejde/sager/ny/"),
        lambda _, response: response.status_code == 200,
        only("producer", "other_producer", "administrator"),
    ),
    "page: own draft": Check(
        lambda world: case_in(world, State.DRAFT),
        lambda client, doc: client.get(f"/arbejde/sager/{doc.pk}/"),
        lambda _, response: response.status_code == 200,
        PRODUCER,
    ),
    "page: case at the department head": Check(
        lambda world: case_in(world, State.DEPARTMENT_REVIEW),
        lambda client, doc: client.get(f"/arbejde/sager/{doc.pk}/"),
        lambda _, response: response.status_code == 200,
        only("producer", "unit_leader", "head", "administrator"),
    ),
    "page: case at the secretariat": Check(
        lambda world: case_in(world, State.SUBMITTED),
        lambda client, doc: client.get(f"/arbejde/sager/{doc.pk}/"),
        lambda _, response: response.status_code == 200,
        only("producer", "unit_leader", "head", "secretary", "administrator"),
    ),
    "page: new meeting": Check(
        lambda world: None,
        lambda client, _: client.get("/arbejde/moeder/nyt/"),
        lambda _, response: response.status_code == 200,
        only("secretary", "other_secretary", "administrator"),
    ),
    "page: agenda builder": Check(
        lambda world: meeting_in(world, "planned"),
        lambda client, meeting: client.get(f"/arbejde/moeder/{meeting.pk}/"),
        lambda _, response: response.status_code == 200,
        SECRETARY,
    ),
    "page: minutes": Check(
        lambda world: meeting_in(world, "published"),
        lambda client, meeting: client.get(f"/arbejde/moeder/{meeting.pk}/referat/"),
        lambda _, response: response.status_code == 200,
        SECRETARY,
    ),
    "read: unpublished agenda": Check(
        lambda world: meeting_in(world, "planned"),
        lambda client, _: client.get(f"/chefforum/{DAY.isoformat()}/"),
        lambda _, response: response.status_code == 200,
        SECRETARY,
    ),
    "read: closed item of a published agenda": Check(
        lambda world: meeting_in(world, "published"),
        lambda client, _: client.get(f"/chefforum/{DAY.isoformat()}/"),
        lambda _, r: "Fortroligt indhold" in r.content.decode(),
        only("secretary", "member", "administrator"),
    ),
    "read: open item of a published agenda": Check(
        lambda world: meeting_in(world, "published"),
        lambda client, _: client.get(f"/chefforum/{DAY.isoformat()}/"),
        lambda _, r: "Åben sag om telefontider" in r.content.decode(),
        frozenset(ROLES),
    ),
    "read: minutes sent for approval": Check(
        lambda world: meeting_in(world, "ready"),
        lambda client, _: client.get(f"/chefforum/{DAY.isoformat()}/"),
        lambda _, r: "Beslutningstekst." in r.content.decode(),
        only("secretary", "member", "administrator"),
    ),
    "read: approved minutes": Check(
        lambda world: meeting_in(world, "approved"),
        lambda client, _: client.get(f"/chefforum/{DAY.isoformat()}/"),
        lambda _, r: "Beslutningstekst." in r.content.decode(),
        frozenset(ROLES),
    ),
    "case: create": Check(
        lambda world: world,
        lambda client, world: client.post(
            "/arbejde/sager/ny/",
            {
                "department": world.department.pk,
                "organization": world.forum.pk,
                "headline": "Ny sag",
            },
        ),
        lambda world, _: CaseDocument.objects.filter(headline="Ny sag").exists(),
        PRODUCER,
    ),
    "case: edit own draft": Check(
        lambda world: case_in(world, State.DRAFT),
        _edit_draft,
        lambda doc, _: CaseDocument.objects.get(pk=doc.pk).headline == "Ny overskrift",
        PRODUCER,
    ),
    "case: edit once submitted": Check(
        lambda world: case_in(world, State.DEPARTMENT_REVIEW),
        _edit_draft,
        lambda doc, _: CaseDocument.objects.get(pk=doc.pk).headline == "Ny overskrift",
        only(),
    ),
    "case: submit": Check(
        lambda world: case_in(world, State.DRAFT),
        _flow("submit"),
        lambda doc, _: state_of(doc) == State.DEPARTMENT_REVIEW,
        PRODUCER,
    ),
    "case: fast track": Check(
        lambda world: case_in(world, State.DRAFT),
        _flow("fast_track", reason="Frist i morgen."),
        lambda doc, _: state_of(doc) == State.SUBMITTED,
        PRODUCER,
    ),
    "case: unit leader review": Check(
        lambda world: case_in(world, State.UNIT_REVIEW),
        _flow("review"),
        lambda doc, _: state_of(doc) == State.DEPARTMENT_REVIEW,
        only("unit_leader", "administrator"),
    ),
    "case: approve": Check(
        lambda world: case_in(world, State.DEPARTMENT_REVIEW),
        _flow("approve"),
        lambda doc, _: state_of(doc) == State.SUBMITTED,
        only("head", "administrator"),
    ),
    "case: return from the head": Check(
        lambda world: case_in(world, State.DEPARTMENT_REVIEW),
        _flow("return", comment="Mangler tal."),
        lambda doc, _: state_of(doc) == State.RETURNED,
        only("head", "administrator"),
    ),
    "case: return from the secretariat": Check(
        lambda world: case_in(world, State.SUBMITTED),
        _flow("return", comment="Hører til et andet forum."),
        lambda doc, _: state_of(doc) == State.RETURNED,
        SECRETARY,
    ),
    "meeting: create": Check(
        lambda world: world,
        lambda client, world: client.post(
            "/arbejde/moeder/nyt/", {"organization": world.forum.pk, "day": DAY.isoformat()}
        ),
        lambda world, _: Meeting.objects.filter(organization=world.forum).exists(),
        SECRETARY,
    ),
    "meeting: place a case": Check(
        lambda world: (meeting_in(world, "planned"), case_in(world, State.SUBMITTED)),
        lambda client, ctx: client.post(
            f"/arbejde/moeder/{ctx[0].pk}/placer/", {"document": ctx[1].pk}
        ),
        lambda ctx, _: state_of(ctx[1]) == State.PLACED,
        SECRETARY,
    ),
    "meeting: move an item": Check(
        lambda world: meeting_in(world, "planned"),
        lambda client, meeting: client.post(
            f"/arbejde/moeder/{meeting.pk}/punkter/"
            f"{item_of(meeting, 'Lukket personalesag').pk}/flyt/",
            {"direction": "up"},
        ),
        lambda meeting, _: item_of(meeting, "Lukket personalesag").number == 2,
        SECRETARY,
    ),
    "meeting: publish the agenda": Check(
        lambda world: meeting_in(world, "planned"),
        lambda client, meeting: client.post(f"/arbejde/moeder/{meeting.pk}/offentliggoer/"),
        lambda meeting, _: Meeting.objects.get(pk=meeting.pk).state == "agenda_published",
        SECRETARY,
    ),
    "minutes: record a decision": Check(
        lambda world: meeting_in(world, "published"),
        lambda client, meeting: client.post(
            f"/arbejde/moeder/{meeting.pk}/referat/",
            {f"i{item_of(meeting, 'Eventuelt').pk}-outcome": "noted"},
        ),
        lambda meeting, _: item_of(meeting, "Eventuelt").decision == "Taget til efterretning.",
        SECRETARY,
    ),
    "minutes: send for approval": Check(
        lambda world: meeting_in(world, "published"),
        lambda client, meeting: (
            AgendaItem.objects.filter(meeting=meeting).update(decision="Drøftet."),
            client.post(f"/arbejde/moeder/{meeting.pk}/referat/", {"action": "ready"}),
        )[1],
        lambda meeting, _: Meeting.objects.get(pk=meeting.pk).minutes_ready_at is not None,
        SECRETARY,
    ),
    "minutes: approve": Check(
        lambda world: meeting_in(world, "ready"),
        lambda client, meeting: client.post(
            f"/arbejde/moeder/{meeting.pk}/referat/", {"action": "approve"}
        ),
        lambda meeting, _: Meeting.objects.get(pk=meeting.pk).state == "minutes_approved",
        SECRETARY,
    ),
    "minutes: amend approved minutes": Check(
        lambda world: meeting_in(world, "approved"),
        lambda client, meeting: client.post(
            f"/arbejde/moeder/{meeting.pk}/referat/punkter/{item_of(meeting, 'Eventuelt').pk}/ret/",
            {
                f"a{item_of(meeting, 'Eventuelt').pk}-field": "decision",
                f"a{item_of(meeting, 'Eventuelt').pk}-text": "Rettet tekst.",
                f"a{item_of(meeting, 'Eventuelt').pk}-reason": "Skrivefejl.",
            },
        ),
        lambda meeting, _: Amendment.objects.filter(item__meeting=meeting).exists(),
        SECRETARY,
    ),
    "minutes: change approved minutes directly": Check(
        lambda world: meeting_in(world, "approved"),
        lambda client, meeting: client.post(
            f"/arbejde/moeder/{meeting.pk}/referat/",
            {f"i{item_of(meeting, 'Eventuelt').pk}-outcome": "discussed"},
        ),
        lambda meeting, _: item_of(meeting, "Eventuelt").outcome == "discussed",
        only(),  # locked for everyone: corrections are amendments
    ),
    "service: cancel a meeting": Check(
        lambda world: meeting_in(world, "published"),
        _service(lambda user, meeting: meetings.meeting_cancel(meeting=meeting, user=user)),
        lambda meeting, _: Meeting.objects.get(pk=meeting.pk).state == "cancelled",
        SECRETARY,
    ),
    "service: edit an item outside the workflow": Check(
        lambda world: meeting_in(world, "published"),
        _service(
            lambda user, meeting: meetings.item_update(
                item=item_of(meeting, "Eventuelt"), user=user, changes={"public": False}
            )
        ),
        lambda meeting, _: not item_of(meeting, "Eventuelt").public,
        only("administrator"),
    ),
    "service: delete a meeting": Check(
        lambda world: meeting_in(world, "planned"),
        _service(lambda user, meeting: meetings.meeting_soft_delete(meeting=meeting, user=user)),
        lambda meeting, _: Meeting.all_objects.get(pk=meeting.pk).deleted,
        only("administrator"),
    ),
    "service: delete a forum": Check(
        lambda world: world,
        _service(
            lambda user, world: meetings.organization_soft_delete(
                organization=world.other_forum, user=user
            )
        ),
        lambda world, _: Organization.all_objects.get(pk=world.other_forum.pk).deleted,
        only("administrator"),
    ),
    "service: give a role": Check(
        lambda world: world,
        _service(
            lambda user, world: role_assignment_create(
                actor=user,
                user=world.users["member"],
                role=Role.SECRETARY,
                organization=world.forum,
            )
        ),
        lambda world, _: RoleAssignment.objects.filter(
            user=world.users["member"], role=Role.SECRETARY
        ).exists(),
        only("administrator"),
    ),
    "admin: read the audit trail": Check(
        _all_staff,
        lambda client, _: client.get("/admin/core/auditevent/"),
        lambda _, response: response.status_code == 200,
        only("administrator"),
    ),
}


def client_as(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CHECKS))
def test_permission_matrix(name: str, role: str, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    check = CHECKS[name]
    world = make_world()
    context = check.setup(world)
    response = check.act(client_as(world, role), context)
    worked = check.took_effect(context, response)
    if role in check.allowed:
        assert worked, f"{role} should be able to: {name} ({response.status_code})"
    else:
        assert not worked, f"{role} must not be able to: {name}"
        if name.startswith(("case:", "meeting:", "minutes:", "page:")):
            # Refused outright, or a form that does not offer another's forum or department.
            form_error = (
                response.status_code == 200 and 'class="errors"' in response.content.decode()
            )
            refused = response.status_code in (302, 403, 404) or form_error
            assert refused, f"{role}: {name} gave {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith("/log-ind/") or role != "anonymous"


def test_every_action_of_the_rules_is_in_the_matrix() -> None:
    """A new rule must come with its row here."""
    from dagsorden.access.rules import ACTIONS

    covered = {
        "workspace.use", "case.create", "case.read", "case.edit", "case.submit",
        "case.fast_track", "case.review", "case.approve", "case.return", "case.place",
        "forum.manage", "meeting.create", "meeting.read", "meeting.assemble",
        "meeting.publish", "meeting.minutes", "meeting.approve_minutes", "meeting.amend",
        "meeting.cancel", "meeting.edit", "meeting.delete", "forum.delete", "role.manage",
        "audit.read",
    }  # fmt: skip
    assert set(ACTIONS) == covered


def test_a_refused_action_changes_nothing() -> None:
    world = make_world()
    document = case_in(world, State.DEPARTMENT_REVIEW)
    before = (document.state, document.modified)
    client_as(world, "secretary").post(
        f"/arbejde/sager/{document.pk}/handling/", {"action": "approve"}
    )
    document.refresh_from_db()
    assert (document.state, document.modified) == before
    assert timezone.now() >= document.modified
