"""The REST API at /api/v1/ (OpenAPI docs at /api/v1/docs).

Authentication: a personal API token (``Authorization: Bearer ctip_…``, created at /accounts/tokens/) or
the browser session. Errors are JSON ``{"code": ..., "message": ..., "problems": [...]}``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import ApiToken
from ctip.web.accounts.services import api_token_hash

DOMAIN_STATUS = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.ALREADY_EXISTS: 409,
    ErrorCode.LAST_ADMIN: 409,
    ErrorCode.UPLOAD_TOO_LARGE: 413,
}


class TokenAuth(HttpBearer):
    openapi_description = (
        "A personal API token from /accounts/tokens/ (sent as `Authorization: Bearer ctip_…`)."
    )

    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=api_token_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="C-TIP Planner API",
    version="1",
    description=__doc__,
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, problems=None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "problems": problems or []}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    problems = [{"location": p.location, "message": p.render(gettext)} for p in error.problems]
    return _error(
        request, DOMAIN_STATUS.get(error.code, 400), error.code.value, error.render(gettext), problems
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = [
        {"location": ".".join(str(part) for part in item.get("loc", [])), "message": item.get("msg", "")}
        for item in error.errors
    ]
    return _error(request, 422, "invalid_request", "The request is not valid; see problems.", problems)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "unauthenticated", "Sign in, or send a valid API token as 'Authorization: Bearer …'."
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, ErrorCode.NOT_FOUND.value, "Not found.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _error(
        request, 403, ErrorCode.PERMISSION_DENIED.value, str(error) or "Your role does not allow this."
    )


from ctip.web.accounts.api import router as accounts_router  # noqa: E402
from ctip.web.desk_review.api import router as desk_review_router  # noqa: E402
from ctip.web.inception.api import router as inception_router  # noqa: E402
from ctip.web.meetings.api import router as meetings_router  # noqa: E402
from ctip.web.monitoring.api import router as monitoring_router  # noqa: E402
from ctip.web.nap.api import router as nap_router  # noqa: E402
from ctip.web.needs.api import router as needs_router  # noqa: E402
from ctip.web.planning.api import router as planning_router  # noqa: E402
from ctip.web.planning.api_scenarios import router as plan_scenarios_router  # noqa: E402
from ctip.web.qualitative.api import router as qualitative_router  # noqa: E402
from ctip.web.reviews.api import router as reviews_router  # noqa: E402
from ctip.web.stakeholders.api import router as stakeholders_router  # noqa: E402
from ctip.web.tna.api import router as tna_router  # noqa: E402
from ctip.web.trainings.api_events import router as training_events_router  # noqa: E402
from ctip.web.trainings.api_results import router as training_results_router  # noqa: E402

api.add_router("", accounts_router)
api.add_router("", stakeholders_router)
api.add_router("", desk_review_router)
api.add_router("", meetings_router)
api.add_router("", inception_router)
api.add_router("", tna_router)
api.add_router("", qualitative_router)
api.add_router("", needs_router)
api.add_router("", planning_router)
api.add_router("", plan_scenarios_router)
api.add_router("", monitoring_router)
api.add_router("", training_events_router)
api.add_router("", training_results_router)
api.add_router("", nap_router)
api.add_router("", reviews_router)
