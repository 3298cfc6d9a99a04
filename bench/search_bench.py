"""Search latency on a generated archive of about 100,000 agenda items (target: p95 ≤ 50 ms).

Builds the archive once per back end with `dagsorden demo` (cached under bench/out/ and in
the PostgreSQL database dagsorden_bench_search; each run migrates a cached archive and, on
PostgreSQL, runs VACUUM ANALYZE as autovacuum would after a bulk load), then times 200
realistic queries made as an anonymous visitor: single words, inflected forms, two-word
queries, journal numbers and KLE prefixes, a third of them with a forum filter.

Usage: .venv/bin/python bench/search_bench.py [--items 100000] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import OUT, machine  # noqa: E402

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "dagsorden_bench_search"
WORDS = [
    "budget", "budgettet", "målsætninger", "målsætningerne", "prøvehandlinger", "årshjulet",
    "telefontider", "sygefravær", "rekruttering", "digitaliseringsstrategi", "klimaplan",
    "dagtilbudspolitik", "skolestruktur", "økonomirapport", "anlægsplan", "beredskab",
    "ledelsesudvikling", "kanalstrategi", "målplaner", "servicerammen", "borgerne",
    "energirenovering", "mentorordninger", "informationssikkerhed", "godkendt",
]  # fmt: skip
PAIRS = [
    "budget 2025", "grøn omstilling", "kunstig intelligens", "målplaner prøvehandlinger",
    "telefontider borgerne", "økonomirapport merforbrug", "sygefravær langtidsfravær",
]  # fmt: skip


def env_for(backend: str) -> dict[str, str]:
    if backend == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{OUT / 'search-bench.sqlite3'}"}
    return {"DATABASE_URL": PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_NAME}"}


def build(backend: str, meetings: int) -> None:
    env = {**os.environ, **env_for(backend), "DJANGO_SETTINGS_MODULE": "dagsorden.settings.base"}
    run = [sys.executable, "-m", "dagsorden"]
    marker = OUT / f"search-bench-{backend}-{meetings}.built"
    if marker.exists():
        # A cached archive gets the migrations added since it was built (new indexes).
        subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
        vacuum_analyze(backend)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        (OUT / "search-bench.sqlite3").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{PG_NAME}"')
    started = time.perf_counter()
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [*run, "demo", "--meetings", str(meetings), "--seed", "100"], env=env, check=True
    )
    print(f"{backend}: built {meetings} meetings in {time.perf_counter() - started:.0f} s")
    vacuum_analyze(backend)
    marker.touch()


def vacuum_analyze(backend: str) -> None:
    """PostgreSQL: what autovacuum does some time after a bulk load, done before measuring:
    planner statistics (without them a match on a common word is estimated at a few hundred
    rows) and the visibility map (index-only scans). SQLite's plans do not depend on
    statistics."""
    if backend != "postgres":
        return
    import psycopg

    with psycopg.connect(env_for(backend)["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def queries(
    rng: random.Random, journal_numbers: list[str], forums: list[str]
) -> list[tuple[str, str | None]]:
    made: list[tuple[str, str | None]] = []
    for index in range(200):
        kind = index % 10
        if kind < 5:
            query = rng.choice(WORDS)
        elif kind < 7:
            query = rng.choice(PAIRS)
        elif kind < 9:
            query = rng.choice(journal_numbers)
        else:
            query = rng.choice(["00.01", "00.30", "81", "17.01", "85", "27"])
        made.append((query, rng.choice(forums) if index % 3 == 0 else None))
    return made


def reader(role: str) -> object:
    """The user the queries are made as: an anonymous visitor (the public tier alone), or a
    member of the first forum (the public tier plus the forum's member tiers)."""
    from django.contrib.auth.models import AnonymousUser, User

    from dagsorden.access.models import Role, RoleAssignment
    from dagsorden.meetings.models import Organization

    if role == "anonymous":
        return AnonymousUser()
    user, _ = User.objects.get_or_create(username="bench-member")
    forum = Organization.objects.order_by("pk").first()
    RoleAssignment.objects.get_or_create(user=user, role=Role.MEMBER, organization=forum)
    return User.objects.get(pk=user.pk)


def measure(backend: str, role: str = "anonymous") -> None:
    os.environ.update(env_for(backend))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dagsorden.settings.base"
    import django

    django.setup()
    from django.db import connection

    from dagsorden.meetings.models import AgendaItem, Organization
    from dagsorden.search.selectors import SearchFilters, search_items

    items = AgendaItem.objects.count()
    rng = random.Random(7)
    journal_numbers = list(
        AgendaItem.objects.exclude(case=None).values_list("case__journal_number", flat=True)[:5000]
    )
    forums = list(Organization.objects.values_list("slug", flat=True)[:6])
    made = queries(rng, journal_numbers, forums)
    user = reader(role)
    for query, forum in made[:20]:  # warm caches, as a running server would be
        search_items(query=query, user=user, filters=SearchFilters(forum=forum))
    timings, totals = [], []
    for query, forum in made:
        started = time.perf_counter()
        results = search_items(query=query, user=user, filters=SearchFilters(forum=forum))
        timings.append((time.perf_counter() - started) * 1000)
        totals.append(results.total)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{backend} ({connection.vendor}), as {role}: {items} items, {len(made)} queries, "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms, "
        f"median hits {statistics.median(totals):.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--as", dest="role", choices=["anonymous", "member"], default="anonymous",
        help="query as an anonymous visitor (the target) or as a member of a forum",
    )  # fmt: skip
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if args.measure_only:
        measure(backends[0], args.role)
        return
    print(f"machine: {machine()}")
    meetings = round(args.items / 7.5)  # the generator averages about 7.5 items a meeting
    for backend in backends:
        build(backend, meetings)
        # Each back end is measured in a fresh process (Django is set up once per process).
        subprocess.run(
            [sys.executable, __file__, "--backend", backend, "--measure-only", "--as", args.role],
            check=True,
        )


if __name__ == "__main__":
    main()
