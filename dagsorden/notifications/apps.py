from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dagsorden.notifications"
    verbose_name = _("Beskeder")

    def ready(self) -> None:
        from dagsorden.cases.events import CaseApproved, CaseReturned
        from dagsorden.core.events import subscribe
        from dagsorden.meetings.events import AgendaPublished, MinutesReady
        from dagsorden.notifications import services

        subscribe(CaseReturned, services.notify_case_returned, after_commit=True)
        subscribe(CaseApproved, services.notify_case_approved, after_commit=True)
        subscribe(AgendaPublished, services.notify_agenda_published, after_commit=True)
        subscribe(MinutesReady, services.notify_minutes_ready, after_commit=True)
