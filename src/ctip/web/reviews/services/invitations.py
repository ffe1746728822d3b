"""Inviting reviewers by email — often from other organisations — into the workspace with only the
reviewer role, and accepting the invitation (with an existing account or a new one)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from ctip.core.access import Permission, Role
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Membership, User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.services import _membership_insert, user_create
from ctip.web.reviews.models import ReviewerInvitation, ReviewRound
from ctip.web.reviews.services.common import actor_name, audit, refuse_if_round_settled
from ctip.web.reviews.services.notifications import notify_now

__all__ = [
    "INVITATION_DAYS",
    "invitation_accept",
    "invitation_accept_new_user",
    "invitation_for_token",
    "reviewer_invite",
]

INVITATION_DAYS = 30
INVITATION_FIELDS = ["email", "name", "organisation_name", "round", "expires_at", "accepted_at"]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reviewer_invite(
    *,
    workspace: Workspace,
    email: str,
    name: str = "",
    organisation_name: str = "",
    round: ReviewRound | None = None,
    link_base: str,
    acting_user: User | None,
) -> ReviewerInvitation:
    """Email an invitation link (valid for 30 days) that adds its holder to the workspace as a reviewer —
    and to ``round``'s reviewers. Only a hash of the link's secret is kept."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The invitation cannot be sent; correct the fields listed."),
            problems=[FieldProblem("email", _("“%(value)s” is not an e-mail address."), {"value": email})],
        ) from None
    if round is not None:
        if round.workspace_id != workspace.pk:
            raise DomainError(ErrorCode.NOT_FOUND, _("No such review round."))
        refuse_if_round_settled(round, _("inviting reviewers"))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = ReviewerInvitation.objects.create(
            workspace=workspace,
            round=round,
            email=email,
            name=" ".join(name.split())[:150],
            organisation_name=" ".join(organisation_name.split())[:250],
            token_hash=_hash(token),
            invited_by=acting_user,
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
        )
        audit(
            acting_user=acting_user, instance=invitation, action="invitation.send", fields=INVITATION_FIELDS
        )
        link = link_base.rstrip("/") + reverse("review-invitation-accept", kwargs={"token": token})
        what = (
            gettext("the review “%(round)s” of %(title)s version %(number)s")
            % {
                "round": round.title,
                "title": round.deliverable_version.title,
                "number": round.deliverable_version.number,
            }
            if round is not None
            else gettext("the reviews")
        )
        body = gettext(
            "Hello %(name)s,\n\n%(inviter)s invites you to take part in %(what)s in %(workspace)s, as a "
            "reviewer: you will be able to read the documents and comment on them.\n\nAccept the invitation "
            "(valid until %(expires)s): %(link)s\n\n— C-TIP Planner"
        ) % {
            "name": invitation.name or email,
            "inviter": actor_name(acting_user),
            "what": what,
            "workspace": workspace.name,
            "expires": f"{invitation.expires_at:%Y-%m-%d}",
            "link": link,
        }
        recipient = User(email=email, is_active=True)
        notify_now(
            workspace=workspace,
            recipient=recipient,
            subject=gettext("Invitation to review in %(workspace)s") % {"workspace": workspace.name},
            body=body,
        )
    return invitation


def invitation_for_token(token: str) -> ReviewerInvitation | None:
    """The invitation a link's secret belongs to (used or expired ones too: the page says which)."""
    return (
        ReviewerInvitation.objects.select_related("workspace", "round__deliverable_version", "invited_by")
        .filter(token_hash=_hash(token))
        .first()
    )


def _usable(invitation: ReviewerInvitation) -> None:
    if invitation.accepted_at is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("This invitation was already used. Sign in, or ask the coordinator for a new one."),
        )
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            ErrorCode.CONFLICT, _("This invitation has expired; ask the coordinator for a new one.")
        )


def invitation_accept(*, invitation: ReviewerInvitation, user: User) -> Membership:
    """Join the invitation's workspace as a reviewer (a member keeps the role they have) and its round."""
    with transaction.atomic():
        current = ReviewerInvitation.objects.select_for_update().get(pk=invitation.pk)
        _usable(current)
        membership = Membership.objects.filter(workspace=current.workspace, user=user).first()
        if membership is None:
            membership = _membership_insert(
                workspace=current.workspace, user=user, role=Role.REVIEWER, acting_user=user
            )
        if current.round is not None and current.round.deliverable_version.status != "final":
            current.round.reviewers.add(user)
        current.accepted_at = timezone.now()
        current.accepted_by = user
        current.save(update_fields=["accepted_at", "accepted_by"])
        audit(
            acting_user=user,
            instance=current,
            action="invitation.accept",
            before={"accepted_at": None},
            fields=["accepted_at"],
        )
    return membership


def invitation_accept_new_user(
    *,
    invitation: ReviewerInvitation,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create the invited person's account (with the invitation's email) and accept for them."""
    _usable(invitation)
    with transaction.atomic():
        user = user_create(
            username=username,
            email=invitation.email,
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            acting_user=None,
        )
        invitation_accept(invitation=invitation, user=user)
    return user
