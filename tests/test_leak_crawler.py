"""Issue 9: the leak crawler. Every role reads every output; nothing appears where the role
may not read it. Then the archive changes through each writer (the admin, the importer, a
script's plain update, the work pages, soft deletion) and everything is read again.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dagsorden.documents.contract import Document, Item
from dagsorden.importers.services import document_import
from dagsorden.meetings import services as meetings
from dagsorden.meetings.models import AgendaItem, Meeting
from tests.leaks import (
    EVERYONE,
    READERS,
    ROLES,
    SECRETARIES,
    command_line_outputs,
    leaks,
    plant,
    reached,
    read_everything,
)
from tests.roles import make_world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Who may read each secret, written out by hand (the oracle).
ALLOWED = {
    "zqoffentlig": EVERYONE,
    "zqvedlagt": EVERYONE,
    "zqvedlagtindhold": EVERYONE,
    "zqbilag": READERS,
    "zqbilagindhold": READERS,
    "zqlukket": READERS,
    "zqlukketbeslutning": READERS,
    "zqplanlagt": SECRETARIES,
    "zqaflyst": SECRETARIES,
    "zqafholdt": EVERYONE,
    "zqudkast": SECRETARIES,
    "zqandet": frozenset({"administrator", "other_secretary"}),
    "zqkladde": frozenset({"administrator", "producer"}),
}
# Secrets each role must actually reach: the crawl is not vacuous.
MUST_REACH = {
    "anonymous": ("zqoffentlig", "zqvedlagtindhold", "zqafholdt"),
    "member": ("zqlukket", "zqbilag", "zqbilagindhold", "zqlukketbeslutning"),
    "secretary": ("zqplanlagt", "zqaflyst", "zqudkast", "zqlukket"),
    "other_secretary": ("zqandet",),
    "producer": ("zqkladde",),
    "administrator": ("zqplanlagt", "zqandet", "zqlukket"),
}


def check_everyone(world, planted, allowed: dict[str, frozenset[str]]) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for role in ROLES:
        found = read_everything(world, planted, role)
        problems += leaks(found, allowed, role)
        for word in MUST_REACH.get(role, ()):
            if role in allowed[word]:
                assert reached(found, word), f"{role} never reached {word}"
    problems += leaks(command_line_outputs(planted), allowed, "anonymous")
    assert not problems, "\n".join(problems[:20])


def test_nothing_leaks_before_and_after_each_writer(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    world = make_world()
    planted = plant(world)
    allowed = dict(ALLOWED)
    check_everyone(world, planted, allowed)

    # The admin closes the open item (a superuser's change form, as a secretariat would).
    admin = User.objects.create_superuser("superbruger", "s@example.org", "superhemmelig-42")
    client = Client()
    client.force_login(admin)
    shown = AgendaItem.objects.get(meeting=planted.meetings["approved"], number=1)
    page = client.get(f"/admin/meetings/agendaitem/{shown.pk}/change/")
    assert page.status_code == 200
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list | dict)
    }
    form = page.context["adminform"].form
    post = {name: form[name].value() for name in form.fields}
    post = {k: ("" if v is None else v) for k, v in post.items() if not isinstance(v, list | dict)}
    post.update({k: v for k, v in data.items() if k not in post})
    post["public"] = ""  # unticked: closed
    for name, value in list(post.items()):
        if isinstance(value, bool):
            post[name] = "on" if value else ""
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            post[f"{management.prefix}-{name}"] = management[name].value()
        for index, inline in enumerate(formset.formset.forms):
            for name in inline.fields:
                value = inline[name].value()
                if value is not None and not isinstance(value, list | dict):
                    key = f"{formset.formset.prefix}-{index}-{name}"
                    post[key] = ("on" if value else "") if isinstance(value, bool) else value
    response = client.post(f"/admin/meetings/agendaitem/{shown.pk}/change/", post)
    assert response.status_code in (200, 302)
    shown.refresh_from_db()
    if not shown.public:  # the admin may refuse (approved minutes are locked): no leak either way
        for word in ("zqoffentlig", "zqvedlagt", "zqvedlagtindhold"):
            allowed[word] = READERS
    check_everyone(world, planted, allowed)

    # The importer brings minutes with a closed item.
    document = Document(
        kind="minutes",
        forum=world.forum.name,
        starts_at="2021-05-06T09:00",
        location="Mødelokale 915",
        items=(
            Item(number=1, title="Zqimporteret åbent punkt", decision="Godkendt."),
            Item(number=2, title="Zqimporteretlukket punkt", public=False, decision="Godkendt."),
        ),
    )
    document_import(document=document, source_name="import.txt", sha512="0" * 128)
    planted.meetings["imported"] = Meeting.objects.get(starts_at__year=2021)
    planted.words += ("zqimporteret", "zqimporteretlukket")
    allowed.update(zqimporteret=EVERYONE, zqimporteretlukket=READERS)
    check_everyone(world, planted, allowed)

    # A script closes the imported open item with a plain queryset update (no service, no
    # re-index): the cached public pages and files must not keep showing it.
    AgendaItem.objects.filter(title="Zqimporteret åbent punkt").update(public=False)
    allowed["zqimporteret"] = READERS
    check_everyone(world, planted, allowed)

    # The work pages: the secretary publishes the planned meeting.
    meetings.agenda_publish(meeting=planned(planted), user=world.users["secretary"])
    allowed["zqplanlagt"] = EVERYONE
    check_everyone(world, planted, allowed)

    # Soft deletion: the approved meeting goes; nobody reads it on any page again.
    planted.meetings["approved"].soft_delete()
    gone = frozenset[str]()
    for word in ("zqoffentlig", "zqvedlagt", "zqvedlagtindhold", "zqbilag", "zqbilagindhold"):
        allowed[word] = gone
    allowed.update(zqlukket=gone, zqlukketbeslutning=gone)
    check_everyone(world, planted, allowed)


def planned(planted) -> Meeting:  # type: ignore[no-untyped-def]
    meeting = planted.meetings["planned"]
    meeting.refresh_from_db()
    return meeting
