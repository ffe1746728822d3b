"""Workspace isolation, proved for every URL pattern and API route that exists — now and later.

The URL tree is walked automatically. Every route whose path names a ``<workspace>`` is requested with
every HTTP method by a signed-in user who is not a member: each answer must be 404. Routes without a
workspace must be on the short list below of routes that hold no workspace data. Other path parameters
are filled with real objects of the target workspace, so a 404 proves the membership check and not a
missing object; a member's GET of the same URL is the control that the URL is real.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ctip.web.accounts.models import Membership
from tests.web.factories import user_make

METHODS = ["get", "post", "put", "patch", "delete"]

# Routes outside any workspace, with why they are safe.
PUBLIC_OR_PERSONAL_ROUTES = {
    "",  # the caller's own list of workspaces
    "healthz",
    "accounts/login/",
    "accounts/logout/",
    "accounts/password_change/",
    "accounts/password_change/done/",
    "accounts/password_reset/",
    "accounts/password_reset/done/",
    "accounts/reset/<uidb64>/<token>/",
    "accounts/reset/done/",
    "accounts/tokens/",  # the caller's own tokens
    "accounts/tokens/<uuid:token>/revoke/",  # only the caller's own tokens (404 otherwise)
    "i18n/setlang/",
    "workspaces/new/",  # staff only, creates a new workspace
    "api/v1/",
    "api/v1/openapi.json",
    "api/v1/docs",
    "api/v1/me",
    "api/v1/workspaces",  # lists only the caller's workspaces
    # The built-in survey form for respondents: the link's random token opens one instrument's form and
    # nothing else, and the resume code only the answers saved through that link (tests/web/tna/test_web_form.py).
    "f/<str:token>/",
    # A reviewer's invitation link: the random token opens one invitation (workspace name, inviter, round
    # title) and nothing else (tests/web/reviews/test_views_invitations.py).
    "invitations/<str:token>/",
    "f/<str:token>/<str:code>/<int:page>/",
    "f/<str:token>/<str:code>/saved/",
    "f/<str:token>/<str:code>/review/",
    "f/<str:token>/<str:code>/done/",
    # The participants' test link of a training: the link's random token opens one event's tests and surveys
    # and nothing else; a participant code finds only that event's participants, and the pages show a
    # participant their own progress only, never a score or the key (tests/web/trainings/test_taking.py).
    "t/<str:token>/",
    "t/<str:token>/<uuid:participant>/",
    "t/<str:token>/<uuid:participant>/continue/",
    "t/<str:token>/<uuid:participant>/survey/<str:kind>/",
    "t/<str:token>/<uuid:participant>/<str:phase>/review/",
    "t/<str:token>/<uuid:participant>/<str:phase>/done/",
    "t/<str:token>/<uuid:participant>/<str:phase>/<int:number>/",
}

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def all_routes() -> list[str]:
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return sorted(set(routes))


def fill(route: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in values:
            pytest.fail(
                f"The isolation test does not know how to fill <{name}> in '{route}'. Add a real object of the "
                "target workspace for it to `parameter_values` in tests/web/accounts/test_isolation.py."
            )
        return values[name]

    return "/" + PARAMETER.sub(value, route)


@pytest.fixture
def parameter_values(workspace, make_member):
    """Real objects of the target workspace for every path parameter. Each app adds its own in
    ``tests/web/<app>/isolation.py`` with a function ``isolation_parameters(workspace) -> dict[str, str]``."""
    member = make_member(workspace, "trainer")
    values = {
        "workspace": workspace.slug,
        "membership": str(member.uuid),
        "phase": "inception",
    }
    for module_path in sorted(Path(__file__).parents[1].glob("*/isolation.py")):
        module = importlib.import_module(f"tests.web.{module_path.parent.name}.isolation")
        values.update(module.isolation_parameters(workspace))
    return values


def workspace_routes() -> list[str]:
    return [route for route in all_routes() if "<workspace>" in route or "<slug:workspace>" in route]


def test_the_walk_finds_web_pages_and_api_routes():
    routes = workspace_routes()
    assert any(route.startswith("w/") for route in routes)
    assert any(route.startswith("api/v1/w/") for route in routes)
    assert len(routes) >= 10


def test_every_route_outside_a_workspace_is_known_to_hold_no_workspace_data():
    unexpected = [
        route
        for route in all_routes()
        if route not in workspace_routes()
        and route not in PUBLIC_OR_PERSONAL_ROUTES
        and not route.startswith("^static")
    ]
    assert unexpected == [], (
        "New routes outside /w/<workspace>/: put workspace data under /w/<workspace>/, or add the route to "
        "PUBLIC_OR_PERSONAL_ROUTES with the reason it holds none."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", workspace_routes())
def test_non_members_get_404_from_every_workspace_route_and_method(route, client, outsider, parameter_values):
    url = fill(route, parameter_values)
    client.force_login(outsider)
    for method in METHODS:
        response = getattr(client, method)(
            url, content_type="application/json", data={} if method != "get" else None
        )
        assert response.status_code == 404, (
            f"{method.upper()} {url} gave {response.status_code} to a non-member"
        )
        if url.startswith("/api/"):
            assert response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("route", workspace_routes())
def test_api_tokens_of_non_members_get_404_too(route, client, outsider, parameter_values):
    if not route.startswith("api/"):
        return
    from ctip.web.accounts.services import api_token_create

    _token, secret = api_token_create(user=outsider, name="t", acting_user=outsider)
    url = fill(route, parameter_values)
    for method in METHODS:
        response = getattr(client, method)(
            url, HTTP_AUTHORIZATION=f"Bearer {secret}", content_type="application/json"
        )
        assert response.status_code == 404, (
            f"{method.upper()} {url} gave {response.status_code} to a non-member token"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("route", workspace_routes())
def test_members_reach_the_same_urls(route, client, workspace, admin_user, parameter_values):
    """The control: the URLs built above exist, so the non-member's 404 comes from the membership check."""
    client.force_login(admin_user)
    url = fill(route, parameter_values)
    responses = {method: getattr(client, method)(url).status_code for method in METHODS}
    assert any(status not in (404, 405) for status in responses.values()) or responses["get"] == 405, (
        f"{url} gives {responses} even to an administrator: the isolation test is not testing a real URL"
    )


