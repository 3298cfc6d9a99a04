from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dagsorden.meetings.services import publish_due_agendas


class Command(BaseCommand):
    help = (
        "Publish agendas whose chosen publication time has come. "
        "Run it every minute (cron or a systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for meeting in publish_due_agendas():
            self.stdout.write(f"published: {meeting}")
