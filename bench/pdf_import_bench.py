"""PDF import speed: 200 generated PDFs read by our importer vs ``pdftotext`` (target: <= 2x).

Our side reads each file into a full dagsorden.document/1 (text layer, layout noise removed,
text rules applied) in this process; ``pdftotext`` (poppler) only extracts the text, one
process per file as it is used. The PDFs are rendered once (in parallel) and kept under
``bench/out/`` for later runs. Every file read back is also checked against the document it
was rendered from.

Usage: .venv/bin/python bench/pdf_import_bench.py [--documents 200] [--seed 11]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dagsorden.settings.test")

from bench.common import OUT, machine

TODAY = dt.date(2024, 5, 1)
TARGET_RATIO = 2.0


def _documents(count: int, seed: int) -> list[Any]:
    from dagsorden.demo.generator import generate_documents

    return generate_documents(meetings=count, seed=seed, today=TODAY)


def _render(job: tuple[int, int, int, str]) -> None:
    """Worker: render document ``index`` of the generated archive to ``folder``."""
    import django

    django.setup()
    from dagsorden.publishing.renderers.pdf import render_pdf

    index, count, seed, folder = job
    document = _documents(count, seed)[index]
    data = render_pdf(document, audience="internal").data
    (Path(folder) / f"{index:05d}.pdf").write_bytes(data)


def rendered_pdfs(count: int, seed: int) -> Path:
    """The folder of ``count`` rendered PDFs, made once (all cores) and kept for reruns."""
    folder = OUT / f"pdf-import-{count}-{seed}"
    if len(list(folder.glob("*.pdf"))) == count:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    jobs = [(index, count, seed, str(folder)) for index in range(count)]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 1) as pool:
        pool.map(_render, jobs, chunksize=4)
    print(f"rendered {count} PDFs in {time.perf_counter() - start:.0f} s (once; kept in {folder})")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if shutil.which("pdftotext") is None:
        sys.exit("pdftotext is missing (Debian: apt-get install poppler-utils)")
    folder = rendered_pdfs(args.documents, args.seed)

    import django

    django.setup()
    import pypdfium2 as pdfium

    from dagsorden.importers.parsers.pdf import parse_pdf

    paths = sorted(folder.glob("*.pdf"))
    expected = _documents(args.documents, args.seed)
    pages = sum(len(pdfium.PdfDocument(path)) for path in paths)
    parse_pdf(paths[0].read_bytes())  # warm up (imports, pdfium)

    start = time.perf_counter()
    parsed = [parse_pdf(path.read_bytes(), source=path.name) for path in paths]
    ours = time.perf_counter() - start

    start = time.perf_counter()
    for path in paths:
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    poppler = time.perf_counter() - start

    same = sum(got == want for got, want in zip(parsed, expected, strict=True))
    size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{len(paths)} generated PDFs, {pages} pages, mean {size:.0f} KiB")
    print(f"ours (parse_pdf, in process): {ours:.2f} s = {ours / len(paths) * 1000:.1f} ms/file")
    print(
        f"pdftotext (one process/file): {poppler:.2f} s = {poppler / len(paths) * 1000:.1f} ms/file"
    )
    ratio = ours / poppler
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ours / pdftotext = {ratio:.2f} ({verdict} the target of <= {TARGET_RATIO:.0f}x)")
    print(f"read back identical to the rendered document: {same} of {len(paths)}")


if __name__ == "__main__":
    main()
