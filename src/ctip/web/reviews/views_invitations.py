"""The link of a reviewer's invitation (top level: the invited person is not a member yet). It shows which
workspace and round the invitation is for and who sent it; a signed-in person joins with one button, anyone
else creates an account (or signs in and comes back). The link's random token opens this one invitation and
nothing else; an unknown, used or expired link says to ask the coordinator for a new one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ctip.core.errors import DomainError
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.reviews import services
from ctip.web.reviews.forms import InvitationNewUserForm
from ctip.web.reviews.models import ReviewerInvitation


def _unusable(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "reviews/invitation_invalid.html", {"reason": reason}, status=status)


def _after_joining(invitation: ReviewerInvitation) -> HttpResponse:
    slug = invitation.workspace.slug
    if invitation.round is not None:
        return redirect("reviews-round", workspace=slug, review_round=invitation.round.uuid)
    return redirect("workspace-dashboard", workspace=slug)


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _unusable(request, "unknown", 404)
    if invitation.accepted_at is not None:
        return _unusable(request, "used", 410)
    if invitation.expires_at <= timezone.now():
        return _unusable(request, "expired", 410)
    workspace = invitation.workspace
    form = InvitationNewUserForm(request.POST if request.POST.get("action") == "create" else None)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if request.user.is_authenticated and request.POST.get("action") == "join":
                services.invitation_accept(invitation=invitation, user=request.user)
                messages.success(
                    request,
                    _("Welcome to %(workspace)s. You can now read and comment.")
                    % {"workspace": workspace.name},
                )
                return _after_joining(invitation)
            if not request.user.is_authenticated and form.is_valid():
                user = services.invitation_accept_new_user(
                    invitation=invitation,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _(
                        "Your account is ready and you are a reviewer in %(workspace)s. Sign in with “%(username)s” next time."
                    )
                    % {"workspace": workspace.name, "username": user.get_username()},
                )
                return _after_joining(invitation)
        except DomainError as error:
            if request.user.is_authenticated:
                messages.error(request, error.render(_))
            else:
                apply_domain_error(form, error)
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "workspace": workspace,
        "inviter": inviter.display_name() if inviter is not None else "",
        "round": invitation.round,
        "form": form,
        "login_url": reverse("login") + "?" + urlencode({"next": request.path}),
    }
    return render(request, "reviews/invitation.html", context, status=status)
