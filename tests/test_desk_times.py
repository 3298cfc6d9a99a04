"""Meeting times on the work pages and in the admin are Danish local time (defect 17).

Stored in UTC, a meeting at 9.00 in Copenhagen is 08:00 UTC in winter and 07:00 in summer;
printing the stored value unconverted shows it one or two hours early.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dagsorden.cases.models import CaseDocument
from dagsorden.meetings import services as meetings
from tests.roles import make_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "utc_clock"), [(dt.date(2031, 1, 16), "08:00"), (dt.date(2031, 6, 12), "07:00")]
)
def test_a_placed_case_shows_its_meeting_in_local_time(
    day: dt.date, utc_clock: str, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = make_world()
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(organization=world.forum, user=secretary, day=day)
    assert str(meeting) == f"Chefforum {day.isoformat()} 09:00"
    document = CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        organization=world.forum,
        headline="Telefontider",
        state=CaseDocument.State.SUBMITTED,
    )
    meetings.agenda_place_case(meeting=meeting, document=document, user=secretary)

    producer = Client()
    producer.force_login(world.users["producer"])
    overview = producer.get("/arbejde/").content.decode()
    assert f"{day.day}. " in overview and "09:00" in overview
    assert utc_clock not in overview
    case_page = producer.get(f"/arbejde/sager/{document.pk}/").content.decode()
    # The agenda line and the "placed" step of the case's history.
    assert case_page.count(f"Chefforum {day.isoformat()} 09:00") == 2
    assert utc_clock not in case_page

    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    change = admin.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert f"Chefforum {day.isoformat()} 09:00" in change
    assert f"{day.isoformat()} {utc_clock}" not in change
