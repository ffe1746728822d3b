"""Pages of the National Action Plan app: the plan list and outline editor (``outline``), the element, cost
line and indicator forms (``elements``); the budget, import, coordination and document pages sit beside
them in their own modules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.permissions import may
from ctip.web.nap.models import LEVELS, ActionPlan


def plan_of(request: HttpRequest, plan: Any) -> ActionPlan:
    """The workspace's plan with this UUID, or 404."""
    return get_object_or_404(ActionPlan, workspace=request.workspace, uuid=plan)


def child_level(level: str) -> str | None:
    """The level of the elements under one of ``level`` (``None`` under an activity)."""
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """``render``, plus whether the member may change the plan."""
    membership = getattr(request, "membership", None)
    return render(
        request,
        template,
        {"can_edit_content": may(membership, Permission.EDIT_CONTENT), **context},
        status=status,
    )


def error_text(error: DomainError) -> str:
    """The error and each of its problems, in the reader's language, for a message."""
    parts = [error.render(gettext)] + [problem.render(gettext) for problem in error.problems]
    return " ".join(parts)
