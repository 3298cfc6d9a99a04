"""The admin writes through the services: the minutes lock holds there (locked fields are
read-only, a stale form is refused with the lock's message, actions are refused), every
change is audited, nothing is hard-deleted, and a change leaves public search at once."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.test import Client

from dagsorden.access.models import Role, RoleAssignment
from dagsorden.access.services import role_assignment_create
from dagsorden.core.models import AuditEvent
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting, Organization
from dagsorden.search.selectors import search_items
from tests.meeting_world import (
    audit_mark,
    audit_since,
    item_titled,
    meeting_in,
    superuser,
)
from tests.roles import World, make_world

pytestmark = pytest.mark.django_db

LOCK_MESSAGE = "Referatet er godkendt og låst"


class _FormFields(HTMLParser):
    """What a browser would send from the admin's change form, as it was rendered."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select, self._first_option = name, None
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self.data[self._select] and self._first_option is not None:
                self.data[self._select].append(self._first_option)
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {k: v if len(v) != 1 else v[0] for k, v in parser.data.items()}


def save(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, {**data, "_save": "Gem"}, follow=True)


def page_text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(superuser())
    return client


def item_url(item: AgendaItem) -> str:
    return f"/admin/meetings/agendaitem/{item.pk}/change/"


def meeting_url(meeting: Meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/change/"


def row(obj: Any) -> dict[str, Any]:
    fresh = type(obj).all_objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


def public_hits(query: str) -> set[int]:
    return {hit.entry.item_id for hit in search_items(query=query, user=AnonymousUser()).hits}


# --- The lock in the admin's forms


def test_approved_minutes_show_their_locked_fields_read_only(
    world: World, admin_client: Client
) -> None:
    approved = meeting_in(world, "approved")
    item = item_titled(approved, "Telefontider i Borgerservice")
    fields = form_data(admin_client, item_url(item))
    for name in ("title", "decision", "public", "occasion", "outcome", "case_type"):
        assert name not in fields
    assert "guests" in fields and "actual_start" in fields
    assert "attachments-0-name" not in fields and "attachments-0-order" in fields
    assert "attachments-0-DELETE" not in page_text(admin_client.get(item_url(item)))
    meeting_fields = form_data(admin_client, meeting_url(approved))
    assert "state" not in meeting_fields and "starts_at_0" not in meeting_fields
    assert "location" in meeting_fields


def test_a_form_opened_before_approval_is_refused_after_it(
    world: World, admin_client: Client
) -> None:
    ready = meeting_in(world, "ready")
    item = item_titled(ready, "Telefontider i Borgerservice")
    stale = form_data(admin_client, item_url(item))
    assert stale["decision"] == "Beslutningstekst."  # editable while not yet approved
    meetings.minutes_approve(meeting=ready, user=world.users["secretary"])
    before, mark = row(item), audit_mark()
    response = save(admin_client, item_url(item), {**stale, "decision": "Omskrevet."})
    assert response.status_code == 200
    assert LOCK_MESSAGE in page_text(response) and "beslutning" in page_text(response)
    assert row(item) == before and audit_since(mark) == []

    # The same stale form without a change to a locked field saves what it may.
    response = save(admin_client, item_url(item), {**stale, "guests": '["Bo"]'})
    assert LOCK_MESSAGE not in page_text(response)
    assert AgendaItem.objects.get(pk=item.pk).guests == ["Bo"]
    assert [(e.action, e.changes) for e in audit_since(mark)] == [
        ("item.update", {"guests": [[], ["Bo"]]})
    ]


def test_a_stale_form_cannot_close_an_approved_item(world: World, admin_client: Client) -> None:
    """Unticking a checkbox sends nothing: the other locked inputs show the form is stale."""
    ready = meeting_in(world, "ready")
    item = item_titled(ready, "Telefontider i Borgerservice")
    stale = form_data(admin_client, item_url(item))
    meetings.minutes_approve(meeting=ready, user=world.users["secretary"])
    stale.pop("public")
    response = save(admin_client, item_url(item), stale)
    assert LOCK_MESSAGE in page_text(response)
    assert AgendaItem.objects.get(pk=item.pk).public


def test_a_stale_attachment_row_is_refused(world: World, admin_client: Client) -> None:
    ready = meeting_in(world, "ready")
    item = item_titled(ready, "Telefontider i Borgerservice")
    stale = form_data(admin_client, item_url(item))
    meetings.minutes_approve(meeting=ready, user=world.users["secretary"])
    attachment = Attachment.objects.get(item=item)
    before, mark = row(attachment), audit_mark()
    response = save(admin_client, item_url(item), {**stale, "attachments-0-name": "Omdøbt"})
    assert LOCK_MESSAGE in page_text(response)
    assert row(attachment) == before and audit_since(mark) == []


def test_a_stale_meeting_form_cannot_leave_the_approved_state(
    world: World, admin_client: Client
) -> None:
    ready = meeting_in(world, "ready")
    stale = form_data(admin_client, meeting_url(ready))
    meetings.minutes_approve(meeting=ready, user=world.users["secretary"])
    before, mark = row(ready), audit_mark()
    response = save(admin_client, meeting_url(ready), {**stale, "state": "planned"})
    assert LOCK_MESSAGE in page_text(response) and "status" in page_text(response)
    assert row(ready) == before and audit_since(mark) == []


def test_a_service_refusal_during_save_changes_nothing(world: World, admin_client: Client) -> None:
    """The service's own check (here: the meeting was held) shows as an error, and the
    admin's transaction is rolled back, the item's other changes included."""
    ready = meeting_in(world, "ready")
    data = form_data(admin_client, meeting_url(ready))
    before, mark = row(ready), audit_mark()
    response = save(
        admin_client, meeting_url(ready), {**data, "state": "cancelled", "location": "Andetsteds"}
    )
    assert "Mødet er afholdt og kan ikke aflyses." in page_text(response)
    assert row(ready) == before and audit_since(mark) == []


# --- Actions and deletion


def test_actions_on_approved_minutes_are_refused(world: World, admin_client: Client) -> None:
    approved = meeting_in(world, "approved")
    item = item_titled(approved, "Telefontider i Borgerservice")
    before_item, before_meeting, mark = row(item), row(approved), audit_mark()
    for url, action, pk in (
        ("/admin/meetings/agendaitem/", "close", item.pk),
        ("/admin/meetings/agendaitem/", "soft_delete", item.pk),
        ("/admin/meetings/meeting/", "cancel", approved.pk),
    ):
        response = admin_client.post(url, {"action": action, "_selected_action": [pk]}, follow=True)
        assert response.status_code == 200
        assert LOCK_MESSAGE in page_text(response), action
    assert row(item) == before_item and row(approved) == before_meeting
    assert audit_since(mark) == []


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/admin/meetings/meeting/", Meeting),
        ("/admin/meetings/agendaitem/", AgendaItem),
        ("/admin/meetings/organization/", Organization),
        ("/admin/access/roleassignment/", RoleAssignment),
    ],
)
def test_no_hard_delete_is_offered(
    world: World, admin_client: Client, url: str, model: Any
) -> None:
    meeting_in(world, "published")
    obj = model.objects.order_by("pk").first()
    listing = page_text(admin_client.get(url))
    assert 'value="delete_selected"' not in listing and 'name="action"' in listing
    assert admin_client.get(f"{url}{obj.pk}/delete/").status_code == 403
    assert admin_client.post(f"{url}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_soft_deleting_a_meeting_and_a_forum(world: World, admin_client: Client) -> None:
    published = meeting_in(world, "published")
    assert public_hits("Telefontider")
    admin_client.post(
        "/admin/meetings/meeting/", {"action": "soft_delete", "_selected_action": [published.pk]}
    )
    assert Meeting.all_objects.get(pk=published.pk).deleted
    assert public_hits("Telefontider") == set()
    admin_client.post(
        "/admin/meetings/organization/",
        {"action": "soft_delete", "_selected_action": [world.other_forum.pk]},
    )
    assert Organization.all_objects.get(pk=world.other_forum.pk).deleted
    assert [e.action for e in AuditEvent.objects.order_by("pk")][-2:] == [
        "meeting.delete",
        "forum.delete",
    ]


def test_cancelling_and_unpublishing_in_the_admin(world: World, admin_client: Client) -> None:
    published = meeting_in(world, "published")
    item = item_titled(published, "Telefontider i Borgerservice")
    assert item.pk in public_hits("Telefontider")
    data = form_data(admin_client, meeting_url(published))
    save(admin_client, meeting_url(published), {**data, "state": "planned"})
    assert Meeting.objects.get(pk=published.pk).state == "planned"
    assert public_hits("Telefontider") == set()
    admin_client.post(
        "/admin/meetings/meeting/", {"action": "cancel", "_selected_action": [published.pk]}
    )
    assert Meeting.objects.get(pk=published.pk).state == "cancelled"
    steps = AuditEvent.objects.filter(action__in=["meeting.update", "meeting.cancel"])
    assert [(e.action, e.changes["state"]) for e in steps.order_by("pk")] == [
        ("meeting.update", ["agenda_published", "planned"]),
        ("meeting.cancel", ["planned", "cancelled"]),
    ]


def test_adding_a_meeting_in_the_admin_uses_the_forums_defaults(
    world: World, admin_client: Client
) -> None:
    data = form_data(admin_client, "/admin/meetings/meeting/add/")
    response = admin_client.post(
        "/admin/meetings/meeting/add/",
        {
            **data,
            "organization": world.forum.pk,
            "starts_at_0": "2031-05-01",
            "starts_at_1": "09:00",
            "ends_at_0": "2031-05-01",
            "ends_at_1": "12:00",
            "location": "",
            "_save": "Gem",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get(organization=world.forum)
    assert [i.title for i in meetings.agenda_items(meeting)] == [
        meetings.APPROVAL_TITLE,
        meetings.AOB_TITLE,
    ]
    assert meeting.location == "Mødelokale 1"
    assert AuditEvent.objects.get(target_id=meeting.pk).action == "meeting.create"


# --- From the admin to public search, in the same transaction


def test_closing_an_item_in_the_admin_removes_it_from_public_search(
    world: World, admin_client: Client
) -> None:
    published = meeting_in(world, "published")
    item = item_titled(published, "Telefontider i Borgerservice")
    assert item.pk in public_hits("Telefontider")
    data = form_data(admin_client, item_url(item))
    data.pop("public")  # unticked
    response = save(admin_client, item_url(item), data)
    assert response.status_code == 200 and LOCK_MESSAGE not in page_text(response)
    assert not AgendaItem.objects.get(pk=item.pk).public
    assert item.pk not in public_hits("Telefontider")
    event = AuditEvent.objects.filter(action="item.update").get()
    assert event.changes == {"public": [True, False]} and event.actor_label == "root"


def test_the_close_action_removes_items_from_public_search(
    world: World, admin_client: Client
) -> None:
    published = meeting_in(world, "published")
    item = item_titled(published, "Telefontider i Borgerservice")
    assert item.pk in public_hits("Telefontider")
    admin_client.post(
        "/admin/meetings/agendaitem/", {"action": "close", "_selected_action": [item.pk]}
    )
    assert item.pk not in public_hits("Telefontider")


def test_hiding_an_attachment_in_the_admin_removes_its_name_from_public_search(
    world: World, admin_client: Client
) -> None:
    published = meeting_in(world, "published")
    item = item_titled(published, "Telefontider i Borgerservice")
    assert public_hits("zebrafinke") == {item.pk}
    data = form_data(admin_client, item_url(item))
    assert data["attachments-0-name"] == "Bilagsliste zebrafinke"
    data.pop("attachments-0-public")
    save(admin_client, item_url(item), data)
    assert not Attachment.objects.get(item=item).public
    assert public_hits("zebrafinke") == set()
    assert item.pk in public_hits("Telefontider")  # the item itself stays public
    event = AuditEvent.objects.get(action="attachment.update")
    assert event.changes == {"public": [True, False]}


# --- Roles through the admin


def test_roles_are_given_changed_and_removed_through_the_services(
    world: World, admin_client: Client
) -> None:
    member = world.users["member"]
    response = admin_client.post(
        "/admin/access/roleassignment/add/",
        {"user": member.pk, "role": Role.SECRETARY, "organization": world.forum.pk, "_save": "Gem"},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=member, role=Role.SECRETARY)
    url = f"/admin/access/roleassignment/{assignment.pk}/change/"
    data = form_data(admin_client, url)
    save(admin_client, url, {**data, "organization": world.other_forum.pk})
    admin_client.post(
        "/admin/access/roleassignment/",
        {"action": "revoke", "_selected_action": [assignment.pk]},
    )
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    trail = AuditEvent.objects.filter(target_id=assignment.pk, target_type="access.roleassignment")
    assert [e.action for e in trail.order_by("pk")] == ["role.create", "role.update", "role.delete"]
    refused = admin_client.post(
        "/admin/access/roleassignment/add/",
        {"user": member.pk, "role": Role.SECRETARY, "_save": "Gem"},
    )
    assert refused.status_code == 200 and "Rollen kræver dette felt." in page_text(refused)


# --- The audit trail's pages


def test_the_audit_trail_is_read_only(world: World, admin_client: Client) -> None:
    meeting_in(world, "approved")
    event = AuditEvent.objects.filter(action="minutes.approve").get()
    listing = admin_client.get("/admin/core/auditevent/")
    assert listing.status_code == 200
    text = page_text(listing)
    assert "minutes.approve" in text and "Referat godkendt" in text and "→" in text
    assert "+00:00" not in text  # stored times are shown in Copenhagen time, not as ISO text
    assert '<td class="field-kind">møde</td>' in text  # the kind of row in the model's words
    detail = admin_client.get(f"/admin/core/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in page_text(detail) and "Referat godkendt" in page_text(detail)
    assert admin_client.get("/admin/core/auditevent/add/").status_code == 403
    assert admin_client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    response = admin_client.post(
        f"/admin/core/auditevent/{event.pk}/change/", {"action": "x", "note": "rettet"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_the_audit_trail_filters_and_searches(world: World, admin_client: Client) -> None:
    meeting_in(world, "approved")
    by_action = admin_client.get("/admin/core/auditevent/?action=minutes.approve")
    assert by_action.context["cl"].result_count == 1
    by_actor = admin_client.get("/admin/core/auditevent/?q=secretary")
    assert by_actor.context["cl"].result_count == AuditEvent.objects.count()
    listing = admin_client.get("/admin/core/auditevent/")
    [dates] = [f for f in listing.context["cl"].filter_specs if f.title == "tidspunkt"]
    today = list(dates.choices(listing.context["cl"]))[1]  # "I dag"
    by_date = admin_client.get(f"/admin/core/auditevent/{today['query_string']}")
    assert by_date.context["cl"].result_count == AuditEvent.objects.count()
    nothing = admin_client.get(
        "/admin/core/auditevent/?created__gte=2000-01-01+00:00:00%2B01:00"
        "&created__lt=2000-01-02+00:00:00%2B01:00"
    )
    assert nothing.context["cl"].result_count == 0
    odd = admin_client.get(
        "/admin/core/auditevent/?target=meetings.meeting:²,x:99999999999999999999"
    )
    assert odd.status_code == 200 and odd.context["cl"].result_count == 0


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("meeting", {"meeting.create", "agenda.publish", "agenda.place_case"}),
        ("item", {"agenda.place_case", "attachment.update"}),
        ("case document", {"case.place"}),
        ("role assignment", {"role.create"}),
    ],
)
def test_history_links_lead_to_the_rows_trail(
    world: World, admin_client: Client, kind: str, expected: set[str]
) -> None:
    root = User.objects.get(username="root")
    meeting = meeting_in(world, "published")
    item = item_titled(meeting, "Telefontider i Borgerservice")
    meetings.attachment_update(
        attachment=Attachment.objects.get(item=item), user=root, changes={"order": 2}
    )
    assignment = role_assignment_create(
        actor=root, user=world.users["member"], role=Role.SECRETARY, organization=world.forum
    )
    document = item.case_documents.get()
    obj, url = {
        "meeting": (meeting, meeting_url(meeting)),
        "item": (item, item_url(item)),
        "case document": (document, f"/admin/cases/casedocument/{document.pk}/change/"),
        "role assignment": (assignment, f"/admin/access/roleassignment/{assignment.pk}/change/"),
    }[kind]
    page = page_text(admin_client.get(url))
    assert "Historik" in page
    start = page.index("/admin/core/auditevent/?target=")
    link = page[start : page.index('"', start)].replace("&amp;", "&")
    shown = list(admin_client.get(link).context["cl"].result_list)
    assert {e.action for e in shown} == expected
    label = obj._meta.label_lower
    assert all(e.target_id == obj.pk for e in shown if e.target_type == label)


def test_only_administrators_see_the_audit_trail(world: World) -> None:
    meeting_in(world, "planned")
    secretary = world.users["secretary"]
    secretary.is_staff = True
    secretary.save()
    secretary.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="core", codename__endswith="auditevent")
    )
    client = Client()
    client.force_login(secretary)
    assert client.get("/admin/core/auditevent/").status_code == 403
    assert "auditevent" not in page_text(client.get("/admin/"))

    administrator = world.users["administrator"]  # the role, not a superuser
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert "/admin/core/auditevent/" in page_text(client.get("/admin/"))

    anonymous = Client().get("/admin/core/auditevent/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_admins_history_button_opens_the_audit_trail(
    world: World, admin_client: Client
) -> None:
    meeting = meeting_in(world, "planned")
    response = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/history/")
    assert response.status_code == 302
    assert response["Location"].startswith(
        f"/admin/core/auditevent/?target=meetings.meeting:{meeting.pk},"
    )


def test_the_change_page_title_shows_copenhagen_time(world: World, admin_client: Client) -> None:
    """09:00 in Copenhagen is 08:00 UTC in March: the title must not show the UTC hour."""
    meeting = meeting_in(world, "planned")
    page = page_text(admin_client.get(meeting_url(meeting)))
    assert "Chefforum 2021-03-11 09:00" in page and "2021-03-11 08:00" not in page
