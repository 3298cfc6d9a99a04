"""Uploads (issue 9, defect 18): the content must match the extension, the size limit holds
while the file arrives, stored names keep their extension and are safe, and a rollback
leaves no file behind.

Real files where a library here writes them (PDF by WeasyPrint, DOCX by python-docx, PNG
and JPEG by Pillow); XLSX and PPTX as the smallest packages of their kind.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import docx
import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.test import Client
from PIL import Image

from dagsorden.cases import services as flow
from dagsorden.cases.models import CaseAttachment, CaseDocument
from dagsorden.core.filetypes import Verdict, check_content
from dagsorden.core.uploads import UploadRefused, display_name, stored_name
from dagsorden.desk.forms import CaseEditForm
from tests.conftest import seed_path
from tests.roles import World, make_world

OOXML = "application/vnd.openxmlformats-officedocument"
MAIN_TYPES = {
    ".docx": f"{OOXML}.wordprocessingml.document.main+xml",
    ".xlsx": f"{OOXML}.spreadsheetml.sheet.main+xml",
    ".pptx": f"{OOXML}.presentationml.presentation.main+xml",
}
MAIN_PARTS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}


def ooxml(main_type: str, part: str, *, with_part: bool = True) -> bytes:
    """The smallest Office Open XML package: content types, relationships, one main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f"<Override PartName='/{part}' ContentType='{main_type}'/></Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="' + part + '" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        if with_part:
            archive.writestr(part, "<root/>")
    return buffer.getvalue()


def real_pdf() -> bytes:
    return weasyprint.HTML(string="<p>Tidsplan for 2024</p>").write_pdf()  # type: ignore[no-any-return]


def real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Tidsplan for 2024")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def verdict(suffix: str, data: bytes) -> Verdict | None:
    return check_content(suffix, io.BytesIO(data))


# --- Content sniffing (pure)


@pytest.mark.parametrize(
    ("suffix", "make"),
    [
        (".pdf", real_pdf),
        (".docx", real_docx),
        (".xlsx", lambda: ooxml(MAIN_TYPES[".xlsx"], MAIN_PARTS[".xlsx"])),
        (".pptx", lambda: ooxml(MAIN_TYPES[".pptx"], MAIN_PARTS[".pptx"])),
        (".png", lambda: real_image("PNG")),
        (".jpg", lambda: real_image("JPEG")),
        (".jpeg", lambda: real_image("JPEG")),
        (".txt", lambda: seed_path("chefforum-2023-09-14.txt").read_bytes()),
        (".txt", lambda: "\ufeffMed byte order mark: æøå".encode()),
    ],
)
def test_real_files_of_each_type_pass(suffix: str, make: Any) -> None:
    assert verdict(suffix, make()) is None


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        (".pdf", HTML),
        (".pdf", EXE),
        (".pdf", b" %PDF-1.7 signature not at the start"),
        (".docx", HTML),
        (".docx", b"PK\x03\x04 a damaged archive"),
        (".docx", ooxml("application/xml", "word/document.xml")),  # a ZIP, not a document
        (".docx", ooxml(MAIN_TYPES[".xlsx"], MAIN_PARTS[".xlsx"])),  # a workbook named .docx
        (
            ".docx",
            ooxml(f"{OOXML}.wordprocessingml.document.main+xml", "word/x.xml", with_part=False),
        ),
        # A macro-enabled document renamed to .docx.
        (
            ".docx",
            ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", "word/document.xml"),
        ),
        (".xlsx", ooxml(MAIN_TYPES[".docx"], MAIN_PARTS[".docx"])),
        (".pptx", EXE),
        (".png", real_image("JPEG")),
        (".jpg", real_image("PNG")),
        (".jpeg", HTML),
    ],
)
def test_content_that_is_not_what_the_extension_says_is_refused(suffix: str, data: bytes) -> None:
    assert verdict(suffix, data) is Verdict.MISMATCH


@pytest.mark.parametrize(
    "data",
    [
        "Referat fra mødet i Økonomiudvalget".encode("cp1252"),  # not UTF-8
        b"tekst\x00med NUL",
        EXE,
        "ufuldstændig æ".encode()[:-1],  # cut inside a character
    ],
)
def test_text_must_be_utf8_without_nul(data: bytes) -> None:
    assert verdict(".txt", data) is Verdict.NOT_UTF8


