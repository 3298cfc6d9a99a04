"""Searching the archive: Danish stems, exact words first, facets, only what the user may see."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dagsorden.cases.journal import is_journal_number
from dagsorden.meetings.models import Organization
from dagsorden.meetings.selectors import user_can_see_closed
from dagsorden.search.models import SearchEntry
from dagsorden.search.stemming import query_terms, search_stem, stem, words

PER_PAGE = 20
KLE_PREFIX_RE = re.compile(r"^\d{2}(\.\d{2}){0,2}$")
FACET_NAMES = ("forum", "year", "type", "outcome", "kle")
SNIPPET_WORDS = 30


@dataclass(frozen=True)
class SearchFilters:
    forum: str | None = None  # organization slug
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    case_type: str | None = None
    outcome: str | None = None
    kle: str | None = None  # KLE main group, "00"


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    score: float
    snippet: SafeString


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    pages: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    journal_number: str | None = None  # the query was an exact journal number


def search_items(
    *,
    query: str,
    user: Any,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Ranked hits the user may see, with facet counts over the whole result."""
    filters = filters or SearchFilters()
    staff = user_can_see_closed(user=user)
    query = query.strip()
    where, params = _filter_sql(filters, staff=staff)
    exact_case = query if is_journal_number(query) else None
    if exact_case or KLE_PREFIX_RE.match(query):
        tables, match, source_params, rank = _number_source(query, exact=exact_case is not None)
    else:
        terms = query_terms(query)
        if not terms:
            return SearchResults(query=query, total=0, page=1, pages=0)
        tables, match, source_params, rank = _text_source(terms, staff=staff)
    from_clause = f"FROM {tables} WHERE {' AND '.join([match, *where])}"
    all_params = [*source_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.organization_id, e.year, e.case_type, e.outcome, e.kle_main_group, "
            f"count(*) {from_clause} GROUP BY 1, 2, 3, 4, 5",
            all_params,
        )
        groups = cursor.fetchall()
        total = sum(row[5] for row in groups)
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        order = "e.starts_at DESC" if sort == "date" else "score DESC, e.starts_at DESC"
        cursor.execute(
            f"SELECT e.id, {rank} AS score {from_clause} ORDER BY {order} LIMIT %s OFFSET %s",
            [*all_params, per_page, (page - 1) * per_page],
        )
        window = cursor.fetchall()
    entries = SearchEntry.objects.select_related("organization").in_bulk([r[0] for r in window])
    terms_for_snippet = query_terms(query)
    hits = [
        Hit(
            entry=entries[row[0]],
            score=round(float(row[1]), 4),
            snippet=_snippet(entries[row[0]], terms_for_snippet, staff=staff),
        )
        for row in window
    ]
    return SearchResults(
        query=query,
        total=total,
        page=page,
        pages=pages,
        hits=hits,
        facets=_facets(groups),
        journal_number=exact_case,
    )


def _filter_sql(filters: SearchFilters, *, staff: bool) -> tuple[list[str], list[Any]]:
    where: list[str] = [] if staff else ["e.public = %s"]
    params: list[Any] = [] if staff else [True]
    if filters.forum:
        where.append("e.organization_id = %s")
        organization = Organization.objects.filter(slug=filters.forum).first()
        params.append(organization.pk if organization else -1)
    if filters.year:
        where.append("e.year = %s")
        params.append(filters.year)
    if filters.date_from:
        where.append("e.starts_at >= %s")
        params.append(timezone.make_aware(dt.datetime.combine(filters.date_from, dt.time())))
    if filters.date_to:
        where.append("e.starts_at < %s")
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time())
        params.append(timezone.make_aware(end))
    for column, value in (
        ("case_type", filters.case_type),
        ("outcome", filters.outcome),
        ("kle_main_group", filters.kle),
    ):
        if value:
            where.append(f"e.{column} = %s")
            params.append(value)
    return where, params


