"""The workspace gate: one central check that a signed-in caller who is not a member of a workspace gets
404 from every URL and API route that names it (``<workspace>`` in the URL), before any view, form or
payload validation runs. Views check again (and learn the caller's role) through ``permissions.py``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve

from ctip.web.accounts.models import ApiToken, Membership, User
from ctip.web.accounts.services import api_token_hash


def _caller(request: HttpRequest) -> User | None:
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() == "bearer" and key:
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=api_token_hash(key.strip()), revoked_at=None)
            .first()
        )
        if token is not None and token.user.is_active:
            return token.user
    return None


class WorkspaceGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("workspace")
        if slug is not None:
            caller = _caller(request)
            if (
                caller is not None
                and not Membership.objects.filter(workspace__slug=slug, user=caller).exists()
            ):
                if request.path_info.startswith("/api/"):
                    return JsonResponse(
                        {"code": "not_found", "message": "Not found.", "problems": []}, status=404
                    )
                raise Http404("No such workspace")
        return self.get_response(request)
