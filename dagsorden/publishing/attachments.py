"""Attachment files, served only through the visibility gate (never straight from MEDIA).

URL: ``/<forum>/<key>/punkt-<N>/bilag-<order>/<name>`` (``public.links.attachment_url``). A
file is served when the meeting is visible to the visitor, the item's content is (closed
items: those who read the forum's closed items), and the attachment is (public, or the
visitor may read the forum's unpublished attachments). Anything else is a 404, never a 403:
a visitor may not learn that a hidden attachment exists.
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from dagsorden.meetings.models import Attachment, Meeting
from dagsorden.meetings.selectors import agenda_items_visible_to, item_content_visible
from dagsorden.public.links import attachment_file_name, attachment_url
from dagsorden.publishing.views import _visible_meeting

INLINE_TYPES = frozenset({"application/pdf"})
FALLBACK_TYPE = "application/octet-stream"


def media_type_of(attachment: Attachment) -> str:
    """The stored media type, else one guessed from the name, else opaque bytes."""
    stored = attachment.media_type.strip()
    if stored:
        return stored
    return mimetypes.guess_type(attachment.name)[0] or FALLBACK_TYPE


@require_safe
def attachment(
    request: HttpRequest, slug: str, key: str, number: int, order: int, name: str
) -> HttpResponseBase:
    """One attachment file, or a 404 for anything this visitor may not see."""
    meeting = _visible_meeting(request, slug, key)
    item = agenda_items_visible_to(user=request.user, meeting=meeting).filter(number=number).first()
    if item is None or not item_content_visible(item=item, user=request.user):
        raise Http404
    # The prefetched attachments are those ``attachments_visible_to`` lets this visitor see.
    found = next((a for a in item.attachments.all() if a.order == order and a.file), None)
    if found is None or not found.file.name:
        raise Http404
    if name != attachment_file_name(found.name):
        # An old or hand-typed name: the attachment is visible, so send the reader on.
        return redirect(attachment_url(found, key=key))
    try:
        handle = found.file.storage.open(str(found.file.name), "rb")
    except OSError:
        raise Http404 from None  # recorded, but the file is gone from storage
    media_type = media_type_of(found)
    response = FileResponse(
        handle,
        as_attachment=media_type not in INLINE_TYPES,
        filename=found.name,
        content_type=media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not _public_for_everyone(meeting=meeting, item_public=item.public, found=found):
        response["Cache-Control"] = "private, no-store"
    return response


def _public_for_everyone(*, meeting: Meeting, item_public: bool, found: Attachment) -> bool:
    """Whether an anonymous visitor could fetch this file too (shared caches may keep it)."""
    return found.public and item_public and meeting.is_published
