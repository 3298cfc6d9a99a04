"""The leak crawler: plant secrets, read every output as every role, compare with an oracle.

The oracle (which role may read which secret) is written out by hand in the tests, never
asked of the gate it checks. Outputs read: every page reachable by links from ``/`` (and
``/arbejde/`` when signed in), the search page for each secret, the calendar feeds, every
agenda and minutes download (text and Word) and every attachment file a page links to, and
the command line's public outputs.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import deque
from collections.abc import Iterable
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dagsorden.cases.models import CaseDocument
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting
from dagsorden.search.services import search_index_meeting
from tests.roles import PASSWORD, ROLE_NAMES, World

ROLES = ("anonymous", *ROLE_NAMES)
EVERYONE = frozenset(ROLES)
READERS = frozenset({"administrator", "secretary", "member"})  # of the forum's closed items
SECRETARIES = frozenset({"administrator", "secretary"})

HREF_RE = re.compile(r"""href="([^"]+)\"""")
# Pages that only sign out, switch language or lead into the admin are not followed.
SKIPPED = ("/log-ud/", "/i18n/", "/admin/", "/static/", "/media/")
MONTH_RE = re.compile(r"^/kalender/(\d{4})/(\d{2})/")
MAX_PAGES = 600


@dataclass
class Planted:
    """The secrets and where they live; ``words`` maps each secret to its meeting key."""

    meetings: dict[str, Meeting] = field(default_factory=dict)
    words: tuple[str, ...] = ()


def _day(offset: int) -> dt.datetime:
    now = timezone.localtime()
    return now.replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=offset)


def _meeting(world: World, *, key: str, offset: int, state: str, **fields: Any) -> Meeting:
    published = None if state == Meeting.State.PLANNED else _day(offset - 7)
    return Meeting.objects.create(
        organization=fields.pop("organization", world.forum),
        starts_at=_day(offset),
        location="Mødelokale 915",
        state=state,
        agenda_published_at=fields.pop("agenda_published_at", published),
        **fields,
    )


def _item(meeting: Meeting, number: int, title: str, **fields: Any) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting,
        number=number,
        order=number,
        title=title,
        occasion=fields.pop("occasion", f"Anledningen til {title}."),
        **fields,
    )


def _file(item: AgendaItem, order: int, name: str, content: str, *, public: bool) -> Attachment:
    attachment = Attachment(item=item, order=order, name=name, public=public, media_type="")
    attachment.file.save(name, ContentFile(content.encode()), save=False)
    attachment.size = len(content)
    attachment.save()
    return attachment


def plant(world: World) -> Planted:
    """One forum's archive with a secret of every kind, plus another forum's plan."""
    planted = Planted()
    approved = _meeting(world, key="approved", offset=-60, state=Meeting.State.MINUTES_APPROVED)
    shown = _item(approved, 1, "Zqoffentlig sag om telefontider", decision="Godkendt.")
    _file(shown, 1, "Zqvedlagt.txt", "Zqvedlagtindhold", public=True)
    _file(shown, 2, "Zqbilag.txt", "Zqbilagindhold", public=False)
    _item(approved, 2, "Zqlukket personalesag", public=False, decision="Zqlukketbeslutning.")
    planned = _meeting(world, key="planned", offset=20, state=Meeting.State.PLANNED)
    _item(planned, 1, "Zqplanlagt omstrukturering")
    cancelled = _meeting(
        world, key="cancelled", offset=27, state=Meeting.State.CANCELLED, agenda_published_at=None
    )
    _item(cancelled, 1, "Zqaflyst udbud")
    held = _meeting(world, key="held", offset=-3, state=Meeting.State.HELD)
    _item(held, 1, "Zqafholdt punkt", decision="Zqudkast til beslutning.", outcome="approved")
    other = _meeting(
        world,
        key="other",
        offset=34,
        state=Meeting.State.PLANNED,
        organization=world.other_forum,
    )
    _item(other, 1, "Zqandet forums plan")
    CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        unit=world.unit,
        organization=world.forum,
        headline="Zqkladde til en ny sag",
        case_type="Drøftelse",
        occasion="En kladde.",
        presentation=[],
    )
    planted.meetings = {
        "approved": approved,
        "planned": planned,
        "cancelled": cancelled,
        "held": held,
        "other": other,
    }
    for meeting in planted.meetings.values():
        search_index_meeting(meeting_id=meeting.pk)
    planted.words = (
        "zqoffentlig",
        "zqvedlagt",
        "zqvedlagtindhold",
        "zqbilag",
        "zqbilagindhold",
        "zqlukket",
        "zqlukketbeslutning",
        "zqplanlagt",
        "zqaflyst",
        "zqafholdt",
        "zqudkast",
        "zqandet",
        "zqkladde",
    )
    return planted


def client_as(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":  # through the sign-in page, as a person would (and axes wants)
        response = client.post("/log-ind/", {"username": role, "password": PASSWORD})
        assert response.status_code == 302, f"{role} could not sign in"
    return client


QUERY_ECHO_RE = re.compile(r'(href|value)="[^"]*(\?|&amp;|&)(q|next)=[^"]*"')


def _searchable_part(url: str, text: str) -> str:
    """What a reader was given, without the echo of their own query: on the search page
    (title, search box) only the results count, and links that carry the query (paging,
    facets, the sign-in link's ``next``) are not content."""
    if url.startswith("/soeg/"):
        start = text.find('<section class="results"')
        end = text.find("</section>", start)
        text = text[start:end] if start >= 0 else ""
    if urlsplit(url).query and url.startswith("/log-ind/"):
        return ""
    return QUERY_ECHO_RE.sub("", text)


def _document_text(content: bytes, content_type: str) -> str:
    if "wordprocessingml" in content_type:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.read("word/document.xml").decode("utf-8", "replace")
    return content.decode("utf-8", "replace")


def crawl(client: Client, start: Iterable[str], *, months: set[str]) -> dict[str, str]:
    """Every page reachable from ``start`` by links: URL -> the text a reader gets."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            seen[url] = ""
            continue
        content_type = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = _document_text(body, content_type)
        seen[url] = _searchable_part(url, text) if response.status_code == 200 else ""
        if "text/html" not in content_type:
            continue
        for link in HREF_RE.findall(text):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/"):
                continue
            if link.startswith(SKIPPED) or link in seen:
                continue
            month = MONTH_RE.match(link)
            if month and f"{month[1]}-{month[2]}" not in months:
                continue
            if link.endswith(".pdf"):  # the same document as the .txt and .docx beside it
                continue
            queue.append(link)
    return seen


def start_urls(world: World, planted: Planted, role: str) -> list[str]:
    urls = ["/", "/kalender.ics", "/soeg/"]
    urls += [f"/kalender/{forum.slug}.ics" for forum in (world.forum, world.other_forum)]
    urls += [f"/soeg/?q={word}" for word in planted.words]
    urls += [f"/kalender/{month}/" for month in sorted(_months(planted))]
    if role != "anonymous":
        urls.append("/arbejde/")
    return urls


def _months(planted: Planted) -> set[str]:
    return {f"{timezone.localtime(m.starts_at):%Y/%m}" for m in planted.meetings.values()} | {
        f"{timezone.localtime():%Y/%m}"
    }


def read_everything(world: World, planted: Planted, role: str) -> dict[str, str]:
    months = {month.replace("/", "-") for month in _months(planted)}
    return crawl(client_as(world, role), start_urls(world, planted, role), months=months)


def command_line_outputs(planted: Planted) -> dict[str, str]:
    """The public outputs of the command line (search, export --public, render)."""
    outputs: dict[str, str] = {}
    for word in planted.words:
        out = io.StringIO()
        call_command("search", word, stdout=out)
        outputs[f"search {word}"] = out.getvalue()
    for name, meeting in planted.meetings.items():
        day = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"
        forum = meeting.organization.name
        for label, arguments in (
            ("export", ["export", "--forum", forum, "--date", day, "--public"]),
            ("render", ["render", "--forum", forum, "--date", day, "--as", "agenda"]),
        ):
            if label == "render":
                arguments += ["--format", "txt", "-o", "-"]
            out, err = io.StringIO(), io.StringIO()
            try:
                with redirect_stderr(err):
                    call_command(*arguments, stdout=out, stderr=err)
            except SystemExit:
                pass  # not published: one line on stderr, checked like any output
            outputs[f"{label} {name}"] = out.getvalue() + err.getvalue()
    return outputs


def leaks(found: dict[str, str], allowed: dict[str, frozenset[str]], role: str) -> list[str]:
    """Secrets ``role`` read somewhere without being among those allowed to."""
    problems = []
    for url, text in found.items():
        lowered = text.lower()
        for word, readers in allowed.items():
            if role not in readers and re.search(rf"\b{word}\b", lowered):
                problems.append(f"{role} read {word!r} at {url}")
    return problems


def reached(found: dict[str, str], word: str) -> bool:
    return any(re.search(rf"\b{word}\b", text.lower()) for text in found.values())
