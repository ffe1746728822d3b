"""Users, workspaces (one per country programme), memberships with roles, API tokens and the audit log.

Models hold fields and constraints only; every change goes through ``services.py``.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.access import Role


class User(AbstractUser):
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def display_name(self) -> str:
        return self.get_full_name() or self.username


MONTH_CHOICES = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]

ROLE_LABELS = {
    Role.ADMIN: _("Administrator"),
    Role.COORDINATOR: _("Coordinator"),
    Role.ANALYST: _("Analyst"),
    Role.TRAINER: _("Trainer"),
    Role.REVIEWER: _("Reviewer (Technical Committee)"),
    Role.VIEWER: _("Viewer"),
}
ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class Workspace(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("web address name"), max_length=50, unique=True)
    name = models.CharField(_("programme name"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    languages = models.JSONField(_("working languages"), default=list)
    currency = models.CharField(_("currency"), max_length=3)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in"), choices=MONTH_CHOICES, default=1
    )
    plan_start_year = models.PositiveSmallIntegerField(_("plan period: first year"))
    plan_end_year = models.PositiveSmallIntegerField(_("plan period: last year"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="workspace_fiscal_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(plan_end_year__gte=models.F("plan_start_year")),
                name="workspace_plan_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("workspace")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["workspace", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_one_per_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=[role.value for role in Role]), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role}) in {self.workspace.slug}"


class AuditEntry(models.Model):
    """One state change: who, when, where, what, and each field's value before and after."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="audit_entries", null=True, blank=True
    )
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["workspace", "-at"], name="audit_workspace_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; the secret is shown once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(models.Model):
    """A failed sign-in, kept for throttling (see ``throttling.py``)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} from {self.address or 'unknown address'}"


class WorkspaceOwned(models.Model):
    """Fields every workspace-owned record has: a public UUID, the owning workspace, timestamps and a
    version number for optimistic locking (two people editing the same record get a conflict, not a
    silent overwrite)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
