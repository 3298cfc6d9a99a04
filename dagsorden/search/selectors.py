"""Searching the archive: Danish stems, exact words first, facets, only what the user may see.

Who may find what is decided when the query runs, from the user's grants (``_tiers``): the
public finds a row by its public text; a forum's secretaries by everything in their forums'
rows; its members by what they may read there (closed items; decisions once the minutes
are sent to them). Then the page of hits passes the visibility gate itself
(``meetings.selectors.agenda_items_readable_by``), which reads the items as they are now.
The index rows carry the state they were written under, and the database deletes a row the
moment its item, meeting, bilag, case or forum changes (``search/freshness.py``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dagsorden.access.rules import Grants, grants_for
from dagsorden.cases.journal import is_journal_number
from dagsorden.core.danish import local_day_range
from dagsorden.meetings.models import Organization
from dagsorden.meetings.selectors import decision_visible, item_readable_exists
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
    entry: SearchEntry  # the index row, whose item the gate let this user read
    score: float
    snippet: SafeString

    @property
    def url(self) -> str:
        """``/<forum>/<date>/punkt-<N>/`` from the row's own forum, start and number."""
        key = f"{timezone.localtime(self.entry.starts_at):%Y-%m-%d}"
        return reverse("public:item", args=[self.entry.organization.slug, key, self.entry.number])


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
    """Ranked hits the user may see, with facet counts over the whole result.

    Relevance: both back ends rank the newest RANK_CANDIDATES hits (bm25 on SQLite, ts_rank
    on PostgreSQL) and list the rest after them, newest first. Equal scores: the newer
    meeting first, then agenda order. Journal numbers and KLE prefixes list newest first."""
    filters = filters or SearchFilters()
    grants = grants_for(user)
    tiers = _tiers(grants)
    query = query.strip()
    where, params = _filter_sql(filters)
    exact_case = query if is_journal_number(query) else None
    terms: list[str] = []
    if exact_case or KLE_PREFIX_RE.match(query):
        sources = [_number_source(query, exact=exact_case is not None, tiers=tiers)]
    else:
        terms = query_terms(query)
        if not terms:
            return SearchResults(query=query, total=0, page=1, pages=0)
        sources = [_text_source(terms, tier) for tier in tiers]
    by_date = sort == "date" or sources[0].rank is None
    page = max(1, min(page, MAX_PAGE))
    if len(sources) == 1:
        run = _run_postgres if connection.vendor == "postgresql" else _run_sqlite
        source = sources[0]

        def counted(page: int) -> tuple[_Counts, _Rows]:
            return run(source, where, params, by_date, page, per_page)
    else:
        found = _TierHits.collect(sources, where, params)

        def counted(page: int) -> tuple[_Counts, _Rows]:
            return found.counts(), found.window(by_date=by_date, page=page, per_page=per_page)

    counts, window = counted(page)
    total = sum(counts["forum"].values())  # every hit has exactly one forum
    pages = max(1, -(-total // per_page))
    if page > pages:  # asked past the end (an old link): show the last page
        page = pages
        counts, window = counted(page)
    return SearchResults(
        query=query,
        total=total,
        page=page,
        pages=pages,
        hits=_hits_through_the_gate(window, user=user, grants=grants, terms=terms or [query]),
        facets=_facets(counts),
        journal_number=exact_case,
    )


# A page number beyond any archive (20 hits a page): larger ones are read as the last page.
MAX_PAGE = 100_000


@dataclass(frozen=True)
class _Tier:
    """Which text a user searches in which rows: ``text`` is public, reader or staff;
    ``condition`` (SQL on the entry ``e``, with ``params``) the rows it applies to."""

    text: str
    condition: str
    params: list[Any]


def _tiers(grants: Grants) -> list[_Tier]:
    """From the user's grants: the public text everywhere; a secretary's forums by all of
    their text; a member's forums (published meetings) by what members may read. A tier
    not stored for a row (``TierTexts``) is read from the one below it."""
    if grants.administrator:
        return _staff_tiers("", [])
    forum, published = _column("organization_id"), _column("published")
    tiers = [_Tier("public", f"{_column('public')} = %s", [True])]
    secretary = sorted(grants.secretary_forums)
    member = sorted(grants.member_forums - grants.secretary_forums)
    if secretary:
        tiers += _staff_tiers(f"{forum} IN ({_marks(secretary)})", secretary)
    if member:
        rows = f"{forum} IN ({_marks(member)}) AND {published} = %s"
        own = f"{_column('reader_own_text')} = %s"
        tiers.append(_Tier("reader", f"{rows} AND {own}", [*member, True, True]))
        tiers += _staff_tiers(f"{rows} AND {own}", [*member, True, False])
    return tiers


def _staff_tiers(rows: str, params: list[Any]) -> list[_Tier]:
    """Everything in ``rows``: the secretaries' own text where a row has it, else its public
    text (the two are the same there)."""
    own = f"{_column('staff_own_text')} = %s"
    where = f"{rows} AND " if rows else ""
    return [
        _Tier("staff", f"{where}{own}", [*params, True]),
        _Tier("public", f"{where}{own}", [*params, False]),
    ]


def _marks(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _hits_through_the_gate(
    window: _Rows, *, user: Any, grants: Grants, terms: list[str]
) -> list[Hit]:
    """The page of hits as the visibility gate lets this user read them now: an index row
    whose item the gate refuses (it cannot be, while the triggers hold) is left out. A hit
    links to its meeting's date (on a day the forum met twice, visibly to this user, that
    address lists both meetings)."""
    entries = (
        SearchEntry.objects.filter(item_readable_exists(user=user))
        .select_related("organization", "meeting")
        .in_bulk([r[0] for r in window])
    )
    decisions = {
        e.meeting_id: decision_visible(meeting=e.meeting, user=user) for e in entries.values()
    }
    matches = _Matcher(query_terms(" ".join(terms)))
    hits = []
    for entry_id, score in window:
        entry = entries.get(entry_id)
        if entry is None:
            continue
        hits.append(
            Hit(
                entry=entry,
                score=round(float(score), 4),
                snippet=_snippet(
                    entry, matches, grants=grants, decisions=decisions[entry.meeting_id]
                ),
            )
        )
    return hits


class _TierHits:
    """The hits of several tiers (a signed-in user with roles), gathered in Python: each
    tier's match is one query; a row found by several tiers counts once. Only the newest
    RANK_CANDIDATES are ranked, as on the single-tier path."""

    def __init__(self, sources: list[_Source], rows: dict[int, tuple[dt.datetime, int]]) -> None:
        self.sources = sources
        self.rows = rows  # entry id -> (starts_at, facets id)
        self.found_by: dict[int, list[int]] = {}

    @classmethod
    def collect(cls, sources: list[_Source], where: list[str], params: list[Any]) -> _TierHits:
        rows: dict[int, tuple[dt.datetime, int]] = {}
        found = cls(sources, rows)
        with connection.cursor() as cursor:
            for index, source in enumerate(sources):
                ctes = f"WITH {source.query_cte} " if source.query_cte else ""
                conditions = " AND ".join([source.match, *where])
                cursor.execute(
                    f"{ctes}SELECT e.id, e.starts_at, e.facets_id "  # noqa: S608
                    f"FROM {source.tables} WHERE {conditions}",
                    [*source.query_params, *source.params, *params],
                )
                for entry_id, starts_at, facets_id in cursor.fetchall():
                    rows[entry_id] = (_aware(starts_at), facets_id)
                    found.found_by.setdefault(entry_id, []).append(index)
        return found

    def counts(self) -> _Counts:
        per_combination: dict[int, int] = {}
        for _starts_at, facets_id in self.rows.values():
            per_combination[facets_id] = per_combination.get(facets_id, 0) + 1
        with connection.cursor() as cursor:
            ids = sorted(per_combination)
            groups: _Rows = []
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                cursor.execute(
                    f"SELECT id, {_FACETS} FROM search_searchfacets f "  # noqa: S608
                    f"WHERE id IN ({_marks(chunk)})",
                    chunk,
                )
                groups += [(*row[1:], per_combination[row[0]]) for row in cursor.fetchall()]
        return _count_groups(groups)

    def window(self, *, by_date: bool, page: int, per_page: int) -> _Rows:
        newest = sorted(self.rows, key=lambda pk: (-self.rows[pk][0].timestamp(), pk))
        ranked_until = 0 if by_date else min(RANK_CANDIDATES, len(newest))
        scores = self._scores(newest[:ranked_until]) if ranked_until else {}
        ranked = sorted(
            newest[:ranked_until],
            key=lambda pk: (-scores.get(pk, 0.0), -self.rows[pk][0].timestamp(), pk),
        )
        ordered = [*ranked, *newest[ranked_until:]]
        start = (page - 1) * per_page
        return [(pk, scores.get(pk, 1.0)) for pk in ordered[start : start + per_page]]

    def _scores(self, candidates: list[int]) -> dict[int, float]:
        """Each candidate's best score among the tiers that found it."""
        scores: dict[int, float] = {}
        with connection.cursor() as cursor:
            for index, source in enumerate(self.sources):
                mine = [pk for pk in candidates if index in self.found_by[pk]]
                if not mine or source.rank is None:
                    continue
                ctes = f"WITH {source.query_cte} " if source.query_cte else ""
                cursor.execute(
                    f"{ctes}SELECT e.id, {source.rank} FROM {source.tables} "  # noqa: S608
                    f"WHERE {source.match} AND e.id IN ({_marks(mine)})",
                    [*source.query_params, *source.params, *mine],
                )
                for pk, score in cursor.fetchall():
                    scores[pk] = max(scores.get(pk, float("-inf")), float(score))
        return scores


def _aware(value: dt.datetime | str) -> dt.datetime:
    """SQLite hands raw SQL timestamps back as text."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


@dataclass(frozen=True)
class _Source:
    """Where hits come from: FROM clause (table alias ``e``), match condition, their
    parameters, and the relevance expression (None: the hits are equal, newest first)."""

    tables: str
    match: str
    params: list[Any]
    rank: str | None
    # PostgreSQL: a CTE ``q`` holding the tsquery, shared by the match and the ranking.
    query_cte: str = ""
    query_params: list[Any] = field(default_factory=list)


_FACETS = "f.organization_id, f.year, f.case_type, f.outcome, f.kle_main_group"
_ENTRY_FACETS = "e.organization_id, e.year, e.case_type, e.outcome, e.kle_main_group"
_Rows = list[tuple[Any, ...]]
_Counts = dict[str, dict[Any, int]]  # facet name -> value -> hits


def _run_sqlite(
    source: _Source, where: list[str], params: list[Any], by_date: bool, page: int, per_page: int
) -> tuple[_Counts, _Rows]:
    """The facet counts (hits per facet combination, one integer to group by), then one page
    of hits. Both read the entry's columns from a covering index."""
    from_clause = f"FROM {source.tables} WHERE {' AND '.join([source.match, *where])}"
    all_params = [*source.params, *params]
    rank = source.rank or "1.0"
    offset = (page - 1) * per_page
    ranked_until = 0 if by_date else RANK_CANDIDATES
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_FACETS}, g.n FROM (SELECT e.facets_id AS id, count(*) AS n "  # noqa: S608
            f"{from_clause} GROUP BY 1) g LEFT JOIN search_searchfacets f ON f.id = g.id",
            all_params,
        )
        groups = cursor.fetchall()
        window: _Rows = []
        # The same rule as PostgreSQL's, so both back ends list the same hits: the newest
        # RANK_CANDIDATES by relevance, then the older ones newest first.
        if offset < ranked_until:
            cursor.execute(
                f"SELECT e.id, {rank} AS score {from_clause} AND e.id IN "
                f"(SELECT e.id {from_clause} ORDER BY e.starts_at DESC, e.id LIMIT "
                f"{RANK_CANDIDATES}) ORDER BY score DESC, e.starts_at DESC, e.id "
                "LIMIT %s OFFSET %s",
                [*all_params, *all_params, min(per_page, ranked_until - offset), offset],
            )
            window += cursor.fetchall()
        if offset + per_page > ranked_until:
            start = max(offset, ranked_until)
            cursor.execute(
                f"SELECT e.id, {rank} AS score {from_clause} "
                "ORDER BY e.starts_at DESC, e.id LIMIT %s OFFSET %s",
                [*all_params, offset + per_page - start, start],
            )
            window += cursor.fetchall()
    return _count_groups(groups), window


def _count_groups(groups: _Rows) -> _Counts:
    """Per-facet counts from (forum id, year, case type, outcome, KLE group, hits) rows."""
    forum: dict[Any, int] = {}
    year: dict[Any, int] = {}
    case_type: dict[Any, int] = {}
    outcome: dict[Any, int] = {}
    kle: dict[Any, int] = {}
    for forum_id, year_, case_type_, outcome_, kle_, n in groups:
        forum[forum_id] = forum.get(forum_id, 0) + n
        year[year_] = year.get(year_, 0) + n
        case_type[case_type_] = case_type.get(case_type_, 0) + n
        outcome[outcome_] = outcome.get(outcome_, 0) + n
        kle[kle_] = kle.get(kle_, 0) + n
    return {"forum": forum, "year": year, "type": case_type, "outcome": outcome, "kle": kle}


# PostgreSQL ranks at most this many hits, the newest: a query with more hits lists the
# newest RANK_CANDIDATES by relevance, then the older ones newest first. Ranking every hit
# of a common word (30,000 tsvectors read and ranked) cost 100-300 ms; on the search
# benchmark (bench/search_bench.py) p95 was 47 ms with 1,000 candidates, 43 ms with 500
# and 57 ms with 2,000. SQLite follows the same rule, so both back ends list the same hits.
RANK_CANDIDATES = 500


def _run_postgres(
    source: _Source, where: list[str], params: list[Any], by_date: bool, page: int, per_page: int
) -> tuple[_Counts, _Rows]:
    """One statement: the hits are read once (their narrow columns kept in a materialised
    CTE), counted per facet, and one page is ranked."""
    conditions = " AND ".join([source.match, *where])
    rank = source.rank or "1.0"
    ctes = [source.query_cte] if source.query_cte else []
    ctes.append(
        f"hits AS MATERIALIZED (SELECT e.id, e.starts_at, {_ENTRY_FACETS} "  # noqa: S608
        f"FROM {source.tables} WHERE {conditions})"
    )
    statement_params: list[Any] = [*source.query_params, *source.params, *params]
    scored = "search_searchentry e, q" if source.query_cte else "search_searchentry e"
    offset = (page - 1) * per_page
    parts: list[str] = []
    part_params: list[Any] = []
    ranked_until = 0 if by_date else RANK_CANDIDATES
    if offset < ranked_until:
        ctes.append(
            "candidates AS (SELECT id, starts_at FROM hits "  # noqa: S608
            f"ORDER BY starts_at DESC, id LIMIT {RANK_CANDIDATES})"
        )
        parts.append(
            f"(SELECT 1 AS part, c.id, {rank} AS score, c.starts_at "  # noqa: S608
            f"FROM candidates c, {scored} WHERE e.id = c.id "
            "ORDER BY score DESC, c.starts_at DESC, c.id LIMIT %s OFFSET %s)"
        )
        part_params += [min(per_page, ranked_until - offset), offset]
    if offset + per_page > ranked_until:
        start = max(offset, ranked_until)
        parts.append(
            f"(SELECT 2 AS part, h.id, {rank} AS score, h.starts_at "  # noqa: S608
            "FROM (SELECT id, starts_at FROM hits "
            f"ORDER BY starts_at DESC, id LIMIT %s OFFSET %s) h, {scored} WHERE e.id = h.id)"
        )
        part_params += [offset + per_page - start, start]
    ctes.append(f"page AS ({' UNION ALL '.join(parts)})")
    statement = (
        f"WITH {', '.join(ctes)} "  # noqa: S608 (every value is a parameter)
        # Hits per facet value, in one pass (hashing the facet combination first and
        # joining search_searchfacets measured no faster here); GROUPING(...) tells the
        # five sets apart: all bits set but the grouped column's.
        "SELECT GROUPING(organization_id, year, case_type, outcome, kle_main_group), "
        "organization_id, year, case_type, outcome, kle_main_group, count(*), "
        "NULL::float8, NULL::timestamptz FROM hits GROUP BY GROUPING SETS "
        "((organization_id), (year), (case_type), (outcome), (kle_main_group)) "
        "UNION ALL SELECT -part, id, NULL, NULL, NULL, NULL, NULL, score, starts_at FROM page"
    )
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        # Compiling these short queries to machine code costs more than running them; and
        # a sequential scan evaluating @@ on every row (which the planner may pick when it
        # expects many hits) took 190 ms where the GIN bitmap scan takes 13.
        cursor.execute(
            "SELECT current_setting('jit'), current_setting('enable_seqscan'), "
            "set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true)"
        )
        before = cursor.fetchone()
        cursor.execute(statement, [*statement_params, *part_params])
        rows = cursor.fetchall()
        if outer and before:  # inside a caller's transaction SET LOCAL would outlive us
            cursor.execute(
                "SELECT set_config('jit', %s, true), set_config('enable_seqscan', %s, true)",
                before[:2],
            )
    counts: _Counts = {name: {} for name in FACET_NAMES}
    for row in rows:
        if row[0] >= 0:
            position = 5 - (31 - row[0]).bit_length()  # 15 -> 0 (forum) ... 30 -> 4 (KLE)
            counts[FACET_NAMES[position]][row[1 + position]] = row[6]
    # UNION ALL keeps no order: restore it (relevance, then date; then agenda order).
    ranked = [row for row in rows if row[0] == -1]
    dated = [row for row in rows if row[0] == -2]
    ranked.sort(key=lambda r: (-r[7], -r[8].timestamp(), r[1]))
    dated.sort(key=lambda r: (-r[8].timestamp(), r[1]))
    return counts, [(r[1], r[7]) for r in [*ranked, *dated]]


def _column(name: str) -> str:
    """An entry column in a condition. On SQLite written "+e.x": no index on it may drive
    the query (the (public, starts_at) index would otherwise win over the full-text match
    and the journal and KLE indexes)."""
    return f"+e.{name}" if connection.vendor == "sqlite" else f"e.{name}"


def _filter_sql(filters: SearchFilters) -> tuple[list[str], list[Any]]:
    """The user's own narrowing (who may see what is the tiers' business)."""
    where: list[str] = []
    params: list[Any] = []
    if filters.forum:
        where.append(f"{_column('organization_id')} = %s")
        organization = Organization.objects.filter(slug=filters.forum).first()
        params.append(organization.pk if organization else -1)
    if filters.year:
        where.append(f"{_column('year')} = %s")
        params.append(filters.year)
    if filters.date_from and (bounds := local_day_range(filters.date_from)):
        where.append(f"{_column('starts_at')} >= %s")
        params.append(bounds[0])
    if filters.date_to and (bounds := local_day_range(filters.date_to)):
        where.append(f"{_column('starts_at')} < %s")
        params.append(bounds[1])
    for column, value in (
        ("case_type", filters.case_type),
        ("outcome", filters.outcome),
        ("kle_main_group", filters.kle),
    ):
        if value:
            where.append(f"{_column(column)} = %s")
            params.append(value)
    return where, params


def _number_source(query: str, *, exact: bool, tiers: list[_Tier]) -> _Source:
    """Rows of one journal number, or of a KLE group (a range, so the index serves it),
    among the rows any of the user's tiers may show."""
    if exact:
        match, params = "e.journal_number = %s", [query]
    else:
        match, params = "e.kle_number >= %s AND e.kle_number < %s", [query, f"{query}~"]
    visible = [t for t in tiers if t.condition]
    if len(visible) == len(tiers):  # no tier shows every row
        match += " AND (" + " OR ".join(f"({t.condition})" for t in visible) + ")"
        params += [value for t in visible for value in t.params]
    return _Source("search_searchentry e", match, params, None)


# bm25 weights of the FTS5 columns per tier: (exact, stems) of public, reader, staff.
_SQLITE_WEIGHTS = {
    "public": "4.0, 1.0, 0.0, 0.0, 0.0, 0.0",
    "reader": "0.0, 0.0, 4.0, 1.0, 0.0, 0.0",
    "staff": "0.0, 0.0, 0.0, 0.0, 4.0, 1.0",
}


def _text_source(terms: list[str], tier: _Tier) -> _Source:
    """Every term must match in the tier's text, as itself or by its stem; exact words
    weigh more. The tier's condition joins the match."""
    condition = f" AND {tier.condition}" if tier.condition else ""
    if connection.vendor == "postgresql":
        tsquery = " && ".join(
            "(plainto_tsquery('simple', %s) || plainto_tsquery('danish', %s))" for _ in terms
        )
        return _Source(
            "search_searchentry e, q",
            f"e.{tier.text}_vector @@ q.query{condition}",
            list(tier.params),
            f"ts_rank(e.{tier.text}_vector, q.query)",
            # MATERIALIZED: computed once, shared by the match and the ranking.
            query_cte=f"q AS MATERIALIZED (SELECT {tsquery} AS query)",
            query_params=[value for term in terms for value in (term, stem(term))],
        )
    match = " AND ".join(
        f'({tier.text}_exact : "{term}" OR {tier.text}_stems : "{search_stem(term)}")'
        for term in terms
    )
    # CROSS JOIN makes SQLite run the full-text match first; INDEXED BY makes it read the
    # entry's columns from the narrow covering index (migration 0003), not the wide rows.
    return _Source(
        "search_fts CROSS JOIN search_searchentry e INDEXED BY search_entry_facets"
        " ON e.id = search_fts.rowid",
        f"search_fts MATCH %s{condition}",
        [match, *tier.params],
        f"-bm25(search_fts, {_SQLITE_WEIGHTS[tier.text]})",
    )


def _facets(counts: _Counts) -> dict[str, list[tuple[str, str, int]]]:
    """Counts per forum, year, case type, outcome and KLE main group: (value, label, count)."""
    organizations = Organization.objects.in_bulk(list(counts["forum"]))

    def given(name: str) -> list[tuple[Any, int]]:
        return [(value, n) for value, n in counts[name].items() if value and n]

    def most_common(name: str) -> list[tuple[str, str, int]]:
        return [(v, v, n) for v, n in sorted(given(name), key=lambda t: (-t[1], t[0]))]

    return {
        "forum": sorted(
            (
                (organizations[pk].slug, organizations[pk].name, n)
                for pk, n in given("forum")
                if pk in organizations  # a forum deleted since (its rows go with it)
            ),
            key=lambda t: (-t[2], t[1]),
        ),
        "year": sorted(((str(y), str(y), n) for y, n in given("year")), reverse=True),
        "type": most_common("type"),
        "outcome": most_common("outcome"),
        "kle": sorted((v, v, n) for v, n in given("kle")),
    }


class _Matcher:
    """Whether a token of text is a query term, as itself or by its stem (memoised: the
    tokens of one page of hits repeat)."""

    def __init__(self, terms: list[str]) -> None:
        self.words = set(terms)
        self.stems = {search_stem(t) for t in terms}
        self.known: dict[str, bool] = {}

    def __call__(self, token: str) -> bool:
        found = self.known.get(token)
        if found is None:
            found = any(w in self.words or search_stem(w) in self.stems for w in words(token))
            self.known[token] = found
        return found


def _snippet(
    entry: SearchEntry, matches: _Matcher, *, grants: Grants, decisions: bool
) -> SafeString:
    """A stretch of the item's text around the first match, matches marked with <mark>:
    only text this user may read (restricted bilag for the forum's readers, the decision
    where the gate shows it)."""
    readers = grants.administrator or entry.organization_id in grants.reader_forums
    parts = [entry.body]
    if readers and entry.restricted:
        parts.append(entry.restricted)
    if decisions and entry.decision:
        parts.append(entry.decision)
    plain = "\n\n".join(p for p in parts if p).split()
    first = next((i for i, t in enumerate(plain) if matches(t)), 0)
    start = max(0, first - 8)
    window = plain[start : start + SNIPPET_WORDS]
    # html.escape(quote=True) is what django.utils.html.escape does, without its wrapper.
    parts = [f"<mark>{html.escape(t)}</mark>" if matches(t) else html.escape(t) for t in window]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(plain) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)  # noqa: S308 (every part is escaped)
