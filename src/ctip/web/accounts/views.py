"""Account and workspace-administration pages. Views parse input, call one service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.workspace_profile import WorkspaceProfile
from ctip.formats.backup import backup_dumps
from ctip.web.accounts import selectors, services
from ctip.web.accounts.forms import (
    ApiTokenForm,
    AuditFilterForm,
    MemberAddForm,
    MemberRoleForm,
    ThrottledAuthenticationForm,
    WorkspaceForm,
    apply_domain_error,
)
from ctip.web.accounts.models import ApiToken, Membership
from ctip.web.accounts.permissions import workspace_view
from ctip.web.accounts.throttling import client_address, login_failure_record, login_failures_clear
from ctip.web.workspace_backup import workspace_backup


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        if not form.has_error("__all__", "throttled"):
            login_failure_record(
                username=self.request.POST.get("username", ""), address=client_address(self.request.META)
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        login_failures_clear(username=user.username)
        response = super().form_valid(form)
        if user.preferred_language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax")
        return response


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, plus remembering the choice for a signed-in user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        services.user_language_set(user=request.user, language=language, acting_user=request.user)
    return response


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], acting_user=request.user
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "new_key": new_key, "tokens": selectors.api_tokens_of(request.user)},
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token: str) -> HttpResponse:
    found = get_object_or_404(ApiToken, uuid=token, user=request.user)
    services.api_token_revoke(token=found, acting_user=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": found.name})
    return redirect("api-tokens")


@login_required
def workspace_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    form = WorkspaceForm(
        request.POST or None,
        initial={"languages": "en, fr", "currency": "USD", "plan_start_year": 2026, "plan_end_year": 2028},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            workspace = services.workspace_create(
                profile=WorkspaceProfile(**data), admin=None, acting_user=request.user
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Workspace created. You are its administrator."))
            return redirect("workspace-dashboard", workspace=workspace.slug)
    return render(request, "accounts/workspace_form.html", {"form": form, "creating": True})


@workspace_view(Permission.EDIT_WORKSPACE)
def workspace_settings(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    form = WorkspaceForm(request.POST or None, initial=WorkspaceForm.initial_for(workspace))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            workspace = services.workspace_update(
                workspace=workspace, acting_user=request.user, expected_version=version, **data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Workspace details saved."))
            return redirect("workspace-settings", workspace=workspace.slug)
    return render(request, "accounts/workspace_form.html", {"form": form, "creating": False})


@workspace_view(Permission.VIEW_MEMBERS)
def members(request: HttpRequest) -> HttpResponse:
    return _members_page(request, add_form=MemberAddForm())


def _members_page(request: HttpRequest, *, add_form: MemberAddForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accounts/members.html",
        {
            "members": selectors.memberships_of(request.workspace),
            "add_form": add_form,
            "role_form": MemberRoleForm(),
        },
        status=status,
    )


@workspace_view(Permission.MANAGE_MEMBERS)
@require_POST
def member_add(request: HttpRequest) -> HttpResponse:
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(
                workspace=request.workspace,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                acting_user=request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Member added."))
            return redirect("workspace-members", workspace=request.workspace.slug)
    return _members_page(request, add_form=form, status=400)


def _membership(request: HttpRequest, membership: str) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "workspace"), uuid=membership, workspace=request.workspace
    )


@workspace_view(Permission.MANAGE_MEMBERS)
@require_POST
def member_role(request: HttpRequest, membership: str) -> HttpResponse:
    found = _membership(request, membership)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.membership_change_role(
                membership=found, role=form.cleaned_data["role"], acting_user=request.user
            )
        except DomainError as error:
            messages.error(request, error.render(_))
        else:
            messages.success(request, _("Role of %(user)s changed.") % {"user": found.user.username})
    return redirect("workspace-members", workspace=request.workspace.slug)


@workspace_view(Permission.MANAGE_MEMBERS)
@require_POST
def member_remove(request: HttpRequest, membership: str) -> HttpResponse:
    found = _membership(request, membership)
    try:
        services.membership_remove(membership=found, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.render(_))
    else:
        messages.success(request, _("%(user)s removed from the workspace.") % {"user": found.user.username})
    return redirect("workspace-members", workspace=request.workspace.slug)


def _audit_filter_form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET or None,
        actions=selectors.audit_actions(request.workspace),
        object_types=selectors.audit_object_types(request.workspace),
    )


def _filtered_entries(request: HttpRequest, form: AuditFilterForm):
    if form.is_bound and form.is_valid():
        return selectors.audit_entries(request.workspace, selectors.AuditFilter(**form.cleaned_data))
    return selectors.audit_entries(request.workspace)


@workspace_view(Permission.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = _audit_filter_form(request)
    page = Paginator(_filtered_entries(request, form), 50).get_page(request.GET.get("page"))
    template = "accounts/audit_table.html" if request.htmx else "accounts/audit_log.html"
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@workspace_view(Permission.VIEW_AUDIT_LOG)
def audit_export(request: HttpRequest) -> HttpResponse:
    form = _audit_filter_form(request)
    response = HttpResponse(
        selectors.audit_csv(_filtered_entries(request, form)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{request.workspace.slug}.csv"'
    return response


@workspace_view(Permission.BACKUP_WORKSPACE)
def backup_download(request: HttpRequest) -> HttpResponse:
    document = workspace_backup(workspace=request.workspace, acting_user=request.user)
    response = HttpResponse(backup_dumps(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="backup-{request.workspace.slug}.json"'
    return response


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
