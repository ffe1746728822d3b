"""The invitation link of a reviewer (top level, no workspace in the URL): a new person creates an account
and joins as a reviewer; a signed-in person joins with one button; a member keeps their role; an unknown,
used or expired link says to ask the coordinator for a new one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from ctip.web.accounts.models import Membership, User
from ctip.web.reviews import services
from ctip.web.reviews.models import ReviewerInvitation
from tests.web.factories import PASSWORD, member_make, user_make
from tests.web.reviews.factories import nap_version_make, round_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(workspace, admin_user, django_capture_on_commit_callbacks):
    """(the invitation link's path, the invitation, its round), sent by Ada to expert@ngo.example."""
    review = round_make(nap_version_make(workspace), title="TC review")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.reviewer_invite(
            workspace=workspace,
            email="expert@ngo.example",
            name="Esther Expert",
            organisation_name="NGO",
            round=review,
            link_base="http://testserver",
            acting_user=admin_user,
        )
    found = re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.outbox[-1].body)
    assert found is not None, mail.outbox[-1].body
    return found.group(1), invitation, review


def round_path(review):
    return f"/w/{review.workspace.slug}/reviews/rounds/{review.uuid}/"


def test_the_page_says_who_invites_to_what(client, invited):
    path, _invitation, _review = invited
    page = client.get(path).content.decode()
    assert "Invitation to review in Mauritius C-TIP programme" in page
    assert "Ada Admin invites you to join as a reviewer." in page
    assert "“TC review”" in page
    assert "Create your account" in page
    assert f"/accounts/login/?next={path.replace('/', '%2F')}" in page


def test_a_new_person_creates_an_account_and_joins_as_reviewer_only(client, workspace, invited):
    path, invitation, review = invited
    response = client.post(
        path,
        {
            "action": "create",
            "username": "esther",
            "first_name": "Esther",
            "last_name": "Expert",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == round_path(review)
    esther = User.objects.get(username="esther")
    assert esther.email == "expert@ngo.example"
    assert Membership.objects.get(workspace=workspace, user=esther).role == "reviewer"
    assert esther in review.reviewers.all()
    page = client.get(response["Location"]).content.decode()  # signed in already
    assert "Add the comment" in page and "Close the round" not in page
    assert ReviewerInvitation.objects.get(pk=invitation.pk).accepted_by == esther


def test_two_different_passwords_create_nobody(client, workspace, invited):
    path, invitation, _review = invited
    response = client.post(
        path,
        {"action": "create", "username": "esther", "password": PASSWORD, "password_again": PASSWORD + "x"},
    )
    assert response.status_code == 400
    assert "The two passwords differ" in response.content.decode()
    assert not User.objects.filter(username="esther").exists()
    assert ReviewerInvitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_taken_username_is_named_next_to_the_field(client, invited):
    path, _invitation, _review = invited
    response = client.post(
        path, {"action": "create", "username": "ada", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 400
    assert "The username “ada” is already taken." in response.content.decode()


def test_a_signed_in_person_joins_with_one_button(client, workspace, invited):
    path, _invitation, review = invited
    person = user_make("omar")
    client.force_login(person)
    page = client.get(path).content.decode()
    assert "Join as reviewer" in page and "Create your account" not in page
    response = client.post(path, {"action": "join"})
    assert response.status_code == 302 and response["Location"] == round_path(review)
    assert Membership.objects.get(workspace=workspace, user=person).role == "reviewer"


def test_a_member_who_joins_keeps_their_role(client, workspace, invited):
    path, _invitation, _review = invited
    member = member_make(workspace, "coordinator")
    client.force_login(member.user)
    client.post(path, {"action": "join"})
    assert Membership.objects.get(pk=member.pk).role == "coordinator"


def test_an_unknown_link_is_not_found_and_says_what_to_do(client):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "Ask the programme coordinator who invited you for a new invitation." in response.content.decode()


def test_a_used_link_is_gone(client, invited):
    path, invitation, _review = invited
    services.invitation_accept(invitation=invitation, user=user_make("first"))
    response = client.get(path)
    assert response.status_code == 410
    assert "already used" in response.content.decode()
    response = client.post(
        path, {"action": "create", "username": "second", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 410
    assert not User.objects.filter(username="second").exists()


def test_an_expired_link_is_gone(client, invited):
    path, invitation, _review = invited
    ReviewerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = client.get(path)
    assert response.status_code == 410
    assert "It has expired" in response.content.decode()
