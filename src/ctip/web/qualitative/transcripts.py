"""Transcripts: the text of an uploaded Word (.docx) or plain-text (.txt) file. Only the text is kept, not
the file. Other types, oversized and damaged files are refused with a message that says what to do."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

TRANSCRIPT_TYPES = (".docx", ".txt")
# A Word file's text is compressed; refuse one whose text would unpack to more than this many times the
# upload limit (a "zip bomb"), before unpacking it.
_UNPACKED_FACTOR = 10
_TEXT_ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class UploadedTranscript:
    """A file a user uploaded: its name as sent and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Transcript:
    name: str
    text: str


def _clean_name(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 200:
        suffix = PurePosixPath(base).suffix[:10]
        base = base[: 200 - len(suffix)] + suffix
    return base


def _refuse(code: ErrorCode, template: str, params: dict[str, object], hint: str) -> DomainError:
    """The specific message on top, a short hint on the transcript field."""
    return DomainError(code, template, params, problems=[FieldProblem("transcript", hint)])


def _docx_text(content: bytes, name: str) -> str:
    from docx import Document

    limit = settings.CTIP_MAX_UPLOAD_MB * 1024 * 1024 * _UNPACKED_FACTOR
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            document = archive.getinfo("word/document.xml")
            if document.file_size > limit:
                raise _refuse(
                    ErrorCode.UPLOAD_TOO_LARGE,
                    _(
                        "“%(name)s” holds more text than C-TIP Planner reads at once; split it into several files."
                    ),
                    {"name": name},
                    _("The file is too large."),
                )
        word = Document(io.BytesIO(content))
    except DomainError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise _refuse(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(name)s” is not a readable Word document; it may be damaged, password-protected or an "
                "old .doc file renamed. Open it in Word, save it as “Word Document (.docx)” and upload it again."
            ),
            {"name": name},
            _("Upload a .docx or .txt file."),
        ) from error
    except Exception as error:  # python-docx raises its own errors for malformed parts
        raise _refuse(
            ErrorCode.INVALID_VALUE,
            _("“%(name)s” could not be read as a Word document (%(detail)s)."),
            {"name": name, "detail": type(error).__name__},
            _("Upload a .docx or .txt file."),
        ) from error
    lines: list[str] = []
    body = word.element.body
    # Paragraphs and tables in the order they appear (interview grids are often tables).
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(node.text or "" for node in cell.iter() if node.tag.endswith("}t")).strip()
                        for cell in row.iterchildren()
                        if cell.tag.endswith("}tc")
                    ]
                    lines.append(" | ".join(cells))
    return "\n".join(lines)


def _plain_text(content: bytes, name: str) -> str:
    if b"\x00" in content and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(
            ErrorCode.INVALID_VALUE,
            _("“%(name)s” is not a plain-text file (it holds binary data); upload a .txt or .docx file."),
            {"name": name},
            _("Upload a .docx or .txt file."),
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (Notepad's "Unicode") always has a BOM
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in _TEXT_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def transcript_read(upload: UploadedTranscript) -> Transcript:
    """The name and text of an uploaded transcript, or ``DomainError`` (``invalid_value`` for a wrong or
    damaged file, ``upload_too_large`` over ``CTIP_MAX_UPLOAD_MB``)."""
    name = _clean_name(upload.name)
    suffix = PurePosixPath(name.lower()).suffix
    limit_mb = settings.CTIP_MAX_UPLOAD_MB
    if suffix not in TRANSCRIPT_TYPES:
        raise _refuse(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(name)s” is not a Word (.docx) or plain-text (.txt) file. Save the transcript in one of "
                "these formats and upload it again (a PDF can be copied into a .txt file)."
            ),
            {"name": name or "?"},
            _("Upload a .docx or .txt file."),
        )
    size = len(upload.content)
    if size > limit_mb * 1024 * 1024:
        raise _refuse(
            ErrorCode.UPLOAD_TOO_LARGE,
            _("“%(name)s” is %(size)s MB; the limit is %(limit)s MB. Remove pictures or split the file."),
            {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": limit_mb},
            _("The file is too large."),
        )
    if size == 0:
        raise _refuse(
            ErrorCode.INVALID_VALUE, _("“%(name)s” is empty."), {"name": name}, _("The file is empty.")
        )
    text = _docx_text(upload.content, name) if suffix == ".docx" else _plain_text(upload.content, name)
    text = _tidy(text)
    if not text:
        raise _refuse(
            ErrorCode.INVALID_VALUE,
            _("“%(name)s” holds no text (a scanned document?); type or paste the notes instead."),
            {"name": name},
            _("The file holds no text."),
        )
    return Transcript(name=name, text=text)
