"""What every stakeholder page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ctip.core.access import Permission
from ctip.web.accounts.permissions import may


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``render``, plus ``can_edit_content`` for the registry's navigation and buttons."""
    return render(
        request,
        template,
        {"can_edit_content": may(getattr(request, "membership", None), Permission.EDIT_CONTENT), **context},
        status=status,
    )
