"""A small municipality with one user per role, for the workflow and permission tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from dagsorden.access.models import Department, Role, RoleAssignment, Unit
from dagsorden.meetings.models import Body, Membership, Organization, Person

PASSWORD = "korrekt-hest-batteri-9"  # test users only


@dataclass
class World:
    forum: Organization
    other_forum: Organization
    department: Department
    unit: Unit
    users: dict[str, Any]


ROLE_NAMES = (
    "producer",
    "unit_leader",
    "head",
    "secretary",
    "member",
    "administrator",
    "other_producer",
    "other_secretary",
)


def make_world(*, unit_review: bool = False) -> World:
    body = Body.objects.create(name="Eksempel Kommune")
    forum = Organization.objects.create(
        body=body,
        name="Chefforum",
        prefix="CF",
        slug="chefforum",
        default_start_time=dt.time(9, 0),
        default_location="Mødelokale 1",
        default_duration_minutes=180,
    )
    other_forum = Organization.objects.create(body=body, name="Direktørforum", slug="direktorforum")
    department = Department.objects.create(name="Organisation & Politik", unit_review=unit_review)
    other_department = Department.objects.create(name="Teknik & Miljø")
    unit = Unit.objects.create(department=department, name="Strategi")
    users: dict[str, Any] = {}

    def user(name: str, role: str, **scope: Any) -> None:
        account = User.objects.create_user(
            name, email=f"{name}@example.org", password=PASSWORD, first_name=name.capitalize()
        )
        RoleAssignment.objects.create(user=account, role=role, **scope)
        users[name] = account

    user("producer", Role.CASE_PRODUCER, department=department, unit=unit)
    user("unit_leader", Role.UNIT_LEADER, unit=unit)
    user("head", Role.DEPARTMENT_HEAD, department=department)
    user("secretary", Role.SECRETARY, organization=forum)
    user("member", Role.MEMBER, organization=forum)
    user("administrator", Role.ADMINISTRATOR)
    user("other_producer", Role.CASE_PRODUCER, department=other_department)
    user("other_secretary", Role.SECRETARY, organization=other_forum)
    for name in ("Anne Direktør", "Bo Chef"):
        person = Person.objects.create(name=name)
        Membership.objects.create(person=person, organization=forum, role="afdelingschef")
    return World(forum, other_forum, department, unit, users)
