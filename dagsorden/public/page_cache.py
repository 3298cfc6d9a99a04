"""The anonymous meeting page, kept rendered in Django's cache.

Anonymous visitors all see the same meeting page (the visibility gate gives them one view),
so it is rendered once per address and language and kept until a row it was built from
changes. Signed-in visitors, and addresses with a query string, are never cached.

Validity: before reading any data, one query takes a *stamp* of every row the page can be
built from, found from the address alone (forum slug and day): the forum, the forum's
meetings that day, their items, the items' attachments, amendments and cases, each as the
newest ``modified`` and (where rows could be hard-deleted) a count. Every write in the
project sets ``modified`` (``save()``, ``soft_delete()``, the importer's bulk writes), so a
changed stamp means "render again"; publishing, unpublishing, closing an item or hiding an
attachment all change it. The stamp is taken before the page's own queries, so a change
made while the page renders is caught by the next request. A short timeout bounds the one
case a stamp cannot see (two writes to the same rows committing out of clock order).

The page holds a per-visitor CSRF token (the language form posts to /i18n/setlang/): it is
rendered with a random marker in its place (stored with the page), and each response gets
the visitor's own token substituted, so the CSRF cookie and check work as without the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from dagsorden.cases.models import Case
from dagsorden.core.danish import local_day_range
from dagsorden.meetings.models import (
    AgendaItem,
    Amendment,
    Attachment,
    Attendance,
    Meeting,
    Organization,
)
from dagsorden.public.links import parse_meeting_key

CACHE_PREFIX = "dagsorden:meeting-page:1"
TIMEOUT_SECONDS = 300
# Stands in for the CSRF token in a stored page; unguessable, so content cannot forge it.
# Per process, and stored with each page.
_TOKEN_MARK = f"csrf-mark-{secrets.token_hex(16)}"


def _stamp_sql() -> str:
    q = connection.ops.quote_name
    org, meeting, item = (q(m._meta.db_table) for m in (Organization, Meeting, AgendaItem))
    attachment, amendment, case = (q(m._meta.db_table) for m in (Attachment, Amendment, Case))
    attendance = q(Attendance._meta.db_table)
    return f"""
        WITH m AS (
            SELECT mt.id, mt.modified FROM {meeting} mt
            JOIN {org} o ON o.id = mt.organization_id
            WHERE o.slug = %s AND mt.starts_at >= %s AND mt.starts_at < %s
        ), i AS (
            SELECT it.id, it.modified, it.case_id FROM {item} it
            WHERE it.meeting_id IN (SELECT id FROM m)
        )
        SELECT
            (SELECT MAX(modified) FROM {org} WHERE slug = %s),
            (SELECT COUNT(*) FROM {org} WHERE slug = %s),
            (SELECT MAX(modified) FROM m),
            (SELECT COUNT(*) FROM m),
            (SELECT MAX(modified) FROM i),
            (SELECT COUNT(*) FROM i),
            (SELECT MAX(a.modified) FROM {attachment} a WHERE a.item_id IN (SELECT id FROM i)),
            (SELECT COUNT(*) FROM {attachment} a WHERE a.item_id IN (SELECT id FROM i)),
            (SELECT MAX(x.modified) FROM {amendment} x WHERE x.item_id IN (SELECT id FROM i)),
            (SELECT COUNT(*) FROM {amendment} x WHERE x.item_id IN (SELECT id FROM i)),
            (SELECT MAX(c.modified) FROM {case} c WHERE c.id IN (SELECT case_id FROM i)),
            (SELECT MAX(t.modified) FROM {attendance} t WHERE t.meeting_id IN (SELECT id FROM m)),
            (SELECT COUNT(*) FROM {attendance} t WHERE t.meeting_id IN (SELECT id FROM m))
    """  # noqa: S608 (only quoted table names are formatted in; values are parameters)


def meeting_day_stamp(slug: str, start: dt.datetime, end: dt.datetime) -> tuple[Any, ...]:
    """The newest change and the row counts of everything a page of that forum-day shows."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [slug, adapt(start), adapt(end), slug, slug])
        row = cursor.fetchone()
    return tuple(str(value) for value in row)


@dataclass(frozen=True)
class MeetingPageCache:
    """One anonymous request for a meeting page: its cache key and the data's stamp."""

    key: str
    stamp: tuple[Any, ...]

    @classmethod
    def for_request(cls, request: HttpRequest, slug: str, key: str) -> MeetingPageCache | None:
        """None when this request may not share a cached page (signed in, query string)."""
        if request.method not in ("GET", "HEAD") or request.GET:
            return None
        if request.user.is_authenticated:
            return None
        parsed = parse_meeting_key(key)
        bounds = local_day_range(parsed.day) if parsed is not None else None
        if bounds is None:
            return None
        address = hashlib.sha256(request.path.encode()).hexdigest()
        return cls(
            key=f"{CACHE_PREFIX}:{get_language()}:{address}", stamp=meeting_day_stamp(slug, *bounds)
        )

    def response(self, request: HttpRequest) -> HttpResponse | None:
        """The stored page if nothing it shows has changed since it was rendered."""
        stored = cache.get(self.key)
        if stored is None or stored[0] != self.stamp:
            return None
        _, mark, html = stored
        return _with_token(request, html, mark=mark)

    def render(self, request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
        """Render for an anonymous visitor, keep the page, answer with this visitor's token."""
        html = render_to_string(template, {**context, "csrf_token": _TOKEN_MARK}, request)
        # The marker goes along: with a cache shared between processes, each has its own.
        cache.set(self.key, (self.stamp, _TOKEN_MARK, html), TIMEOUT_SECONDS)
        return _with_token(request, html, mark=_TOKEN_MARK)


def _with_token(request: HttpRequest, html: str, *, mark: str) -> HttpResponse:
    # get_token() also makes the CSRF middleware set the cookie, as {% csrf_token %} would.
    return HttpResponse(html.replace(mark, get_token(request)))
