"""Import stores documents losslessly and idempotently; export gives them back."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from dagsorden.access.rules import OPERATOR
from dagsorden.cases.models import Case
from dagsorden.documents.contract import Document
from dagsorden.documents.export import meeting_document
from dagsorden.importers import services
from dagsorden.importers.parsers import parse_path
from dagsorden.importers.services import Outcome, document_import, sha512_hex
from dagsorden.meetings.models import AgendaItem, Attachment, Meeting, Organization
from tests.conftest import seed_path

pytestmark = pytest.mark.django_db


def import_file(path: Path) -> services.ImportResult:
    return document_import(
        document=parse_path(path), source_name=path.name, sha512=sha512_hex(path.read_bytes())
    )


def test_seed_parse_import_export_is_exact(seed: Path) -> None:
    parsed = parse_path(seed).to_json()
    result = import_file(seed)
    assert result.outcome is Outcome.CREATED
    meeting = Meeting.objects.get(pk=result.meeting_id)
    assert meeting_document(meeting=meeting, user=OPERATOR).to_json() == parsed


def test_export_command_prints_the_parser_json(
    seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("parse", str(seed))
    parsed = capsys.readouterr().out
    import_file(seed)
    date = json.loads(parsed)["starts_at"][:10]
    call_command("export", "--forum", "Chefforum", "--date", date)
    assert json.loads(capsys.readouterr().out) == json.loads(parsed)


def test_import_is_idempotent_and_updates(seeds_dir: Path) -> None:
    path = seed_path("chefforum-2023-09-14.txt")
    first = import_file(path)
    again = import_file(path)
    assert again.outcome is Outcome.UNCHANGED and again.meeting_id == first.meeting_id
    assert Meeting.objects.count() == 1
    assert AgendaItem.objects.count() == 7


def test_a_changed_agenda_updates_its_imported_meeting() -> None:
    """(Changed minutes over approved ones are amendments: see test_import_lock.py.)"""
    minutes = parse_path(seed_path("chefforum-2023-09-14.txt"))
    agenda = replace(
        minutes, kind="agenda", items=tuple(replace(i, decision=None) for i in minutes.items)
    )
    first = document_import(document=agenda, source_name="agenda.txt", sha512="a" * 128)
    shorter = replace(
        agenda,
        items=(replace(agenda.items[0], title="Godkendelse af dagsorden"), *agenda.items[1:5]),
    )
    updated = document_import(document=shorter, source_name="edited.txt", sha512="x" * 128)
    assert updated.outcome is Outcome.UPDATED and updated.meeting_id == first.meeting_id
    meeting = Meeting.objects.get()
    assert meeting_document(meeting=meeting, user=OPERATOR) == shorter
    assert meeting.state == Meeting.State.AGENDA_PUBLISHED
    # Items beyond the new document are soft-deleted, never removed.
    assert AgendaItem.objects.filter(meeting=meeting).count() == 5
    assert AgendaItem.all_objects.filter(meeting=meeting).count() == 7
    assert meeting.sources.count() == 2


def test_cases_are_matched_by_journal_number_across_meetings(seeds_dir: Path) -> None:
    for name in ("chefforum-2023-09-14.txt", "chefforum-2023-10-12.txt"):
        import_file(seed_path(name))
    case = Case.objects.get(journal_number="00.01.00-P22-3-23")
    titles = sorted(case.items.values_list("title", flat=True))
    assert titles == ["Centrale udfordringer for 2024", "Målsætninger 2024"]
    assert (case.kle_number, case.facet, case.serial, case.year) == ("00.01.00", "P22", 3, 23)
    assert Organization.objects.get().prefix == "CF"


def test_an_agenda_does_not_replace_imported_minutes() -> None:
    path = seed_path("chefforum-2023-09-14.txt")
    import_file(path)
    agenda = replace(parse_path(path), kind="agenda")
    result = document_import(document=agenda, source_name="agenda.txt", sha512="a" * 128)
    assert result.outcome is Outcome.UNCHANGED
    assert AgendaItem.objects.exclude(decision=None).count() == 7


def test_a_failing_document_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_store_attachments", explode)
    with pytest.raises(RuntimeError):
        import_file(seed_path("chefforum-2023-09-14.txt"))
    assert Meeting.all_objects.count() == 0
    assert AgendaItem.all_objects.count() == 0
    assert Case.all_objects.count() == 0
    assert Organization.all_objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_batch_cache_remembers_only_committed_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rolled-back document must not leave a cached forum or case that does not exist."""
    path = seed_path("chefforum-2023-09-14.txt")
    document = parse_path(path)
    cache = services.ImportCache()
    original = services._store_attachments

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_store_attachments", explode)
    with pytest.raises(RuntimeError):
        document_import(document=document, source_name="a", sha512="a" * 128, cache=cache)
    assert cache.forums == {} and cache.cases == {} and cache.facets == {}
    assert Organization.all_objects.count() == 0

    monkeypatch.setattr(services, "_store_attachments", original)
    document_import(document=document, source_name="a", sha512="a" * 128, cache=cache)
    forum = Organization.objects.get()
    assert cache.forums == {"chefforum": forum}
    assert set(cache.cases) == set(Case.objects.values_list("journal_number", flat=True))
    from dagsorden.search.models import SearchEntry, SearchFacets

    assert set(cache.facets.values()) == set(SearchFacets.objects.values_list("pk", flat=True))
    assert set(cache.facets.values()) == set(SearchEntry.objects.values_list("facets", flat=True))

    # The next meeting of the same forum and cases is stored against the cached rows.
    later = replace(document, starts_at="2023-10-12T09:00")
    result = document_import(document=later, source_name="b", sha512="b" * 128, cache=cache)
    assert Meeting.objects.get(pk=result.meeting_id).organization == forum
    assert Case.objects.count() == len(cache.cases)
    assert (
        meeting_document(meeting=Meeting.objects.get(pk=result.meeting_id), user=OPERATOR).items
        == later.items
    )


