from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ctip.core.workspace_profile import country_name, language_name
from ctip.web.accounts.permissions import workspace_view
from ctip.web.accounts.selectors import memberships_of, workspaces_for_user
from ctip.web.shell.phases import PHASES_BY_SLUG


@login_required
def home(request: HttpRequest) -> HttpResponse:
    workspaces = list(workspaces_for_user(request.user))
    if len(workspaces) == 1 and not request.user.is_staff and "stay" not in request.GET:
        return redirect("workspace-dashboard", workspace=workspaces[0].slug)
    return render(request, "shell/home.html", {"workspaces": workspaces})


@workspace_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    language = request.LANGUAGE_CODE
    return render(
        request,
        "shell/dashboard.html",
        {
            "country": country_name(workspace.country, language),
            "working_languages": [language_name(code, language) for code in workspace.languages],
            "member_count": memberships_of(workspace).count(),
        },
    )


@workspace_view()
def phase(request: HttpRequest, phase: str) -> HttpResponse:
    found = PHASES_BY_SLUG.get(phase)
    if found is None:
        raise Http404("No such phase")
    return render(request, "shell/phase.html", {"phase": found})
