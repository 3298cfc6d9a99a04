"""Two imports of the same directory at once: both finish, nothing is stored twice.

(issue 9, defect 12.) Two real processes, released at the same moment, import the same
documents into the database the suite runs on (PostgreSQL in CI's second run, where one of
them used to fail with an IntegrityError on the forum's address or on the meeting's
uniqueness; on SQLite a migrated file, as the in-memory test database cannot be shared).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from dagsorden.demo.generator import generate_documents
from dagsorden.publishing.renderers.txt import render_text

DOCUMENTS = 40

DRIVER = """
import os, sys, time, pathlib
import django
django.setup()
from django.core.management import call_command
go, ready, folder = (pathlib.Path(a) for a in sys.argv[1:4])
ready.touch()
while not go.exists():
    time.sleep(0.001)
call_command("import", str(folder))
"""

COUNTS = """
import json
import django
django.setup()
from django.db.models import Count
from dagsorden.cases.models import Case
from dagsorden.meetings.models import AgendaItem, Meeting, MeetingSource, Organization
print(json.dumps({
    "forums": sorted(Organization.all_objects.values_list("name", flat=True)),
    "meetings": Meeting.all_objects.count(),
    "items": AgendaItem.all_objects.count(),
    "cases": Case.all_objects.count(),
    "distinct cases": Case.all_objects.values("journal_number").distinct().count(),
    "sources": MeetingSource.objects.count(),
}))
"""


def database_environment(tmp_path: Path) -> dict[str, str]:
    """Settings for child processes that reach the database this test sees."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dagsorden.settings.base",
        "DAGSORDEN_DEBUG": "0",
        "DAGSORDEN_VAR_DIR": str(tmp_path / "var"),
    }
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        env["DATABASE_URL"] = (
            f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        migrate = subprocess.run(
            [sys.executable, "-m", "dagsorden", "migrate", "-v0"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
    return env


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_directory_at_once(tmp_path: Path) -> None:
    # The same documents twice: one importer reads them first to last, the other last to
    # first, so they also meet on different forums at once (cases are shared between them).
    documents = generate_documents(meetings=DOCUMENTS, seed=12)
    folders = [tmp_path / "forwards", tmp_path / "backwards"]
    for folder in folders:
        folder.mkdir()
    for index, document in enumerate(documents):
        text = render_text(document)
        (folders[0] / f"{index:03d}.txt").write_text(text, encoding="utf-8")
        (folders[1] / f"{DOCUMENTS - index:03d}.txt").write_text(text, encoding="utf-8")
    env = database_environment(tmp_path)
    go = tmp_path / "go"
    processes = []
    for number, folder in enumerate(folders):
        ready = tmp_path / f"ready-{number}"
        processes.append(
            (
                ready,
                subprocess.Popen(
                    [sys.executable, "-c", DRIVER, str(go), str(ready), str(folder)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in processes):
        assert time.monotonic() < deadline, "the importers did not start"
        time.sleep(0.01)
    go.touch()  # both start now
    summaries = []
    for _, process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        summaries.append(out)
    imported = sum(int(out.split(": ")[1].split(" imported")[0]) for out in summaries)
    assert imported == DOCUMENTS, summaries
    assert all(f"{DOCUMENTS} files:" in out and "0 failed." in out for out in summaries)

    result = subprocess.run(
        [sys.executable, "-c", COUNTS], env=env, capture_output=True, text=True, check=True
    )
    counts = json.loads(result.stdout)
    forums = sorted({document.forum for document in documents})
    journal_numbers = {item.journal_number for document in documents for item in document.items} - {
        None
    }
    assert counts == {
        "forums": forums,
        "meetings": DOCUMENTS,
        "items": sum(len(document.items) for document in documents),
        "cases": len(journal_numbers),
        "distinct cases": len(journal_numbers),
        "sources": DOCUMENTS,
    }
