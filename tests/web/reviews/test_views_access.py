"""Who reaches which review page: every member reads; editors save, open rounds, respond and invite;
reviewers comment; only those who both edit and validate (coordinators, administrators) validate and
finalise; non-members get 404 everywhere."""

from __future__ import annotations

import pytest

from tests.web.factories import member_make, user_make
from tests.web.reviews.factories import comment_make, nap_version_make, round_make

pytestmark = pytest.mark.django_db

PAGES = [
    "",
    "versions/{version}/",
    "versions/{version}/validate/",
    "versions/{version}/finalise/",
    "versions/{version}/delete/",
    "versions/{version}/rounds/new/",
    "compare/?from={version}&to=live",
    "compare/diff.docx?from={version}&to=live",
    "rounds/{round}/",
    "rounds/{round}/invite/",
    "rounds/{round}/comments/add/",
    "rounds/{round}/comment-matrix.xlsx",
    "comments/{comment}/respond/",
]
READ = {0, 1, 6, 7, 8, 11}
EDIT = {4, 5, 9, 12}
COMMENT = {10}
VALIDATE = {2, 3}
ALLOWED = {
    "viewer": READ,
    "trainer": READ,
    "reviewer": READ | COMMENT,
    "analyst": READ | EDIT,
    "coordinator": READ | EDIT | COMMENT | VALIDATE,
    "admin": READ | EDIT | COMMENT | VALIDATE,
}


@pytest.fixture
def addresses(workspace):
    version = nap_version_make(workspace)
    review = round_make(version)
    comment = comment_make(review)
    values = {"version": version.uuid, "round": review.uuid, "comment": comment.uuid}
    return [f"/w/{workspace.slug}/reviews/" + page.format(**values) for page in PAGES]


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_reaches_exactly_its_pages(client, workspace, addresses, role):
    user = user_make()
    member_make(workspace, role, user)
    client.force_login(user)
    statuses = {index: client.get(address).status_code for index, address in enumerate(addresses)}
    assert {index for index, status in statuses.items() if status == 200} == ALLOWED[role], statuses
    assert {status for index, status in statuses.items() if index not in ALLOWED[role]} <= {403}


def test_non_members_get_404_from_every_page(client, addresses, outsider):
    client.force_login(outsider)
    assert {client.get(address).status_code for address in addresses} == {404}


def test_anonymous_visitors_are_asked_to_sign_in(client, addresses):
    response = client.get(addresses[1])
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
