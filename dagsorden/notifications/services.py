"""E-mail to the people a step concerns: sent after the step has committed, never before.

Django's mail backends do the sending (the console in development, SMTP in production).
The texts are Danish, whatever language the acting user browses in.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dagsorden.access.models import Role
from dagsorden.cases.models import CaseDocument
from dagsorden.core.danish import meeting_date_words
from dagsorden.meetings.models import Meeting


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
    messages = [(subject, body, sender, [recipient]) for recipient in recipients]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))


def _case_link(document: CaseDocument) -> str:
    return f"{settings.DAGSORDEN_SITE_URL}{reverse('desk:case', args=[document.pk])}"


def notify_case_returned(document: CaseDocument, *, comment: str) -> None:
    with translation.override("da"):
        subject = _("Sagen er sendt retur: %(headline)s") % {"headline": document.headline}
        body = _("Din sag er sendt retur med denne kommentar:\n\n%(comment)s\n\n%(link)s") % {
            "comment": comment,
            "link": _case_link(document),
        }
    _send(subject, body, [document.author.email] if document.author.email else [])


def notify_case_approved(document: CaseDocument) -> None:
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


def notify_agenda_published(meeting: Meeting, *, link: str) -> None:
    with translation.override("da"):
        subject = _("Dagsorden offentliggjort: %(meeting)s") % {"meeting": _meeting_words(meeting)}
        body = _("Dagsordenen til %(meeting)s er offentliggjort:\n\n%(link)s") % {
            "meeting": _meeting_words(meeting),
            "link": f"{settings.DAGSORDEN_SITE_URL}{link}",
        }
    _send(subject, body, _forum_addresses(meeting.organization_id, [Role.MEMBER]))


def notify_minutes_ready(meeting: Meeting, *, link: str) -> None:
    with translation.override("da"):
        subject = _("Referat klar til godkendelse: %(meeting)s") % {
            "meeting": _meeting_words(meeting)
        }
        body = _("Referatet fra %(meeting)s er klar til godkendelse:\n\n%(link)s") % {
            "meeting": _meeting_words(meeting),
            "link": f"{settings.DAGSORDEN_SITE_URL}{link}",
        }
    _send(subject, body, _forum_addresses(meeting.organization_id, [Role.MEMBER]))
