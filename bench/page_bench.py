"""Meeting-page throughput under wrk, gunicorn with two workers (target: ≥ 1,000 req/s).

Reuses (or builds) the search benchmark's SQLite archive of about 100,000 agenda items under
bench/out/, picks a typical published meeting of about ten items, starts gunicorn with the
production settings (DEBUG off; HTTPS redirect off, as nothing here speaks TLS) on a free
localhost port, warms up, then runs ``wrk -t2 -c32 -d15s`` as an anonymous visitor against

  (a) that meeting's page, and
  (b) a bare Django view returning a two-byte HttpResponse through the same middleware
      (``/__bench__/bare``, present only with DAGSORDEN_BENCH_BARE_VIEW=1),

alternating (a) and (b) ``--runs`` times, and prints requests per second, latency p50/p99
and the page's share of the bare view's rate. The figures go to bench/out/page-bench.json.
``--uncached`` adds (c): the same page with a query string, which the anonymous page cache
(dagsorden/public/page_cache.py) never serves, i.e. the cost of rendering it every time.

Usage: .venv/bin/python bench/page_bench.py [--items 100000] [--runs 2] [--duration 15]
       [--uncached]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import OUT, machine  # noqa: E402
from bench.search_bench import build, env_for  # noqa: E402

TARGET = 1000.0
BARE_PATH = "/__bench__/bare"
ITEMS_PER_MEETING = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(database: dict[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        **database,
        "DJANGO_SETTINGS_MODULE": "dagsorden.settings.production",
        "DAGSORDEN_SECRET_KEY": secrets.token_urlsafe(50),
        "DAGSORDEN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DAGSORDEN_SECURE_SSL_REDIRECT": "0",
        # Production keeps database connections open between requests.
        "DAGSORDEN_CONN_MAX_AGE": os.environ.get("DAGSORDEN_CONN_MAX_AGE", "600"),
        "DAGSORDEN_BENCH_BARE_VIEW": "1",
    }


def typical_meeting_path(database: dict[str, str]) -> tuple[str, int]:
    """The address of a published, held meeting with ten items, and its item count."""
    os.environ.update(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dagsorden.settings.base"
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count, Q
    from django.utils import timezone

    from dagsorden.meetings.models import Meeting
    from dagsorden.meetings.selectors import meetings_visible_to
    from dagsorden.public.links import meeting_url

    meetings = (
        meetings_visible_to(user=AnonymousUser())
        .filter(state=Meeting.State.MINUTES_APPROVED, starts_at__lt=timezone.now())
        .annotate(live_items=Count("items", filter=Q(items__deleted_at__isnull=True)))
        .filter(live_items=ITEMS_PER_MEETING)
        .order_by("-starts_at")
    )
    chosen = meetings.first()
    if chosen is None:
        raise SystemExit(f"no published meeting with {ITEMS_PER_MEETING} items in the archive")
    return meeting_url(chosen), chosen.live_items  # type: ignore[attr-defined]


def wait_until_up(url: str, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (localhost)
        assert response.status == 200, (url, response.status)
        return response.read().decode()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * _UNITS[unit]


def wrk(url: str, *, threads: int, connections: int, duration: int) -> dict[str, float]:
    """One wrk run: requests per second and the latency percentiles wrk reports."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise SystemExit(f"wrk saw errors:\n{output}")
    found = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),  # type: ignore[index]
        "requests": float(re.search(r"(\d+) requests in", output)[1]),  # type: ignore[index]
    }
    for percentile in ("50", "99"):
        match = re.search(rf"^\s+{percentile}%\s+(\S+)$", output, re.MULTILINE)
        found[f"p{percentile}_ms"] = _ms(match[1])  # type: ignore[index]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--uncached", action="store_true", help="also time the page uncached")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    print(f"machine: {machine()}")
    meetings = round(args.items / 7.5)  # as search_bench.py: about 7.5 items a meeting
    build("sqlite", meetings)  # cached under bench/out/ and shared with search_bench.py
    database = env_for("sqlite")
    path, items = typical_meeting_path(database)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [sys.executable, "-m", "gunicorn", "dagsorden.wsgi:application"]
    gunicorn += ["--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*gunicorn, "--log-level", "warning"],
        env=server_env(database),
        cwd=ROOT,
    )
    try:
        wait_until_up(base + BARE_PATH)
        html = fetch(base + path)
        assert '<html lang="da">' in html and "<h1>" in html, "not the meeting page"
        size = len(html.encode())
        print(f"gunicorn: {args.workers} workers on {base}; {path}: {items} items, {size:,} B")
        targets = {"meeting page": base + path, "bare view": base + BARE_PATH}
        if args.uncached:
            targets["page uncached"] = base + path + "?uncached=1"
        for url in targets.values():  # warm-up: templates, translations, database pages
            wrk(url, threads=args.threads, connections=args.connections, duration=3)
        runs: list[dict[str, dict[str, float]]] = []
        for run in range(1, args.runs + 1):
            figures = {
                name: wrk(
                    url, threads=args.threads, connections=args.connections, duration=args.duration
                )
                for name, url in targets.items()
            }
            runs.append(figures)
            page, bare = figures["meeting page"], figures["bare view"]
            load = os.getloadavg()[0]
            print(f"run {run} (load average {load:.2f}):")
            for name, found in figures.items():
                print(
                    f"  {name:13}  {found['rps']:8,.0f} req/s   p50 {found['p50_ms']:6.2f} ms   "
                    f"p99 {found['p99_ms']:6.2f} ms"
                )
            verdict = "met" if page["rps"] >= TARGET else "NOT met"
            print(
                f"  meeting page = {page['rps'] / bare['rps']:.0%} of the bare view; "
                f"target {TARGET:,.0f} req/s {verdict}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    OUT.mkdir(parents=True, exist_ok=True)
    record = {
        "machine": machine(),
        "command": (
            f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency; "
            f"gunicorn --workers {args.workers}"
        ),
        "page": path,
        "items": items,
        "runs": runs,
    }
    (OUT / "page-bench.json").write_text(json.dumps(record, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
