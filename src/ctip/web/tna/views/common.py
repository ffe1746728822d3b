"""What every TNA page needs."""

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
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv; charset=utf-8"

_LOCATION = re.compile(r"^row (?P<row>\d+)(?:, column (?P<column>.+))?$")


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``render``, plus what the TNA navigation and buttons need to know about the member's role."""
    membership = getattr(request, "membership", None)
    return render(
        request,
        template,
        {
            "can_edit_content": may(membership, Permission.EDIT_CONTENT),
            "can_analyse_data": may(membership, Permission.ANALYSE_DATA),
            **context,
        },
        status=status,
    )


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def problem_rows(error: DomainError) -> list[dict[str, str]]:
    """Each problem of an error as (row, column, message) for the error table."""
    rows = []
    for problem in error.problems:
        match = _LOCATION.match(problem.location)
        if match:
            row, column = match.group("row"), (match.group("column") or "").strip("“”")
        elif problem.location == "header":
            row, column = "1", _("header")
        else:
            row, column = "", problem.location
        rows.append({"row": row, "column": column, "message": problem.render(_)})
    return rows
