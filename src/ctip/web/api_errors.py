"""Every answer under /api/ is JSON ``{"code", "message", "problems"}``, including the 404 of an unknown
path and the 405 of a method a route does not accept, which Django and django-ninja answer in HTML or
plain text."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

FALLBACK_CODES = {
    400: ("bad_request", "The request could not be read."),
    403: ("permission_denied", "Not allowed."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This address does not accept that method."),
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/api/") or response.status_code not in FALLBACK_CODES:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            body = _json(response)
            if isinstance(body, dict) and "code" in body:
                return response
            detail = body.get("detail") if isinstance(body, dict) else None
        else:
            detail = None
        code, message = FALLBACK_CODES[response.status_code]
        replacement = JsonResponse(
            {"code": code, "message": str(detail) if detail else message, "problems": []},
            status=response.status_code,
        )
        if response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        return replacement


def _json(response: HttpResponse) -> object:
    try:
        return json.loads(response.content)
    except (ValueError, AttributeError):
        return None
