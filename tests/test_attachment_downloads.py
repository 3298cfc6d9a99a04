"""Attachment files: served through the visibility gate only, with honest headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import Resolver404, resolve

from dagsorden.meetings.models import AgendaItem, Attachment, Meeting
from dagsorden.public.links import attachment_file_name
from tests.factories import (
    FIRST_MEETING,
    AgendaItemFactory,
    AttachmentFactory,
    MeetingFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a tiny stand-in for a real attachment\n%%EOF\n"
PPTX = b"PK\x03\x04 not really a presentation"
MEETING_URL = "/cf/2023-01-05/"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def meeting() -> Meeting:
    forum = OrganizationFactory.create(name="Chefforum", slug="cf")
    return MeetingFactory.create(organization=forum, starts_at=FIRST_MEETING)


def attach(item: AgendaItem, *, order: int, name: str, data: bytes, **fields: Any) -> Attachment:
    attachment = AttachmentFactory.create(item=item, order=order, name=name, **fields)
    attachment.file.save(name, ContentFile(data), save=True)
    return attachment


def url(number: int, order: int, name: str) -> str:
    return f"{MEETING_URL}punkt-{number}/bilag-{order}/{attachment_file_name(name)}"


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_public_pdf_downloads_for_anonymous_with_right_headers(
    client: Client, meeting: Meeting
) -> None:
    item = AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    attach(item, order=1, name="Målsætninger 2024.pdf", data=PDF, media_type="application/pdf")
    address = url(1, 1, "Målsætninger 2024.pdf")
    assert address == "/cf/2023-01-05/punkt-1/bilag-1/maalsaetninger-2024.pdf"
    response = client.get(address)
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=utf-8''M%C3%A5ls%C3%A6tninger%202024.pdf" in disposition
    assert "no-store" not in response.get("Cache-Control", "")
    # HEAD works too (same headers, no body needed).
    assert client.head(address).status_code == 200


def test_other_types_download_as_attachment(client: Client, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    attach(item, order=1, name="Forandringsledelse CF.pptx", data=PPTX, media_type=pptx)
    attach(item, order=2, name="notat.html", data=b"<script>alert(1)</script>")
    response = client.get(url(1, 1, "Forandringsledelse CF.pptx"))
    assert response.status_code == 200 and body(response) == PPTX
    assert response["Content-Type"] == pptx
    assert response["Content-Disposition"] == 'attachment; filename="Forandringsledelse CF.pptx"'
    # No stored media type: guessed from the name, and never shown inline.
    html = client.get(url(1, 2, "notat.html"))
    assert html.status_code == 200 and html["Content-Type"] == "text/html"
    assert html["Content-Disposition"].startswith("attachment;")
    assert html["X-Content-Type-Options"] == "nosniff"


def test_the_page_links_to_the_gated_address(client: Client, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting, number=3, order=1)
    attach(item, order=2, name="Bilag A.pdf", data=PDF, media_type="application/pdf")
    AttachmentFactory.create(item=item, order=3, name="Kun navnet.docx")  # no file
    for page in (MEETING_URL, f"{MEETING_URL}punkt-3/"):
        html = client.get(page).content.decode()
        assert f'<a href="{url(3, 2, "Bilag A.pdf")}">Bilag A.pdf</a>' in html
        assert "<li>Kun navnet.docx</li>" in html
        assert "/media/" not in html


def test_non_public_attachment_is_404_for_anonymous_and_200_for_staff(
    client: Client, staff_client: Client, meeting: Meeting
) -> None:
    item = AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    attach(item, order=1, name="Intern.pdf", data=PDF, public=False)
    address = url(1, 1, "Intern.pdf")
    assert client.get(address).status_code == 404
    assert "Intern.pdf" not in client.get(MEETING_URL).content.decode()
    response = staff_client.get(address)
    assert response.status_code == 200 and body(response) == PDF
    assert response["Cache-Control"] == "private, no-store"


def test_attachment_of_a_closed_item_is_404_for_anonymous(
    client: Client, staff_client: Client, meeting: Meeting
) -> None:
    item = AgendaItemFactory.create(meeting=meeting, number=2, order=1, public=False)
    attach(item, order=1, name="Personsag.pdf", data=PDF)
    address = url(2, 1, "Personsag.pdf")
    assert client.get(address).status_code == 404
    assert client.get(f"{MEETING_URL}punkt-2/bilag-1/x.pdf").status_code == 404  # no redirect
    assert staff_client.get(address).status_code == 200


def test_attachment_of_an_unpublished_meeting_is_404(
    client: Client, staff_client: Client, meeting: Meeting
) -> None:
    meeting.state = Meeting.State.PLANNED
    meeting.save()
    item = AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    attach(item, order=1, name="Udkast.pdf", data=PDF)
    address = url(1, 1, "Udkast.pdf")
    assert client.get(address).status_code == 404
    assert staff_client.get(address).status_code == 200


def test_missing_deleted_or_unknown_files_are_404(
    client: Client, meeting: Meeting, media_root: Path
) -> None:
    item = AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    gone = attach(item, order=1, name="Væk.pdf", data=PDF)
    Path(gone.file.path).unlink()
    assert client.get(url(1, 1, "Væk.pdf")).status_code == 404
    AttachmentFactory.create(item=item, order=2, name="Uden fil.pdf")  # recorded, no file
    assert client.get(url(1, 2, "Uden fil.pdf")).status_code == 404
    deleted = attach(item, order=3, name="Slettet.pdf", data=PDF)
    deleted.soft_delete()
    assert client.get(url(1, 3, "Slettet.pdf")).status_code == 404
    assert client.get(url(1, 9, "Findes ikke.pdf")).status_code == 404
    assert client.get(url(7, 1, "Væk.pdf")).status_code == 404
    assert client.get("/cf/2023-01-06/punkt-1/bilag-1/vaek.pdf").status_code == 404


def test_an_old_name_redirects_to_the_current_one(client: Client, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    attach(item, order=1, name="Budget 2025.pdf", data=PDF)
    response = client.get(f"{MEETING_URL}punkt-1/bilag-1/budget-udkast.pdf")
    assert response.status_code == 302
    assert response["Location"] == url(1, 1, "Budget 2025.pdf")


def test_media_files_have_no_other_url(client: Client, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting, number=1, order=1)
    attachment = attach(item, order=1, name="Bilag.pdf", data=PDF)
    direct = f"/media/{attachment.file.name}"
    with pytest.raises(Resolver404):
        resolve(direct)
    assert client.get(direct).status_code == 404


def test_file_names_are_readable_ascii() -> None:
    assert attachment_file_name("Målsætninger CF.pptx") == "maalsaetninger-cf.pptx"
    assert attachment_file_name("Økonomi – 2. kvartal.XLSX") == "oekonomi-2-kvartal.xlsx"
    assert attachment_file_name("Uden endelse") == "uden-endelse"
    assert attachment_file_name("???.pdf") == "bilag.pdf"