def test_an_oversized_content_types_part_is_not_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", " " * (2 * 1024 * 1024))
        archive.writestr("word/document.xml", "<root/>")
    assert verdict(".docx", buffer.getvalue()) is Verdict.MISMATCH


def test_the_check_leaves_the_file_at_its_start() -> None:
    stream = io.BytesIO(real_docx())
    stream.seek(100)
    assert check_content(".docx", stream) is None and stream.tell() == 0


# --- Names


def test_stored_names_keep_the_extension_and_are_safe_and_unique() -> None:
    first, second = stored_name("Budget 2024 – bilag.PDF"), stored_name("Budget 2024 – bilag.PDF")
    assert re.fullmatch(r"budget-2024-bilag-[0-9a-f]{16}\.pdf", first)
    assert first != second
    assert re.fullmatch(r"bilag-[0-9a-f]{16}\.txt", stored_name("???.txt"))
    assert "/" not in stored_name("a/../../b.pdf") and ".." not in stored_name("a/../../b.pdf")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Tidsplan.pdf", "Tidsplan.pdf"),
        ("C:\\Users\\anne\\Documents\\Tidsplan.pdf", "Tidsplan.pdf"),
        ("../../etc/Tidsplan.pdf", "Tidsplan.pdf"),
        ("Tids\x0bplan\x00 2024.pdf", "Tids plan 2024.pdf"),
        ("..", "bilag"),
        ("x" * 400 + ".docx", "x" * 295 + ".docx"),
    ],
)
def test_shown_names_have_no_path_and_no_control_characters(raw: str, shown: str) -> None:
    assert display_name(raw) == shown


# --- Through the service and the work page


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


@pytest.fixture
def document(world: World) -> CaseDocument:
    return CaseDocument.objects.create(
        author=world.users["producer"],
        department=world.department,
        organization=world.forum,
        headline="Telefontider",
    )


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def producer_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["producer"])
    return client


def upload_page(client: Client, document: CaseDocument, upload: Any) -> str:
    """The case editor's one form, as the browser posts it, with a file to attach."""
    fields = {
        name: value
        for name, value in CaseEditForm.initial_for(document).items()
        if value is not None
    }
    response = client.post(
        f"/arbejde/sager/{document.pk}/",
        {
            **fields,
            "organization": document.organization_id,
            "attachment": upload,
            "attachment_publish": "on",
            "action": "attach",
        },
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "kind"), [(HTML, "PDF"), (EXE, "PDF")], ids=["html-as-pdf", "exe-as-pdf"]
)
def test_a_disguised_file_is_refused_on_the_work_page(
    world: World, document: CaseDocument, tmp_path: Path, data: bytes, kind: str
) -> None:
    upload = SimpleUploadedFile("Tidsplan.pdf", data, content_type="application/pdf")
    page = upload_page(producer_client(world), document, upload)
    assert f"Filen Tidsplan.pdf er ikke en rigtig {kind}-fil" in page
    assert not document.attachments.exists()
    assert stored_files(tmp_path) == []


@pytest.mark.django_db
def test_the_service_refuses_a_disguised_file_too(world: World, document: CaseDocument) -> None:
    upload = SimpleUploadedFile("Referat.docx", HTML)
    with pytest.raises(UploadRefused, match="ikke en rigtig DOCX-fil"):
        flow.case_attachment_add(document=document, user=world.users["producer"], upload=upload)


@pytest.mark.django_db
def test_a_text_file_in_another_encoding_is_refused_with_advice(
    world: World, document: CaseDocument
) -> None:
    upload = SimpleUploadedFile("Noter.txt", "Økonomi og målsætninger".encode("cp1252"))
    page = upload_page(producer_client(world), document, upload)
    assert "Tekstfilen Noter.txt er ikke gemt som UTF-8-tekst" in page


@pytest.mark.django_db
def test_an_accepted_file_is_stored_with_its_extension_under_a_unique_name(
    world: World, document: CaseDocument, tmp_path: Path
) -> None:
    client = producer_client(world)
    for _ in range(2):
        upload = SimpleUploadedFile("Tidsplan 2024.docx", real_docx())
        assert "bilaget er tilføjet." in upload_page(client, document, upload)
    first, second = document.attachments.order_by("order")
    assert first.name == second.name == "Tidsplan 2024.docx"
    assert first.media_type == MAIN_TYPES[".docx"].removesuffix(".main+xml")
    for attachment in (first, second):
        assert re.fullmatch(
            rf"sagsbilag/{document.pk}/tidsplan-2024-[0-9a-f]{{16}}\.docx", attachment.file.name
        )
    assert first.file.name != second.file.name
    assert len(stored_files(tmp_path)) == 2


