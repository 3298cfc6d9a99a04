"""Parse speed: documents per second on one core (target: at least 500 seed-sized).

Usage: .venv/bin/python bench/parse_bench.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, machine, write_generated_texts
from dagsorden.importers.parsers import parse_path

SEEDS = ROOT.parent / "shared" / "seeds"


def rate(paths: list[Path], seconds: float) -> tuple[float, int]:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for path in paths:
            parse_path(path)
        done += len(paths)
    return done / (time.perf_counter() - start), done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        sys.exit(f"no seeds in {SEEDS}")
    with tempfile.TemporaryDirectory() as tmp:
        generated = write_generated_texts(Path(tmp), count=200)
        size = statistics.mean(p.stat().st_size for p in generated)
        seed_rate, seed_n = rate(seeds, args.seconds)
        gen_rate, gen_n = rate(generated, args.seconds)
    seed_size = statistics.mean(p.stat().st_size for p in seeds)
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print(
        f"seeds ({len(seeds)} files, mean {seed_size / 1024:.1f} KiB): "
        f"{seed_rate:.0f} docs/s ({seed_n} parsed)"
    )
    print(
        f"generated (200 files, mean {size / 1024:.1f} KiB): {gen_rate:.0f} docs/s ({gen_n} parsed)"
    )


if __name__ == "__main__":
    main()
