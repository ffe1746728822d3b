"""One place for user-facing error codes and messages.

The core raises :class:`DomainError` with a code from :class:`ErrorCode`; the web layer turns it into a
form error or a 4xx JSON response (``{"code": ..., "message": ...}``), the CLI into a message and a
non-zero exit status. Messages say what is wrong, where, and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_VALUE = "invalid_value"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    ALREADY_EXISTS = "already_exists"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    LAST_ADMIN = "last_admin"
    BACKUP_FORMAT = "backup_format"
    BACKUP_VERSION = "backup_version"
    RESTORE_TARGET_NOT_EMPTY = "restore_target_not_empty"
    UPLOAD_TOO_LARGE = "upload_too_large"
    LOGIN_THROTTLED = "login_throttled"


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field (or cell): ``location`` says where, e.g. ``"currency"`` or ``"row 4, column B"``."""

    location: str
    message: str


@dataclass
class DomainError(Exception):
    code: ErrorCode
    message: str
    problems: list[FieldProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        details = "; ".join(f"{p.location}: {p.message}" for p in self.problems)
        return f"{self.message} ({details})"
