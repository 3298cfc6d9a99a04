"""Agenda and minutes files for download, behind the same visibility gate as the pages."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from dagsorden.core.errors import ApplicationError
from dagsorden.meetings.models import Meeting
from dagsorden.public.links import meetings_at_address
from dagsorden.publishing.downloads import AS_BY_NAME, MEDIA_TYPES, Format, may_download
from dagsorden.publishing.services import meeting_render

FILE_RE = re.compile(r"^(dagsorden|referat)(-intern)?\.(pdf|docx|txt)$")
FORMATS: dict[str, Format] = {"pdf": "pdf", "docx": "docx", "txt": "txt"}


@require_safe
def download(request: HttpRequest, slug: str, key: str, name: str) -> HttpResponse:
    """One file; anything this visitor may not see is a 404, as on the pages."""
    found = FILE_RE.match(name)
    if found is None:
        raise Http404
    as_, internal, fmt = AS_BY_NAME[found[1]], found[2] is not None, FORMATS[found[3]]
    meeting = _visible_meeting(request, slug, key)
    if not may_download(meeting=meeting, user=request.user, as_=as_, internal=internal):
        raise Http404
    try:
        data = meeting_render(
            meeting=meeting, user=request.user, as_=as_, fmt=fmt, internal=internal
        )
    except ApplicationError:
        raise Http404 from None
    response = HttpResponse(data, content_type=MEDIA_TYPES[fmt])
    filename = f"{slug}-{key}-{name}"
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if internal:
        response["Cache-Control"] = "private, no-store"
    return response


def _visible_meeting(request: HttpRequest, slug: str, key: str) -> Meeting:
    """The one meeting the address names among those this visitor may see."""
    meetings, _shared = meetings_at_address(user=request.user, slug=slug, key=key)
    if len(meetings) != 1:
        raise Http404  # none, or several that day and the key does not say which
    return meetings[0]
