from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "dagsorden.search"
    label = "search"
    verbose_name = _("Søgning")

    def ready(self) -> None:
        from dagsorden.core.events import subscribe
        from dagsorden.meetings.events import MeetingChanged
        from dagsorden.search.services import search_index_changed_meeting

        # In the same transaction as the change: the index never disagrees with the archive.
        subscribe(MeetingChanged, search_index_changed_meeting)
