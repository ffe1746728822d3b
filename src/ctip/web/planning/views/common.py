"""What the catalogue and demand pages share."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ctip.core.access import Permission
from ctip.web.accounts.permissions import may

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``render``, plus whether the member may change the catalogue and the demand."""
    membership = getattr(request, "membership", None)
    return render(
        request,
        template,
        {"can_edit_content": may(membership, Permission.EDIT_CONTENT), **context},
        status=status,
    )


def is_french(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr")


def uuid_or_none(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
