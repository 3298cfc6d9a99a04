"""Load the synthetic archive through the same import path real documents take."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import transaction

from dagsorden.access.models import Department, Role, RoleAssignment, Unit
from dagsorden.demo.generator import forums, generate_documents
from dagsorden.importers.services import document_import, organization_for_forum
from dagsorden.meetings.models import Meeting, Membership, Organization, Person

# Demo accounts, one per role, so a new user can walk the case flow in the browser.
# The password is printed by `dagsorden demo`; never load demo data into production.
DEMO_PASSWORD = "dagsorden-demo"  # noqa: S105
DEMO_USERS = (
    ("sagsproducent", "Sara Sagsproducent", Role.CASE_PRODUCER),
    ("enhedsleder", "Erik Enhedsleder", Role.UNIT_LEADER),
    ("afdelingschef", "Anna Afdelingschef", Role.DEPARTMENT_HEAD),
    ("sekretaer", "Simon Sekretær", Role.SECRETARY),
    ("medlem", "Mette Medlem", Role.MEMBER),
    ("administrator", "Ali Administrator", Role.ADMINISTRATOR),
)


def demo_load(
    *,
    meetings: int,
    seed: int = 2023,
    today: dt.date | None = None,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Import ``meetings`` generated meetings; returns how many were stored."""
    for spec in forums(meetings):
        organization = organization_for_forum(name=spec.name, prefix=spec.prefix)
        _apply_forum_defaults(organization, spec.default_start_time, spec.default_venue)
    demo_people()
    stored = 0
    for document in generate_documents(meetings=meetings, seed=seed, today=today):
        payload = document.dumps().encode("utf-8")
        document_import(
            document=document,
            source_name=f"demo-{document.forum}-{document.starts_at}.json",
            sha512=hashlib.sha512(payload).hexdigest(),
        )
        stored += 1
        if progress is not None:
            progress(stored)
    return stored


def demo_is_loaded() -> bool:
    return Meeting.objects.exists()


def _apply_forum_defaults(
    organization: Organization, start: dt.time | None, venue: str | None
) -> None:
    if organization.default_start_time is None and start is not None:
        organization.default_start_time = start
        organization.default_location = venue or ""
        organization.save(update_fields=["default_start_time", "default_location", "modified"])


@transaction.atomic
def demo_people() -> list[str]:
    """Departments, one user per role (serving Chefforum) and the forum's members."""
    chefforum = Organization.objects.filter(name="Chefforum").first()
    if chefforum is None or User.objects.filter(username="sagsproducent").exists():
        return []
    department, _ = Department.objects.get_or_create(
        name="Organisation & Politik", defaults={"unit_review": False}
    )
    unit, _ = Unit.objects.get_or_create(department=department, name="Strategi og Analyse")
    Department.objects.get_or_create(name="Teknik & Miljø")
    scopes: dict[str, dict[str, object]] = {
        Role.CASE_PRODUCER: {"department": department, "unit": unit},
        Role.UNIT_LEADER: {"unit": unit},
        Role.DEPARTMENT_HEAD: {"department": department},
        Role.SECRETARY: {"organization": chefforum},
        Role.MEMBER: {"organization": chefforum},
        Role.ADMINISTRATOR: {},
    }
    names = []
    for username, full_name, role in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user = User.objects.create_user(
            username,
            email=f"{username}@eksempel.dk",
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        RoleAssignment.objects.create(user=user, role=role, **scopes[role])
        names.append(username)
    for name, title in (
        ("Karen Kommunaldirektør", "Kommunaldirektør"),
        ("Anna Afdelingschef", "Afdelingschef"),
        ("Bent Børnechef", "Afdelingschef"),
        ("Tove Teknikchef", "Afdelingschef"),
    ):
        person = Person.objects.create(name=name, email="")
        Membership.objects.create(person=person, organization=chefforum, role=title)
    return names