@pytest.mark.django_db
def test_a_former_member_loses_access_at_once(client, workspace, make_member):
    membership = make_member(workspace, "analyst")
    client.force_login(membership.user)
    assert client.get(f"/w/{workspace.slug}/").status_code == 200
    Membership.objects.filter(pk=membership.pk).delete()
    assert client.get(f"/w/{workspace.slug}/").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_asked_to_sign_in_whatever_the_workspace(client, workspace):
    for slug in (workspace.slug, "does-not-exist"):
        response = client.get(f"/w/{slug}/members/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert client.get(f"/api/v1/w/{slug}/members").status_code == 401


@pytest.mark.django_db
def test_an_unknown_workspace_and_a_foreign_one_look_the_same(client, workspace):
    client.force_login(user_make("nobody"))
    assert (
        client.get(f"/w/{workspace.slug}/").status_code == client.get("/w/no-such-place/").status_code == 404
    )


@pytest.mark.django_db
def test_non_members_get_404_even_for_oversized_or_malformed_requests(client, workspace, outsider, settings):
    settings.CTIP_MAX_UPLOAD_MB = 1
    client.force_login(outsider)
    big = "x" * (1024 * 1024 + 10)
    assert client.post(f"/w/{workspace.slug}/members/add/", {"username": big}).status_code == 404
    assert (
        client.post(
            f"/api/v1/w/{workspace.slug}/members", "{not json", content_type="application/json"
        ).status_code
        == 404
    )
