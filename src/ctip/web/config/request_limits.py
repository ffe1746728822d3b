"""Refuse request bodies larger than CTIP_MAX_UPLOAD_MB before anything reads them (HTTP 413)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit_mb = settings.CTIP_MAX_UPLOAD_MB
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit_mb * 1024 * 1024:
            message = _(
                "The upload is %(size)s MB; the limit is %(limit)s MB. Split the file, or ask the administrator "
                "to raise CTIP_MAX_UPLOAD_MB."
            ) % {"size": f"{length / 1024 / 1024:.1f}", "limit": limit_mb}
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"code": "upload_too_large", "message": message, "problems": []}, status=413
                )
            return render(request, "upload_too_large.html", {"message": message}, status=413)
        return self.get_response(request)
