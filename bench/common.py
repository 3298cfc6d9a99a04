"""Shared helpers for the benchmarks: generated documents on disk, machine facts."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def write_generated_texts(folder: Path, *, count: int, seed: int = 11) -> list[Path]:
    """``count`` generated meetings rendered to text files (the seeds' format)."""
    from dagsorden.demo.generator import generate_documents
    from dagsorden.publishing.renderers.txt import render_text

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, document in enumerate(generate_documents(meetings=count, seed=seed)):
        path = folder / f"{index:05d}.txt"
        path.write_text(render_text(document), encoding="utf-8")
        paths.append(path)
    return paths


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    python = platform.python_version()
    return f"{platform.node() or 'host'}: {cpu}, {os.cpu_count()} cores, Python {python}"


def dagsorden(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dagsorden", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
