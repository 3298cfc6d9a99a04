"""Hostile and damaged documents, built in memory (nothing big is committed).

Each is small on disk and costly to read without limits: a PDF page drawn from nested
forms, a page of tens of thousands of text objects, a Flate stream of zeros, a Word file
with a member of zeros, a ZIP that lies about its sizes. A tiny PDF writer (objects, a
cross-reference table) is enough to make them.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx

PAGE = b"/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (1 is the catalogue), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, *, layers: int = 1, extra: bytes = b"") -> bytes:
    """A stream object body, Flate-compressed ``layers`` times."""
    for _ in range(layers):
        data = zlib.compress(data, 9)
    filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]" if layers else b"[]"
    return b"<< %s /Length %d /Filter %s >>\nstream\n" % (extra, len(data), filters) + (
        data + b"\nendstream"
    )


def pdf_pages(contents: list[bytes]) -> bytes:
    """One page per content stream, all in Helvetica (WinAnsi: write text in cp1252)."""
    count = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        FONT,
    ]
    for index, content in enumerate(contents):
        objects.append(
            b"<< %s /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (PAGE, 5 + 2 * index)
        )
        objects.append(stream(content))
    return pdf(objects)


def text_lines(lines: list[str], *, size: int = 11, top: int = 800, pitch: int = 16) -> bytes:
    """A content stream writing ``lines`` one under the other."""
    out = [b"BT /F1 %d Tf %d TL 56 %d Td" % (size, pitch, top)]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        out.append(b"(" + escaped.encode("cp1252", "replace") + b") Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def damaged_page_pdf() -> bytes:
    """171 bytes: a page tree whose one page is not a page (pdfium: "Failed to load page")."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Xage/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def dense_text_pdf(objects: int, *, per_line: int = 100) -> bytes:
    """One page of ``objects`` two-letter text objects in rows of ``per_line``: about 2 KB
    for 100,000 objects, each a separate piece of text for pdfium."""
    row = b"(ab) Tj 3 0 Td " * per_line + b"%d -3 Td " % (-3 * per_line)
    return pdf_pages([b"BT /F1 2 Tf 10 830 Td " + row * (objects // per_line) + b"ET"])


def nested_forms_pdf(levels: int, fan: int = 30) -> bytes:
    """A page that draws a form ``fan`` times, which draws the next ``fan`` times, ...:
    ``fan ** (levels + 1)`` text objects from about a kilobyte."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< %s /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> "
        b"/Contents 4 0 R >>" % PAGE,
        stream(b"/X Do " * fan),
        FONT,
    ]
    for level in range(levels):
        last = level == levels - 1
        body = b"BT /F1 10 Tf 50 50 Td (x) Tj ET " * fan if last else b"/X Do " * fan
        if last:
            resources = b"<< /Font << /F1 5 0 R >> >>"
        else:
            resources = b"<< /XObject << /X %d 0 R >> >>" % (7 + level)
        form = b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources
        objects.append(stream(body, extra=form))
    return pdf(objects)


def zeros_deflated(megabytes: int) -> bytes:
    """``megabytes`` MiB of zeros as a zlib stream (about a thousandth of the size)."""
    packer = zlib.compressobj(9)
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()


def flate_bomb_pdf(megabytes: int, *, layers: int = 1) -> bytes:
    """A one-page PDF whose content stream unpacks to ``megabytes`` MiB of zeros; with two
    layers the outer one is small and the inner one is the bomb."""
    packed = zeros_deflated(megabytes)
    for _ in range(layers - 1):
        packed = zlib.compress(packed, 9)
    filters = b" ".join([b"/FlateDecode"] * layers)
    content = b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(packed), filters)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< %s /Contents 4 0 R >>" % PAGE,
            content + packed + b"\nendstream",
        ]
    )


def word_file(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(megabytes: int) -> bytes:
    """A Word file with an extra member of ``megabytes`` MiB of zeros (stored deflated)."""
    buffer = io.BytesIO(word_file(["REFERAT Chefforum"]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("word/media/zeros.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as member:
            zeros = bytes(1 << 20)
            for _ in range(megabytes):
                member.write(zeros)
    return buffer.getvalue()


def lying_zip_docx(megabytes: int, *, declared: int = 1000) -> bytes:
    """A zip bomb whose headers declare ``declared`` bytes for the zeros member."""
    data = bytearray(zip_bomb_docx(megabytes))
    name = b"word/media/zeros.bin"
    local = _header_of(data, b"PK\x03\x04", name, name_offset=30)
    struct.pack_into("<I", data, local + 22, declared)
    central = _header_of(data, b"PK\x01\x02", name, name_offset=46)
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def _header_of(data: bytearray, signature: bytes, name: bytes, *, name_offset: int) -> int:
    position = data.find(signature)
    while position >= 0:
        if data[position + name_offset : position + name_offset + len(name)] == name:
            return position
        position = data.find(signature, position + 4)
    raise ValueError(f"no {signature!r} header for {name!r}")
