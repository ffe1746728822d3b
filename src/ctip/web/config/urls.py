"""URLs. Everything that belongs to a workspace lives under /w/<workspace>/ (see workspace_urls)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from ctip.web.accounts import views as account_views
from ctip.web.accounts.forms import AuditedPasswordChangeForm, AuditedSetPasswordForm
from ctip.web.api import api
from ctip.web.reviews import views_invitations as review_invitation_views
from ctip.web.shell import views as shell_views

workspace_urls = [
    path("", shell_views.dashboard, name="workspace-dashboard"),
    path("phase/<slug:phase>/", shell_views.phase, name="workspace-phase"),
    path("settings/", account_views.workspace_settings, name="workspace-settings"),
    path("members/", account_views.members, name="workspace-members"),
    path("members/add/", account_views.member_add, name="workspace-member-add"),
    path("members/<uuid:membership>/role/", account_views.member_role, name="workspace-member-role"),
    path("members/<uuid:membership>/remove/", account_views.member_remove, name="workspace-member-remove"),
    path("audit/", account_views.audit_log, name="workspace-audit"),
    path("audit/export.csv", account_views.audit_export, name="workspace-audit-export"),
    path("backup.json", account_views.backup_download, name="workspace-backup"),
    path("stakeholders/", include("ctip.web.stakeholders.urls")),
    path("", include("ctip.web.desk_review.urls")),
    path("meetings/", include("ctip.web.meetings.urls")),
    path("inception/", include("ctip.web.inception.urls")),
    path("tna/", include("ctip.web.tna.urls")),
    path("qualitative/", include("ctip.web.qualitative.urls")),
    path("needs/", include("ctip.web.needs.urls")),
    path("plan/", include("ctip.web.planning.urls")),
    path("plan/", include("ctip.web.planning.urls_scenarios")),
    path("monitoring/", include("ctip.web.monitoring.urls")),
    path("trainings/", include("ctip.web.trainings.urls")),
    path("trainings/", include("ctip.web.trainings.urls_kit")),
    path("trainings/", include("ctip.web.trainings.urls_assessments")),
    path("trainings/", include("ctip.web.trainings.urls_results")),
    path("trainings/", include("ctip.web.trainings.urls_imports")),
    path("nap/", include("ctip.web.nap.urls_outline")),
    path("nap/", include("ctip.web.nap.urls_budget")),
    path("nap/", include("ctip.web.nap.urls_import")),
    path("nap/", include("ctip.web.nap.urls_coordination")),
    path("nap/", include("ctip.web.nap.urls_documents")),
    path("reviews/", include("ctip.web.reviews.urls")),
]

urlpatterns = [
    path("", shell_views.home, name="home"),
    path("healthz", account_views.health, name="health"),
    path(
        "invitations/<str:token>/",
        review_invitation_views.invitation_accept,
        name="review-invitation-accept",
    ),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/tokens/", account_views.api_tokens, name="api-tokens"),
    path("accounts/tokens/<uuid:token>/revoke/", account_views.api_token_revoke, name="api-token-revoke"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=AuditedPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=AuditedSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("workspaces/new/", account_views.workspace_create, name="workspace-create"),
    path("w/<slug:workspace>/", include(workspace_urls)),
    path("f/<str:token>/", include("ctip.web.tna.respond_urls")),
    path("t/<str:token>/", include("ctip.web.trainings.take_urls")),
    path("api/v1/", api.urls),
]
