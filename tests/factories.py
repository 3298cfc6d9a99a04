"""factory_boy factories for the domain: a municipality, its forums, meetings, items, cases.

Defaults make a meeting whose minutes are approved (everything public), so a test states
only what it is about: ``MeetingFactory(state=Meeting.State.PLANNED)``,
``AgendaItemFactory(public=False)``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import factory

from dagsorden.cases.models import Case
from dagsorden.meetings.models import AgendaItem, Attachment, Body, Meeting, Organization

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
FIRST_MEETING = dt.datetime(2023, 1, 5, 9, 0, tzinfo=COPENHAGEN)


class BodyFactory(factory.django.DjangoModelFactory[Body]):
    class Meta:
        model = Body

    name = "Eksempel Kommune"
    short_name = "EK"


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    prefix = "F"
    classification = Organization.Classification.FORUM


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    organization = factory.SubFactory(OrganizationFactory)
    # One week apart, Thursdays at 09:00 Copenhagen time.
    starts_at = factory.Sequence(lambda n: FIRST_MEETING + dt.timedelta(weeks=n))
    location = "Mødelokale 915"
    state = Meeting.State.MINUTES_APPROVED
    # Published a week before, unless still planned (a cancelled meeting: published, then
    # cancelled; pass agenda_published_at=None for one cancelled before publication).
    agenda_published_at = factory.LazyAttribute(
        lambda m: None if m.state == Meeting.State.PLANNED else m.starts_at - dt.timedelta(days=7)
    )


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    journal_number = factory.Sequence(lambda n: f"00.01.00-P35-{n + 1}-22")
    title = factory.Sequence(lambda n: f"Sag nummer {n}")


class AgendaItemFactory(factory.django.DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    order = factory.LazyAttribute(lambda item: item.number)
    title = factory.Sequence(lambda n: f"Punkt om emne {n}")
    public = True
    case_type = AgendaItem.CaseType.DECISION
    case = factory.SubFactory(CaseFactory)
    occasion = "Sagen er på dagsordenen for at få en beslutning."
    presentation = "Afdelingen har undersøgt sagen.\n\nResultatet er klart."
    has_recommendation = True
    recommendation_proposer = "Kommunaldirektøren"
    recommendation_points = factory.LazyFunction(lambda: ["at oplægget godkendes."])
    decision = "Chefforum godkendte indstillingen."


class AttachmentFactory(factory.django.DjangoModelFactory[Attachment]):
    class Meta:
        model = Attachment

    item = factory.SubFactory(AgendaItemFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Bilag {n}.pdf")
    public = True
