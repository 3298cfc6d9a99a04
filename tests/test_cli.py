"""The `dagsorden` command line: exit codes, one-line errors, the import summary."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from dagsorden.importers.parsers import parse_path
from dagsorden.importers.services import local_datetime
from dagsorden.meetings.models import Meeting

DAGSORDEN = [sys.executable, "-m", "dagsorden"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DAGSORDEN, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_parse_prints_the_contract_json(seed: Path) -> None:
    result = run("parse", str(seed))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "dagsorden.document/1"
    assert list(data)[:6] == ["schema", "kind", "forum", "starts_at", "location", "items"]
    assert list(data["items"][0])[:11] == [
        "number", "title", "journal_number", "occasion", "presentation", "recommendation",
        "decision", "attachments", "time_slot", "presenters", "guests",
    ]  # fmt: skip
    assert data == parse_path(seed).to_json()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "empty.txt", (d / "empty.txt").write_text(""))[0], "empty"),
        (lambda d: (d / "b.bin", (d / "b.bin").write_bytes(b"\x00\x01\x02" * 50))[0], "binary"),
        (
            lambda d: (
                d / "n.txt",
                (d / "n.txt").write_text("REFERAT X\nMødedato 1. maj 2023 kl. 9:00\n"),
            )[0],
            "no agenda items",
        ),
    ],
)
def test_parse_bad_input_exits_2_with_one_line(tmp_path: Path, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    result = run("parse", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and reason in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_import_summary_and_exit_code(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text("not minutes at all\n")
    with pytest.raises(SystemExit) as exited:
        call_command("import", str(seeds_dir), str(broken))
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert "4 files: 3 imported, 0 updated, 0 unchanged, 1 failed." in out
    assert "broken.txt" in err and "not an agenda or minutes" in err
    call_command("import", str(seeds_dir))
    assert "3 unchanged" in capsys.readouterr().out
    assert Meeting.objects.count() == 3


@pytest.mark.django_db
def test_export_unknown_forum_or_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        call_command("export", "--forum", "Nope", "--date", "2023-09-14")
    assert exited.value.code == 2
    assert "no forum named 'Nope'" in capsys.readouterr().err


def test_killing_an_import_leaves_no_half_meeting(tmp_path: Path, seeds_dir: Path) -> None:
    """SIGKILL in the middle of a long import: every stored meeting is whole."""
    from dagsorden.demo.generator import generate_documents
    from dagsorden.publishing.renderers.txt import render_text

    documents = generate_documents(meetings=400, seed=7)
    folder = tmp_path / "docs"
    folder.mkdir()
    for index, document in enumerate(documents):
        (folder / f"{index:04d}.txt").write_text(render_text(document), encoding="utf-8")
    env = {
        "DAGSORDEN_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "dagsorden.settings.base",
    }
    env.pop("DATABASE_URL", None)
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    migrate = subprocess.run(
        [*DAGSORDEN, "migrate", "-v0"],
        env={**base_env, **env},
        check=False,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr
    process = subprocess.Popen(
        [*DAGSORDEN, "import", str(folder)],
        env={**base_env, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    database = tmp_path / "var" / "dagsorden.sqlite3"
    import sqlite3

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        with sqlite3.connect(database) as connection:
            (count,) = connection.execute("select count(*) from meetings_meeting").fetchone()
        if count >= 20:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "select m.id, m.starts_at, count(i.id) from meetings_meeting m "
            "left join meetings_agendaitem i on i.meeting_id = m.id group by m.id"
        ).fetchall()
        sources = connection.execute("select count(*) from meetings_meetingsource").fetchone()[0]
    assert 20 <= len(rows) < len(documents), "the import was not interrupted mid-way"
    assert sources == len(rows)
    expected = {
        (
            d.forum,
            local_datetime(d.starts_at).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        ): len(d.items)
        for d in documents
    }
    with sqlite3.connect(database) as connection:
        stored = connection.execute(
            "select o.name, m.starts_at, count(i.id) from meetings_meeting m "
            "join meetings_organization o on o.id = m.organization_id "
            "left join meetings_agendaitem i on i.meeting_id = m.id group by m.id"
        ).fetchall()
    for forum, starts_at, item_count in stored:
        assert expected[(forum, starts_at[:19])] == item_count
