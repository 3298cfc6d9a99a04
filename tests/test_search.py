"""Search: Danish stems, exact words first, journal numbers, facets, visibility, both back ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from dagsorden.importers.parsers import parse_path
from dagsorden.importers.services import document_import, sha512_hex
from dagsorden.meetings.models import AgendaItem, Meeting
from dagsorden.meetings.outcome import decision_outcome
from dagsorden.search import selectors
from dagsorden.search.selectors import SearchFilters, search_items
from dagsorden.search.services import search_index_meeting, search_reindex_all
from dagsorden.search.stemming import query_terms, search_stem, stem
from tests.conftest import SEED_NAMES, seed_path

ANON = AnonymousUser()


class Staff:
    is_authenticated = True
    is_staff = True
    is_superuser = True  # an administrator: reads everything


@pytest.fixture
def seeds(seeds_dir: Path, django_capture_on_commit_callbacks) -> list[Meeting]:  # type: ignore[no-untyped-def]
    meetings = []
    with django_capture_on_commit_callbacks(execute=True):
        for name in SEED_NAMES:
            path = seed_path(name)
            result = document_import(
                document=parse_path(path), source_name=name, sha512=sha512_hex(path.read_bytes())
            )
            meetings.append(Meeting.objects.get(pk=result.meeting_id))
    return meetings


def top(query: str, user: object = ANON, **filters: object) -> tuple[str, int]:
    results = search_items(query=query, user=user, filters=SearchFilters(**filters))  # type: ignore[arg-type]
    assert results.hits, f"no hits for {query!r}"
    entry = results.hits[0].entry
    return f"{entry.starts_at:%Y-%m}", entry.number


def test_stemming_is_danish_snowball() -> None:
    assert search_stem("målsætningerne") == search_stem("målsætning")
    assert search_stem("budgettet") == search_stem("budget")
    assert stem("budgettet") != stem("budget")  # why one Snowball pass is not enough
    assert query_terms("og budget 2024 og") == ["budget", "2024"]
    assert query_terms("og") == ["og"]


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Chefforum godkendte referat og dagsorden.", "approved"),
        ("Godkendt.", "approved"),
        ("Chefforum tog Økonomirapporten til efterretning.", "noted"),
        ("Chefforum drøftede materialet og redegjorde for opmærksomhedspunkter.", "discussed"),
        (
            "Chefforum besluttede at udsætte drøftelsen af punktet, da der var for få deltagere.",
            "postponed",
        ),
        ("Sagen udskydes, idet der dog kort blev drøftet følgende:", "postponed"),
        (
            "Chefforum drøftede sagen og besluttede følgende:\n- Chefforum godkendte oplægget.",
            "approved",
        ),
        ("Ad 1: Tiltrådt.\nAd 2: Drøftet.", "endorsed"),
        ("Chefforum tiltrådte indstillingen.", "endorsed"),
        ("Intet.", None),
        (None, None),
    ],
)
def test_decision_outcome(text: str | None, outcome: str | None) -> None:
    assert decision_outcome(text) == outcome


@pytest.mark.django_db
def test_seed_queries_find_the_right_items_first(seeds: list[Meeting]) -> None:
    assert top("telefontider") == ("2023-10", 5)
    assert top("årshjulet") == ("2023-10", 4)
    assert top("prøvehandlinger")[0] in {"2023-09", "2023-10"}
    assert top("budget 2024") in {("2023-09", 2), ("2023-10", 2)}
    assert top("målsætningerne") == ("2023-10", 3)


@pytest.mark.django_db
def test_stems_match_and_exact_words_rank_first(seeds: list[Meeting]) -> None:
    results = search_items(query="budgettet", user=ANON)
    titles = [hit.entry.title for hit in results.hits]
    assert any("Budget 2024" in t for t in titles)
    exact = search_items(query="Økonomirapporten", user=ANON)
    assert exact.hits[0].entry.title.startswith("Økonomirapport")
    assert "<mark>" in str(exact.hits[0].snippet)


@pytest.mark.django_db
def test_journal_numbers_and_kle_prefixes(seeds: list[Meeting]) -> None:
    exact = search_items(query="00.01.00-P22-3-23", user=ANON)
    assert exact.journal_number == "00.01.00-P22-3-23"
    assert {h.entry.title for h in exact.hits} == {
        "Centrale udfordringer for 2024",
        "Målsætninger 2024",
    }
    group = search_items(query="00.01", user=ANON)
    assert group.total > 5 and all(h.entry.kle_number.startswith("00.01") for h in group.hits)
    assert search_items(query="83", user=ANON).hits[0].entry.journal_number == "83.02.00-A00-1-23"


@pytest.mark.django_db
def test_facets_filters_paging_and_sort(seeds: list[Meeting]) -> None:
    results = search_items(query="chefforum", user=ANON, per_page=5)
    assert results.total > 10 and results.pages == -(-results.total // 5)
    years = {value: count for value, _, count in results.facets["year"]}
    assert years["2022"] + years["2023"] == results.total
    only_2022 = search_items(query="chefforum", user=ANON, filters=SearchFilters(year=2022))
    assert only_2022.total == years["2022"]
    outcomes = {v: n for v, _, n in results.facets["outcome"]}
    assert outcomes["postponed"] >= 1
    postponed = search_items(
        query="chefforum", user=ANON, filters=SearchFilters(outcome="postponed")
    )
    assert postponed.total == outcomes["postponed"]
    second = search_items(query="chefforum", user=ANON, per_page=5, page=2)
    assert {h.entry.pk for h in second.hits}.isdisjoint(h.entry.pk for h in results.hits)
    by_date = search_items(query="chefforum", user=ANON, sort="date")
    dates = [h.entry.starts_at for h in by_date.hits]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pages_cover_every_hit_once_when_only_the_newest_are_ranked(
    seeds: list[Meeting], monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    # PostgreSQL ranks only the newest RANK_CANDIDATES hits; the rest follow, newest first.
    monkeypatch.setattr(selectors, "RANK_CANDIDATES", 7)
    first = search_items(query="chefforum", user=ANON, sort=sort, per_page=3)
    assert first.total > 10
    seen = []
    for page in range(1, first.pages + 1):
        results = search_items(query="chefforum", user=ANON, sort=sort, per_page=3, page=page)
        assert results.total == first.total and results.facets == first.facets
        seen.extend(results.hits)
    assert len(seen) == first.total == len({hit.entry.pk for hit in seen})
    dates = [hit.entry.starts_at for hit in seen]
    if sort == "date":
        assert dates == sorted(dates, reverse=True)
    elif connection.vendor == "postgresql":
        ranked, rest = seen[:7], seen[7:]
        assert [h.score for h in ranked] == sorted((h.score for h in ranked), reverse=True)
        assert min(h.entry.starts_at for h in ranked) >= max(h.entry.starts_at for h in rest)
        assert dates[7:] == sorted(dates[7:], reverse=True)
    else:
        scores = [hit.score for hit in seen]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.django_db
def test_facets_count_every_hit_and_agree_with_the_filters(seeds: list[Meeting]) -> None:
    results = search_items(query="chefforum", user=ANON)
    for name, field in (("forum", "forum"), ("type", "case_type"), ("kle", "kle")):
        for value, _, count in results.facets[name]:
            narrowed = SearchFilters(**{field: value})
            assert search_items(query="chefforum", user=ANON, filters=narrowed).total == count
    assert sum(n for _, _, n in results.facets["forum"]) == results.total
    assert sum(n for _, _, n in results.facets["year"]) == results.total
    kle = search_items(query="00.01", user=ANON)
    assert sum(n for _, _, n in kle.facets["year"]) == kle.total > 0


@pytest.mark.django_db
def test_planner_settings_do_not_outlive_the_search(seeds: list[Meeting]) -> None:
    # The test runs inside a transaction, as a caller's atomic block would.
    assert search_items(query="budget", user=ANON).total > 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
            assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_closed_items_are_neither_found_nor_counted_by_the_public(seeds: list[Meeting]) -> None:
    meeting = seeds[1]  # 2023-09-14
    AgendaItem.objects.filter(meeting=meeting, number=5).update(public=False)
    search_index_meeting(meeting_id=meeting.pk)
    public = search_items(query="faciliteringskompetencer", user=ANON)
    assert public.total == 0 and public.facets["forum"] == []
    staff = search_items(query="faciliteringskompetencer", user=Staff())
    assert staff.total >= 1 and staff.hits[0].entry.number == 5


@pytest.mark.django_db
def test_unpublished_meetings_and_draft_decisions_stay_hidden(seeds: list[Meeting]) -> None:
    meeting = seeds[2]  # 2023-10-12
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.AGENDA_PUBLISHED)
    search_index_meeting(meeting_id=meeting.pk)
    # "benchmark" occurs only in that meeting's Eventuelt decision.
    assert search_items(query="benchmark", user=ANON).total == 0
    assert search_items(query="benchmark", user=Staff()).total == 1
    assert search_items(query="telefontider", user=ANON).total == 1
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.PLANNED)
    search_index_meeting(meeting_id=meeting.pk)
    assert search_items(query="telefontider", user=ANON).total == 0
    assert search_items(query="telefontider", user=Staff()).total == 1


@pytest.mark.django_db
def test_reindex_all_is_idempotent(seeds: list[Meeting]) -> None:
    before = search_items(query="budget", user=ANON).total
    assert search_reindex_all() == AgendaItem.objects.count()
    assert search_items(query="budget", user=ANON).total == before


@pytest.mark.django_db
def test_search_command_json(seeds: list[Meeting], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("search", "telefontider", "--json", "--limit", "3")
    hits = json.loads(capsys.readouterr().out)
    assert hits[0] == {
        "forum": "Chefforum",
        "date": "2023-10-12",
        "number": 5,
        "title": "Rådhusets telefontider",
        "journal_number": "83.02.00-A00-1-23",
        "score": hits[0]["score"],
    }
    assert hits[0]["score"] > 0
    with pytest.raises(SystemExit) as exited:
        call_command("search", "budget", "--forum", "Ukendt")
    assert exited.value.code == 2


@pytest.mark.django_db
def test_search_page_keeps_state_in_the_url(seeds: list[Meeting], client: Client) -> None:
    page = client.get("/soeg/", {"q": "målsætningerne", "aar": "2023"}).content.decode()
    assert "Målsætninger 2024" in page and "<mark>" in page
    assert "aar=2023" in page  # facet and paging links carry the filters
    assert client.get("/soeg/", {"q": "budget", "side": "999"}).status_code == 200
    assert client.get("/soeg/", {"q": "x", "fra": "ikke-en-dato"}).status_code == 200


@pytest.mark.django_db
def test_search_page_hides_closed_items(seeds: list[Meeting], client: Client) -> None:
    AgendaItem.objects.filter(meeting=seeds[1], number=5).update(public=False)
    search_index_meeting(meeting_id=seeds[1].pk)
    assert (
        "Konsulentnetværket"
        not in client.get("/soeg/", {"q": "konsulentnetværket"}).content.decode()
    )
    client.force_login(User.objects.create_user("staff", is_staff=True, is_superuser=True))
    assert (
        "Konsulentnetværket" in client.get("/soeg/", {"q": "konsulentnetværket"}).content.decode()
    )
