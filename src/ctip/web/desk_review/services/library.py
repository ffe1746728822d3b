"""Library entries (references) and their key findings."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from ctip.core.access import Permission
from ctip.core.errors import FieldProblem, _
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update, record_values
from ctip.web.desk_review.models import KeyFinding, Reference
from ctip.web.desk_review.services.uploads import UploadedDocument, upload_problems
from ctip.web.desk_review.services.validation import (
    model_problems,
    refuse,
    same_workspace,
    tag_problems,
    tags_normalised,
    year_problems,
)
from ctip.web.desk_review.services.versioning import versioned_update

REFERENCE_FIELDS = ["title", "authors", "year", "kind", "url", "summary", "tags", "file_name", "file_content"]
FINDING_FIELDS = ["statement", "location", "tags"]


# --- library entries ------------------------------------------------------------------------------------


def _with_scheme(url: str) -> str:
    """“www.example.org/x” → “https://www.example.org/x”, as browsers do; other values are kept."""
    if url and "://" not in url and "." in url.split("/")[0] and " " not in url:
        return f"https://{url}"
    return url


def _reference_values(
    *,
    title: str,
    authors: str,
    year: int | None,
    kind: str,
    url: str,
    summary: str,
    tags: Iterable[str],
) -> dict[str, Any]:
    return {
        "title": title.strip(),
        "authors": authors.strip(),
        "year": year,
        "kind": kind,
        "url": _with_scheme(url.strip()),
        "summary": summary.strip(),
        "tags": tags_normalised(tags),
    }


def _check_reference(workspace: Workspace, values: dict[str, Any], file: UploadedDocument | None) -> None:
    """Validate a library entry's values and file, all problems at once; add the file to ``values``."""
    problems = [*year_problems(values["year"]), *tag_problems(values["tags"])]
    too_large = False
    if file is not None:
        name, file_problems, too_large = upload_problems(file)
        problems.extend(file_problems)
        values["file_name"], values["file_content"] = name, file.content
    candidate = {key: value for key, value in values.items() if key != "file_content"}
    problems.extend(model_problems(Reference(workspace=workspace, **candidate), problems))
    refuse(str(Reference._meta.verbose_name), problems, too_large=too_large)


def reference_create(
    *,
    workspace: Workspace,
    title: str,
    kind: str,
    authors: str = "",
    year: int | None = None,
    url: str = "",
    summary: str = "",
    tags: Sequence[str] = (),
    file: UploadedDocument | None = None,
    acting_user: User | None,
) -> Reference:
    """Add a library entry, optionally with its file (PDF, DOCX, XLSX or TXT, up to CTIP_MAX_UPLOAD_MB)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    values = _reference_values(
        title=title, authors=authors, year=year, kind=kind, url=url, summary=summary, tags=tags
    )
    _check_reference(workspace, values, file)
    return record_create(
        model=Reference,
        workspace=workspace,
        values={"workspace": workspace, **values},
        acting_user=acting_user,
        audited_fields=REFERENCE_FIELDS,
    )


def _file_label(content: bytes | memoryview | None) -> str | None:
    """How the audit log shows a stored file: its size and the start of its SHA-256."""
    if content is None:
        return None
    data = bytes(content)
    return f"{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}"


def _reference_snapshot(reference: Reference) -> dict[str, Any]:
    values = record_values(reference, [name for name in REFERENCE_FIELDS if name != "file_content"])
    values["file_content"] = _file_label(reference.file_content)
    return values


def reference_update(
    *,
    workspace: Workspace,
    reference: Reference,
    title: str,
    kind: str,
    authors: str,
    year: int | None,
    url: str,
    summary: str,
    tags: Sequence[str],
    file: UploadedDocument | None = None,
    remove_file: bool = False,
    expected_version: int | None = None,
    acting_user: User | None,
) -> Reference:
    """Change a library entry. A new ``file`` replaces the stored one; ``remove_file`` drops it."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(reference.workspace_id, workspace, str(Reference._meta.verbose_name))
    values = _reference_values(
        title=title, authors=authors, year=year, kind=kind, url=url, summary=summary, tags=tags
    )
    if remove_file and file is None:
        values["file_name"], values["file_content"] = "", None
    _check_reference(workspace, values, file)

    def apply(current: Reference) -> None:
        for name, value in values.items():
            setattr(current, name, value)

    return versioned_update(
        instance=reference,
        workspace=workspace,
        expected_version=expected_version,
        acting_user=acting_user,
        snapshot=_reference_snapshot,
        apply=apply,
        submitted={name: value for name, value in values.items() if name != "file_content"},
    )


def reference_delete(*, workspace: Workspace, reference: Reference, acting_user: User | None) -> None:
    """Delete a library entry with its key findings; assessments and instruments citing it lose the link."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(reference.workspace_id, workspace, str(Reference._meta.verbose_name))
    record_delete(
        instance=reference, workspace=workspace, acting_user=acting_user, audited_fields=REFERENCE_FIELDS
    )


# --- key findings ---------------------------------------------------------------------------------------


def _finding_values(statement: str, location: str, tags: Iterable[str]) -> dict[str, Any]:
    clean_tags = tags_normalised(tags)
    values: dict[str, Any] = {
        "statement": statement.strip(),
        "location": location.strip(),
        "tags": clean_tags,
    }
    problems = tag_problems(clean_tags)
    if not values["statement"]:
        problems.append(FieldProblem("statement", _("Write the finding.")))
    problems.extend(model_problems(KeyFinding(**values), problems, exclude=["reference"]))
    refuse(str(KeyFinding._meta.verbose_name), problems)
    return values


def key_finding_create(
    *,
    workspace: Workspace,
    reference: Reference,
    statement: str,
    location: str = "",
    tags: Sequence[str] = (),
    acting_user: User | None,
) -> KeyFinding:
    """Add a key finding to a library entry (a short statement later plans can cite)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(reference.workspace_id, workspace, str(Reference._meta.verbose_name))
    values = _finding_values(statement, location, tags)
    return record_create(
        model=KeyFinding,
        workspace=workspace,
        values={"reference": reference, **values},
        acting_user=acting_user,
        audited_fields=["reference", *FINDING_FIELDS],
    )


def key_finding_update(
    *,
    workspace: Workspace,
    finding: KeyFinding,
    statement: str,
    location: str,
    tags: Sequence[str],
    acting_user: User | None,
) -> KeyFinding:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(finding.reference.workspace_id, workspace, str(KeyFinding._meta.verbose_name))
    values = _finding_values(statement, location, tags)
    return record_update(
        instance=finding,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=FINDING_FIELDS,
    )


def key_finding_delete(*, workspace: Workspace, finding: KeyFinding, acting_user: User | None) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(finding.reference.workspace_id, workspace, str(KeyFinding._meta.verbose_name))
    record_delete(
        instance=finding,
        workspace=workspace,
        acting_user=acting_user,
        audited_fields=["reference", *FINDING_FIELDS],
    )
