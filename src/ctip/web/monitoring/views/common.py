"""What every M&E page needs."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.permissions import may

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_LANGUAGES = ("en", "fr")
_LOCATION = re.compile(r"^row (?P<row>\d+)(?:, column (?P<column>.+))?$")


def language_of(request: HttpRequest) -> str:
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"


def report_language(request: HttpRequest) -> str:
    requested = request.GET.get("language", "")
    return requested if requested in REPORT_LANGUAGES else language_of(request)


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``render``, plus ``can_edit_content`` for the navigation and buttons."""
    return render(
        request,
        template,
        {"can_edit_content": may(getattr(request, "membership", None), Permission.EDIT_CONTENT), **context},
        status=status,
    )


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def problem_rows(error: DomainError) -> list[dict[str, str]]:
    """Each problem as (row, column, message) for the error table."""
    rows = []
    for problem in error.problems:
        match = _LOCATION.match(problem.location)
        if match:
            row, column = match.group("row"), (match.group("column") or "").replace("“", "").replace("”", "")
        elif problem.location == "header":
            row, column = "1", _("header")
        else:
            row, column = "", problem.location
        rows.append({"row": row, "column": column, "message": problem.render(_)})
    return rows
