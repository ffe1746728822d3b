import pytest

from ctip.web.accounts import services
from ctip.web.accounts.models import AuditEntry, Membership, Workspace
from tests.web.factories import user_make


@pytest.fixture
def token(admin_user):
    _token, secret = services.api_token_create(user=admin_user, name="script", acting_user=admin_user)
    return secret


def call(client, method, url, token, **kwargs):
    return getattr(client, method)(
        url, HTTP_AUTHORIZATION=f"Bearer {token}", content_type="application/json", **kwargs
    )


@pytest.mark.django_db
def test_workspaces_lists_only_mine(client, workspace, token, outsider):
    response = call(client, "get", "/api/v1/workspaces", token)
    assert response.status_code == 200
    assert [w["slug"] for w in response.json()] == ["mauritius"]


@pytest.mark.django_db
def test_member_lifecycle_through_the_api(client, workspace, token):
    user_make("jean")
    added = call(
        client, "post", "/api/v1/w/mauritius/members", token, data={"username": "jean", "role": "analyst"}
    )
    assert added.status_code == 201, added.content
    member_id = added.json()["id"]
    changed = call(
        client, "patch", f"/api/v1/w/mauritius/members/{member_id}", token, data={"role": "trainer"}
    )
    assert changed.json()["role"] == "trainer"
    listed = call(client, "get", "/api/v1/w/mauritius/members", token).json()
    assert {m["username"]: m["role"] for m in listed} == {"ada": "admin", "jean": "trainer"}
    assert call(client, "delete", f"/api/v1/w/mauritius/members/{member_id}", token).status_code == 204
    actions = list(
        AuditEntry.objects.filter(workspace=workspace, actor__username="ada").values_list("action", flat=True)
    )
    assert sorted(actions) == ["membership.add", "membership.change_role", "membership.remove"]


@pytest.mark.django_db
def test_validation_errors_are_json_with_code_and_where(client, workspace, token):
    response = call(
        client, "post", "/api/v1/w/mauritius/members", token, data={"username": "x", "role": "boss"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert any(p["location"].endswith("role") for p in body["problems"])
    assert Membership.objects.filter(workspace=workspace).count() == 1


@pytest.mark.django_db
def test_domain_errors_keep_their_code(client, workspace, token):
    response = call(
        client, "patch", "/api/v1/w/mauritius", token, data={"currency": "Rupee", "expected_version": 1}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_value"
    assert response.json()["problems"][0]["location"] == "currency"
    stale = call(client, "patch", "/api/v1/w/mauritius", token, data={"name": "New", "expected_version": 7})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Workspace.objects.get().name == "Mauritius C-TIP programme"


@pytest.mark.django_db
def test_last_admin_cannot_be_removed_by_api(client, workspace, token, admin_user):
    own = Membership.objects.get(user=admin_user)
    response = call(client, "delete", f"/api/v1/w/mauritius/members/{own.uuid}", token)
    assert response.status_code == 409 and response.json()["code"] == "last_admin"


@pytest.mark.django_db
def test_members_without_the_role_get_403_with_a_reason(client, workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    _t, secret = services.api_token_create(user=viewer, name="v", acting_user=viewer)
    assert call(client, "get", "/api/v1/w/mauritius/members", secret).status_code == 200
    response = call(
        client, "post", "/api/v1/w/mauritius/members", secret, data={"username": "ada", "role": "viewer"}
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


@pytest.mark.django_db
def test_bad_or_revoked_tokens_are_refused(client, workspace, admin_user):
    token, secret = services.api_token_create(user=admin_user, name="old", acting_user=admin_user)
    assert call(client, "get", "/api/v1/me", secret).status_code == 200
    services.api_token_revoke(token=token, acting_user=admin_user)
    response = call(client, "get", "/api/v1/me", secret)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    assert call(client, "get", "/api/v1/me", "ctip_made_up").status_code == 401


@pytest.mark.django_db
def test_staff_create_workspaces_by_api(client, db):
    staff = user_make("staffer", staff=True)
    _t, secret = services.api_token_create(user=staff, name="s", acting_user=staff)
    payload = {
        "slug": "rwanda",
        "name": "Rwanda",
        "country": "RW",
        "currency": "RWF",
        "plan_start_year": 2025,
        "plan_end_year": 2027,
    }
    response = call(client, "post", "/api/v1/workspaces", secret, data=payload)
    assert response.status_code == 201, response.content
    assert Membership.objects.get(workspace__slug="rwanda").role == "admin"


@pytest.mark.django_db
def test_openapi_schema_documents_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    member_post = schema["paths"]["/api/v1/w/{workspace}/members"]["post"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(member_post["responses"])
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_every_api_error_is_json_with_a_code(client, workspace, token):
    unknown = call(client, "get", "/api/v1/nowhere", token)
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    wrong_method = call(client, "put", "/api/v1/w/mauritius/members", token)
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"
    unreadable = client.post(
        "/api/v1/w/mauritius/members",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert unreadable.status_code == 400
    assert unreadable.json()["code"] == "bad_request"


@pytest.mark.django_db
def test_session_calls_without_csrf_token_get_a_json_403(workspace, admin_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    response = browser.post(
        "/api/v1/w/mauritius/members", {"username": "ada", "role": "viewer"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["message"]
