"""E-mail to the people a step concerns: sent after the step has committed, never before.

Each function handles one domain event (subscribed in ``apps.py``, after commit): a mail
server that fails is logged (``core/events.py``) and never undoes the step.

Django's mail backends do the sending (the console in development, SMTP in production).
The texts are Danish, whatever language the acting user browses in.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dagsorden.access.models import Role
from dagsorden.cases.events import CaseApproved, CaseReturned
from dagsorden.cases.models import CaseDocument
from dagsorden.core.danish import meeting_date_words
from dagsorden.meetings.events import AgendaPublished, MinutesReady
from dagsorden.meetings.models import Meeting
from dagsorden.public.links import meeting_url


def _forum_addresses(organization_id: int, roles: Iterable[str]) -> list[str]:
    users = User.objects.filter(
        is_active=True,
        role_assignments__deleted_at__isnull=True,
        role_assignments__organization_id=organization_id,
        role_assignments__role__in=list(roles),
    )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def _send(subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return
    sender = settings.DEFAULT_FROM_EMAIL
    subject = " ".join(subject.split())  # a line break in a title would be a header injection
    messages = [(subject, body, sender, [recipient]) for recipient in recipients]
    send_mass_mail(messages, fail_silently=False)


def _case_link(document: CaseDocument) -> str:
    return f"{settings.DAGSORDEN_SITE_URL}{reverse('desk:case', args=[document.pk])}"


def notify_case_returned(event: CaseReturned) -> None:
    document = CaseDocument.objects.select_related("author").get(pk=event.document_id)
    comment = event.comment
    with translation.override("da"):
        subject = _("Sagen er sendt retur: %(headline)s") % {"headline": document.headline}
        body = _("Din sag er sendt retur med denne kommentar:\n\n%(comment)s\n\n%(link)s") % {
            "comment": comment,
            "link": _case_link(document),
        }
    _send(subject, body, [document.author.email] if document.author.email else [])


def notify_case_approved(event: CaseApproved) -> None:
    document = CaseDocument.objects.select_related("author", "organization").get(
        pk=event.document_id
    )
    with translation.override("da"):
        subject = _("Sagen er godkendt: %(headline)s") % {"headline": document.headline}
        body = _("Din sag er godkendt og sendt til sekretariatet for %(forum)s.\n\n%(link)s") % {
            "forum": document.organization.name,
            "link": _case_link(document),
        }
    _send(subject, body, [document.author.email] if document.author.email else [])


def _meeting_words(meeting: Meeting) -> str:
    return (
        f"{meeting.organization.name} {meeting_date_words(timezone.localtime(meeting.starts_at))}"
    )


def _meeting(meeting_id: int) -> tuple[Meeting, str]:
    meeting = Meeting.objects.select_related("organization").get(pk=meeting_id)
    return meeting, meeting_url(meeting)


def notify_agenda_published(event: AgendaPublished) -> None:
    meeting, link = _meeting(event.meeting_id)
    with translation.override("da"):
        subject = _("Dagsorden offentliggjort: %(meeting)s") % {"meeting": _meeting_words(meeting)}
        body = _("Dagsordenen til %(meeting)s er offentliggjort:\n\n%(link)s") % {
            "meeting": _meeting_words(meeting),
            "link": f"{settings.DAGSORDEN_SITE_URL}{link}",
        }
    _send(subject, body, _forum_addresses(meeting.organization_id, [Role.MEMBER]))


def notify_minutes_ready(event: MinutesReady) -> None:
    meeting, link = _meeting(event.meeting_id)
    with translation.override("da"):
        subject = _("Referat klar til godkendelse: %(meeting)s") % {
            "meeting": _meeting_words(meeting)
        }
        body = _("Referatet fra %(meeting)s er klar til godkendelse:\n\n%(link)s") % {
            "meeting": _meeting_words(meeting),
            "link": f"{settings.DAGSORDEN_SITE_URL}{link}",
        }
    _send(subject, body, _forum_addresses(meeting.organization_id, [Role.MEMBER]))
