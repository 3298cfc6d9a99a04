"""PDF rendering speed: a 10-item minutes (target: at most 1 s, warm process).

Compares our renderer (Django template, print stylesheet, tagged PDF/UA-1, item pages read
from the layout) with plain WeasyPrint on the very same HTML and stylesheet: what WeasyPrint
itself costs, and what our layer adds. Also times the DOCX and text renderings of the same
meeting (both lay the PDF out once for their page numbers).

Usage: .venv/bin/python bench/render_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dagsorden.settings.test")

import django

django.setup()

import weasyprint  # noqa: E402

from bench.common import machine  # noqa: E402
from dagsorden.demo.generator import generate_documents  # noqa: E402
from dagsorden.documents.contract import Document  # noqa: E402
from dagsorden.publishing.renderers.html import render_html  # noqa: E402
from dagsorden.publishing.renderers.pdf import PRINT_CSS, render_pdf  # noqa: E402
from dagsorden.publishing.services import document_render  # noqa: E402

TARGET_SECONDS = 1.0


def ten_item_minutes() -> Document:
    for document in generate_documents(meetings=80, seed=2023, today=dt.date(2024, 5, 1)):
        if document.kind == "minutes" and len(document.items) == 10:
            return document
    raise SystemExit("no 10-item minutes among the generated meetings")


def timed(function: Callable[[], object], runs: int) -> tuple[float, float]:
    """(first call, median of the following ``runs`` calls) in seconds."""
    start = time.perf_counter()
    function()
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    document = ten_item_minutes()
    html = render_html(document, audience="public")
    stylesheet = PRINT_CSS.read_text(encoding="utf-8")

    def ours() -> object:
        return render_pdf(document, audience="public")

    def plain() -> object:
        return weasyprint.HTML(string=html, base_url=str(PRINT_CSS.parent)).write_pdf(
            stylesheets=[weasyprint.CSS(string=stylesheet)]
        )

    result = render_pdf(document, audience="public")
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print(f"weasyprint {weasyprint.__version__}; python {sys.version.split()[0]}")
    print(
        f"document: {document.forum} {document.starts_at}, {len(document.items)} items, "
        f"{result.page_count} pages, {len(result.data) / 1024:.0f} KiB PDF"
    )
    rows = [
        ("ours: render_pdf (PDF/UA-1, tagged)", ours),
        ("plain WeasyPrint, same HTML + CSS", plain),
        ("ours: DOCX (with PDF page numbers)", lambda: document_render(
            document=document, fmt="docx", audience="public")),
        ("ours: text (with PDF page numbers)", lambda: document_render(
            document=document, fmt="txt", audience="public")),
    ]  # fmt: skip
    medians = {}
    for label, function in rows:
        first, median = timed(function, args.runs)
        medians[label] = median
        print(f"{label:40s} first {first:5.2f} s, then median {median:5.2f} s ({args.runs} runs)")
    ours_median = medians[rows[0][0]]
    plain_median = medians[rows[1][0]]
    verdict = "meets" if ours_median <= TARGET_SECONDS else "MISSES"
    print(
        f"ours / plain = {ours_median / plain_median:.2f}; "
        f"{verdict} the target of {TARGET_SECONDS:.1f} s per 10-item minutes"
    )


if __name__ == "__main__":
    main()
