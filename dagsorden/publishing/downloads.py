"""Which agenda and minutes files a visitor may download, and where they live.

URL shape: ``/<forum-slug>/<YYYY-MM-DD>/<dagsorden|referat>[-intern].<pdf|docx|txt>``; the
date may carry ``-HHMM`` when a forum met twice that day (as the meeting page's key does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from dagsorden.meetings.models import Meeting
from dagsorden.meetings.selectors import decision_visible, user_can_see_closed

As = Literal["agenda", "minutes"]
Format = Literal["pdf", "docx", "txt"]
FORMATS: tuple[Format, ...] = ("pdf", "docx", "txt")
DOCUMENT_NAMES: dict[As, str] = {"agenda": "dagsorden", "minutes": "referat"}
AS_BY_NAME: dict[str, As] = {name: as_ for as_, name in DOCUMENT_NAMES.items()}
FORMAT_LABELS: dict[Format, str] = {"pdf": "PDF", "docx": "Word", "txt": "Tekst"}
MEDIA_TYPES: dict[Format, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class Download:
    as_: As
    fmt: Format
    internal: bool
    url: str

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.fmt]


def file_name(*, as_: As, internal: bool, fmt: Format) -> str:
    """``referat-intern.pdf``: the last part of the download URL."""
    return f"{DOCUMENT_NAMES[as_]}{'-intern' if internal else ''}.{fmt}"


def may_download(*, meeting: Meeting, user: Any, as_: As, internal: bool) -> bool:
    """The visibility rules of meetings.selectors, applied to one file of a visible meeting.

    The caller has found the meeting through ``meetings_visible_to``. The public version is
    what an anonymous visitor reads, so it exists once the meeting is published (and its
    minutes once approved); the internal version is for those who read closed items, with
    the minutes once they may read the decisions.
    """
    reader = user if internal else AnonymousUser()
    if internal and not user_can_see_closed(user=user, organization_id=meeting.organization_id):
        return False
    if not internal and not meeting.is_published:
        return False
    if as_ == "minutes":
        return meeting.has_minutes and decision_visible(meeting=meeting, user=reader)
    return True


def meeting_downloads(*, meeting: Meeting, key: str, user: Any) -> list[Download]:
    """Every file of this meeting this user may download, agenda first, PDF first."""
    slug = meeting.organization.slug
    found = []
    for as_ in DOCUMENT_NAMES:
        for internal in (False, True):
            if not may_download(meeting=meeting, user=user, as_=as_, internal=internal):
                continue
            for fmt in FORMATS:
                name = file_name(as_=as_, internal=internal, fmt=fmt)
                url = reverse("publishing:download", args=[slug, key, name])
                found.append(Download(as_=as_, fmt=fmt, internal=internal, url=url))
    return found
