"""One place for user-facing error codes and messages.

The core raises :class:`DomainError` with a code from :class:`ErrorCode`; the web layer turns it into a
form error or a 4xx JSON response (``{"code": ..., "message": ..., "problems": [...]}``), the CLI into a
message and a non-zero exit status. Messages say what is wrong, where, and how to fix it.

Messages are ``%``-style templates with named parameters, marked with :func:`_` so that ``makemessages``
collects them; the web layer translates the template into the reader's language before filling it in
(:meth:`DomainError.render`). The core itself never looks up translations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

Translate = Callable[[str], str]


def _(template: str) -> str:
    """Mark a message template for translation. Returns it unchanged: translation happens when shown."""
    return template


def _untranslated(template: str) -> str:
    return template


def _fill(template: str, params: Mapping[str, object], translate: Translate) -> str:
    text = translate(template)
    return text % dict(params) if params else text


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
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.render()

    def render(self, translate: Translate = _untranslated) -> str:
        return _fill(self.template, self.params, translate)


class DomainError(Exception):
    def __init__(
        self,
        code: ErrorCode,
        template: str,
        params: Mapping[str, object] | None = None,
        *,
        problems: list[FieldProblem] | None = None,
    ) -> None:
        self.code = code
        self.template = template
        self.params: Mapping[str, object] = params or {}
        self.problems: list[FieldProblem] = problems or []
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.render()

    def render(self, translate: Translate = _untranslated) -> str:
        return _fill(self.template, self.params, translate)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        details = "; ".join(f"{p.location}: {p.message}" for p in self.problems)
        return f"{self.message} ({details})"
