"""Files attached to library entries: which types are accepted and how an upload is checked."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from ctip.core.errors import FieldProblem, _

# The file types a library entry may carry, with the content type it is served with.
UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain; charset=utf-8",
}
_ZIP_MARKERS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class UploadedDocument:
    """A file a user uploaded: its name as sent and its bytes."""

    name: str
    content: bytes


def upload_content_type(file_name: str) -> str:
    return UPLOAD_TYPES.get(PurePosixPath(file_name.lower()).suffix, "application/octet-stream")


def _clean_file_name(name: str) -> str:
    """The last path component, without control characters, at most 200 characters (keeping the
    extension)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(base) > 200:
        suffix = PurePosixPath(base).suffix[:10]
        base = base[: 200 - len(suffix)] + suffix
    return base


def upload_problems(upload: UploadedDocument) -> tuple[str, list[FieldProblem], bool]:
    """(clean name, problems, too large?) for an uploaded file."""
    name = _clean_file_name(upload.name)
    problems: list[FieldProblem] = []
    limit_mb = settings.CTIP_MAX_UPLOAD_MB
    size = len(upload.content)
    too_large = size > limit_mb * 1024 * 1024
    suffix = PurePosixPath(name.lower()).suffix
    if not name:
        problems.append(
            FieldProblem("file", _("The uploaded file has no name; rename it and upload it again."))
        )
    elif suffix not in UPLOAD_TYPES:
        problems.append(
            FieldProblem(
                "file",
                _(
                    "“%(name)s” is not a file type the library accepts. Upload a PDF, Word (.docx), Excel "
                    "(.xlsx) or plain-text (.txt) file."
                ),
                {"name": name},
            )
        )
    if too_large:
        problems.append(
            FieldProblem(
                "file",
                _(
                    "“%(name)s” is %(size)s MB; the limit is %(limit)s MB. Upload a smaller file or link to it."
                ),
                {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": limit_mb},
            )
        )
    elif size == 0:
        problems.append(FieldProblem("file", _("“%(name)s” is empty."), {"name": name}))
    elif suffix in UPLOAD_TYPES and not _content_matches(suffix, upload.content):
        problems.append(
            FieldProblem(
                "file",
                _(
                    "“%(name)s” does not contain what its name says (%(extension)s); it may be damaged or renamed."
                ),
                {"name": name, "extension": suffix},
            )
        )
    return name, problems, too_large


def _content_matches(suffix: str, content: bytes) -> bool:
    """A cheap look at the bytes, so a renamed program or page is not stored as a 'PDF'."""
    if suffix == ".pdf":
        return content.startswith(b"%PDF-")
    if suffix in _ZIP_MARKERS:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return _ZIP_MARKERS[suffix] in archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return False
    return b"\x00" not in content  # .txt: text files hold no NUL bytes
