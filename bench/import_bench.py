"""Import speed: 1,000 generated documents into SQLite and PostgreSQL (target: 100 docs/s).

Runs ``dagsorden import DIR`` as its own process on a freshly migrated database and reports
wall time, documents per second and the import process's peak memory (max RSS).

Usage: .venv/bin/python bench/import_bench.py [--documents 1000] [--postgres URL|--no-postgres]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import dagsorden, machine, write_generated_texts


def measure(folder: Path, count: int, env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one import process."""
    dagsorden("migrate", "-v0", env=env)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "dagsorden", "import", str(folder)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    out = process.stdout.read().decode() if process.stdout else ""
    if status != 0 or f"{count} imported" not in out:
        err = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"import failed ({status}): {out} {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def postgres_database(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} (the machine is shared)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        paths = write_generated_texts(folder, count=args.documents)
        items = sum(p.read_text(encoding="utf-8").count("\nPunkt ") for p in paths)
        print(f"{len(paths)} generated documents, {items} agenda items")
        runs = [("SQLite", {"DAGSORDEN_VAR_DIR": str(Path(tmp) / "var")})]
        if not args.no_postgres:
            url = postgres_database(args.postgres, "dagsorden_bench_import")
            runs.append(("PostgreSQL", {"DATABASE_URL": url}))
        for name, env in runs:
            if "DATABASE_URL" not in env:
                env["DATABASE_URL"] = (
                    f"sqlite:///{Path(env['DAGSORDEN_VAR_DIR']) / 'bench.sqlite3'}"
                )
                Path(env["DAGSORDEN_VAR_DIR"]).mkdir()
            seconds, peak = measure(folder, len(paths), env)
            print(
                f"{name}: {len(paths)} documents in {seconds:.2f} s = "
                f"{len(paths) / seconds:.0f} docs/s (process start included); "
                f"peak RSS {peak:.0f} MiB"
            )


if __name__ == "__main__":
    main()