def test_invalid_document_is_rejected_before_writing() -> None:
    document = parse_path(seed_path("chefforum-2023-09-14.txt"))
    bad = replace(document, items=(replace(document.items[0], journal_number="12-34"),))
    with pytest.raises(services.DocumentRejected, match="not a journal number"):
        document_import(document=bad, source_name="bad", sha512="b" * 128)
    assert Meeting.all_objects.count() == 0


def test_public_export_keeps_only_the_number_of_closed_items() -> None:
    result = import_file(seed_path("chefforum-2023-09-14.txt"))
    item = AgendaItem.objects.get(meeting_id=result.meeting_id, number=5)
    item.public = False
    item.save()
    hidden_attachment = Attachment.objects.filter(item__number=3).first()
    assert hidden_attachment is not None
    hidden_attachment.public = False
    hidden_attachment.save()
    public = meeting_document(meeting=item.meeting, user=AnonymousUser())
    stub = public.items[4]
    assert (stub.number, stub.title, stub.journal_number, stub.decision) == (
        5,
        "Lukket punkt",
        None,
        None,
    )
    assert hidden_attachment.name not in json.dumps(public.to_json(), ensure_ascii=False)
    internal = meeting_document(meeting=item.meeting, user=OPERATOR)
    assert internal.items[4].title == "Konsulentnetværket fremadrettet"


def test_export_of_the_whole_seed_set_matches(seeds_dir: Path) -> None:
    documents: list[Document] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        documents.append(parse_path(path))
        import_file(path)
    exported = [
        meeting_document(meeting=m, user=OPERATOR) for m in Meeting.objects.order_by("starts_at")
    ]
    assert exported == sorted(documents, key=lambda d: d.starts_at)


def test_a_large_batch_parses_ahead_in_a_worker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """From PARSE_AHEAD_FROM files on, a second process parses while this one stores."""
    from dagsorden.demo.generator import generate_documents
    from dagsorden.publishing.renderers.txt import render_text

    documents = generate_documents(meetings=52, seed=5)
    for index, document in enumerate(documents):
        (tmp_path / f"{index:03d}.txt").write_text(render_text(document), encoding="utf-8")
    (tmp_path / "999-broken.txt").write_text("not an agenda\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import", str(tmp_path))
    out = capsys.readouterr()
    assert "53 files: 52 imported, 0 updated, 0 unchanged, 1 failed." in out.out
    assert "999-broken.txt" in out.err
    assert Meeting.objects.count() == 52
    first = Meeting.objects.order_by("starts_at").first()
    assert first is not None
    assert meeting_document(meeting=first, user=OPERATOR).to_json() == documents[0].to_json()
