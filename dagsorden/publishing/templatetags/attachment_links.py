"""``{% attachment_url attachment meeting_key %}``: the gated download address of a file."""

from __future__ import annotations

from django import template

from dagsorden.meetings.models import Attachment
from dagsorden.public.links import attachment_url as url_for

register = template.Library()


@register.simple_tag
def attachment_url(attachment: Attachment, key: str) -> str:
    return url_for(attachment, key=key)
