"""What a file is, found from its content (its first bytes, and for a .docx its parts), never from its name or the
type the browser sent: a page of HTML or a program renamed to end in .pdf is still HTML or a program."""

import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
PNG = FileKind("PNG picture", "image/png", (".png",))
JPEG = FileKind("JPEG picture", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileKind("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
DOC = FileKind("Word 97-2003 document", "application/msword", (".doc",))
HTML_LETTER = FileKind("letter", "text/html; charset=utf-8", (".html",))  # made here, never accepted as an upload

ACCEPTED = "a PDF, a PNG or JPEG picture, or a Word document"

_PDF_MAGIC = b"%PDF-"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Word 97-2003 (.doc)
_ZIP_MAGIC = b"PK\x03\x04"


def kind_of(file: IO[bytes]) -> FileKind | None:
    """The accepted kind the file's content is, or None for anything else. Leaves the file at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(_PDF_MAGIC):
        return PDF
    if head.startswith(_PNG_MAGIC):
        return PNG
    if head.startswith(_JPEG_MAGIC):
        return JPEG
    if head.startswith(_OLE_MAGIC):
        return DOC
    if head.startswith(_ZIP_MAGIC) and _is_word(file):
        return DOCX
    return None


def _is_word(file: IO[bytes]) -> bool:
    """A .docx is a zip holding [Content_Types].xml and a word/ folder (only the list of names is read)."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith("word/") for name in names)


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""
