"""Template helpers for the printed document and for the meeting page's download links."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dagsorden.meetings.models import Meeting
from dagsorden.publishing.downloads import meeting_downloads as downloads_for

register = template.Library()

SPACE_RE = re.compile(r"(\s+)")


@register.filter
def unbreakable(text: str) -> SafeString:
    """Escape, and keep words like "el-udgifter" or "a/b" on one line.

    A line break after an inner hyphen or slash could not be told from a word wrap when the
    PDF is read back, so such words are set in one piece.
    """
    parts = []
    for token in SPACE_RE.split(text):
        if token and not token.isspace() and any(not ch.isalnum() for ch in token[:-1]):
            parts.append(f'<span class="nw">{escape(token)}</span>')
        else:
            parts.append(escape(token))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)


@register.inclusion_tag("publishing/downloads.html", takes_context=True)
def meeting_downloads(context: dict[str, Any], meeting: Meeting, key: str) -> dict[str, Any]:
    """The agenda and minutes files this visitor may download, for the meeting page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"downloads": downloads_for(meeting=meeting, key=key, user=user)}