def _number_source(query: str, *, exact: bool) -> tuple[str, str, list[Any], str]:
    """Rows of one journal number, or of a KLE group (a range, so the index serves it)."""
    if exact:
        return "search_searchentry e", "e.journal_number = %s", [query], "1.0"
    return (
        "search_searchentry e",
        "e.kle_number >= %s AND e.kle_number < %s",
        [query, f"{query}~"],
        "1.0",
    )


def _text_source(terms: list[str], *, staff: bool) -> tuple[str, str, list[Any], str]:
    """Every term must match, as itself or by its stem; exact words weigh more."""
    audience = "staff" if staff else "public"
    if connection.vendor == "postgresql":
        tsquery = " && ".join(
            "(plainto_tsquery('simple', %s) || plainto_tsquery('danish', %s))" for _ in terms
        )
        return (
            f"search_searchentry e, (SELECT {tsquery} AS query) q",
            f"e.{audience}_vector @@ q.query",
            [value for term in terms for value in (term, stem(term))],
            f"ts_rank(e.{audience}_vector, q.query)",
        )
    match = " AND ".join(
        f'({audience}_exact : "{term}" OR {audience}_stems : "{search_stem(term)}")'
        for term in terms
    )
    weights = "4.0, 1.0, 0.0, 0.0" if audience == "public" else "0.0, 0.0, 4.0, 1.0"
    # CROSS JOIN makes SQLite run the full-text match first and look rows up by id.
    return (
        "search_fts CROSS JOIN search_searchentry e ON e.id = search_fts.rowid",
        "search_fts MATCH %s",
        [match],
        f"-bm25(search_fts, {weights})",
    )


def _facets(groups: list[Any]) -> dict[str, list[tuple[str, str, int]]]:
    """Counts per forum, year, case type, outcome and KLE main group: (value, label, count).

    ``groups`` are (forum id, year, case type, outcome, KLE group, count) rows."""
    counters: dict[str, Counter[Any]] = {name: Counter() for name in FACET_NAMES}
    for forum, year, case_type, outcome, kle, count in groups:
        counters["forum"][forum] += count
        counters["year"][year] += count
        if case_type:
            counters["type"][case_type] += count
        if outcome:
            counters["outcome"][outcome] += count
        if kle:
            counters["kle"][kle] += count
    organizations = Organization.objects.in_bulk(list(counters["forum"]))
    return {
        "forum": sorted(
            (
                (organizations[pk].slug, organizations[pk].name, n)
                for pk, n in counters["forum"].items()
            ),
            key=lambda t: (-t[2], t[1]),
        ),
        "year": sorted(((str(y), str(y), n) for y, n in counters["year"].items()), reverse=True),
        "type": [(v, v, n) for v, n in counters["type"].most_common()],
        "outcome": [(v, v, n) for v, n in counters["outcome"].most_common()],
        "kle": sorted((v, v, n) for v, n in counters["kle"].items()),
    }


def _snippet(entry: SearchEntry, terms: list[str], *, staff: bool) -> SafeString:
    """A stretch of the item's text around the first match, matches marked with <mark>."""
    text = entry.body
    if entry.decision and (staff or entry.decision_public):
        text = f"{text}\n\n{entry.decision}" if text else entry.decision
    tokens = re.split(r"(\s+)", text.replace("\n", " "))
    wanted_words = set(terms)
    wanted_stems = {search_stem(t) for t in terms}

    def matches(token: str) -> bool:
        found = words(token)
        return any(w in wanted_words or search_stem(w) in wanted_stems for w in found)

    plain = [t for t in tokens if t and not t.isspace()]
    first = next((i for i, t in enumerate(plain) if matches(t)), 0)
    start = max(0, first - 8)
    window = plain[start : start + SNIPPET_WORDS]
    parts = [f"<mark>{escape(t)}</mark>" if matches(t) else str(escape(t)) for t in window]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(plain) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)  # noqa: S308 (every part is escaped)