# --- The size limit while the file arrives


class RecordingHandler(FileUploadHandler):
    """Placed after the limit handler: records the most bytes of one file handed on to it."""

    most = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        RecordingHandler.most = max(RecordingHandler.most, self.received)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.mark.django_db
def test_the_size_limit_applies_while_the_file_arrives(
    world: World, document: CaseDocument, settings: Any, tmp_path: Path
) -> None:
    limit = 1024 * 1024
    settings.DAGSORDEN_ATTACHMENT_MAX_BYTES = limit
    settings.FILE_UPLOAD_HANDLERS = [
        *settings.FILE_UPLOAD_HANDLERS[:1],
        "tests.test_uploads.RecordingHandler",
        *settings.FILE_UPLOAD_HANDLERS[1:],
    ]
    RecordingHandler.most = 0
    big = b"%PDF-1.7\n" + b"0" * (3 * limit)
    page = upload_page(producer_client(world), document, SimpleUploadedFile("Stor.pdf", big))
    assert "Filen fylder 4 MB; et bilag må højst fylde 1 MB." in page
    assert 0 < RecordingHandler.most <= limit  # nothing past the limit was kept
    assert not document.attachments.exists() and stored_files(tmp_path) == []


@pytest.mark.django_db
def test_a_file_within_the_limit_passes_whole(
    world: World, document: CaseDocument, settings: Any
) -> None:
    limit = 3 * 1024 * 1024  # above FILE_UPLOAD_MAX_MEMORY_SIZE: arrives in a temporary file
    assert limit > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    settings.DAGSORDEN_ATTACHMENT_MAX_BYTES = limit
    data = b"%PDF-1.7\n" + b"0" * (limit - 9)  # exactly at the limit
    page = upload_page(producer_client(world), document, SimpleUploadedFile("Lige.pdf", data))
    assert "bilaget er tilføjet." in page
    assert document.attachments.get().file.read() == data


# --- No orphan file when the transaction does not commit


def add(world: World, document: CaseDocument) -> CaseAttachment:
    upload = SimpleUploadedFile("Tidsplan.pdf", real_pdf())
    return flow.case_attachment_add(document=document, user=world.users["producer"], upload=upload)


def failing_save(self: CaseAttachment, *args: Any, **kwargs: Any) -> None:
    raise RuntimeError("planted failure after the file was written")


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_file_was_written_removes_it(
    world: World, document: CaseDocument, tmp_path: Path
) -> None:
    written = []
    real_save = flow.file_save_undone_on_rollback

    def spy(field_file: Any, name: str, content: Any) -> None:
        real_save(field_file, name, content)
        written.append(tmp_path / field_file.name)
        assert written[-1].is_file()  # the file was there before the failure

    with (
        mock.patch.object(flow, "file_save_undone_on_rollback", spy),
        mock.patch.object(CaseAttachment, "save", failing_save),
        pytest.raises(RuntimeError, match="planted failure"),
    ):
        add(world, document)
    assert len(written) == 1 and not written[0].exists()
    assert stored_files(tmp_path) == []


@pytest.mark.django_db(transaction=True)
def test_a_rollback_of_the_surrounding_transaction_removes_it(
    world: World, document: CaseDocument, tmp_path: Path
) -> None:
    with pytest.raises(RuntimeError, match="later step"), transaction.atomic():
        attachment = add(world, document)
        assert (tmp_path / attachment.file.name).is_file()
        raise RuntimeError("a later step of the same transaction failed")
    assert stored_files(tmp_path) == []
    assert not CaseAttachment.objects.exists()

    kept = add(world, document)  # committed: the file stays
    assert stored_files(tmp_path) == [tmp_path / kept.file.name]


@pytest.mark.django_db
def test_a_rolled_back_savepoint_removes_it(
    world: World, document: CaseDocument, tmp_path: Path
) -> None:
    with mock.patch.object(CaseAttachment, "save", failing_save), pytest.raises(RuntimeError):
        add(world, document)
    assert stored_files(tmp_path) == []
