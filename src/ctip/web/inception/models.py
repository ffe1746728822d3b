"""Inception settings: the TNA sampling plan's parameters, the programme timeline, the report template."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.web.accounts.models import User, Workspace


class SamplingSettings(models.Model):
    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="sampling_settings")
    confidence = models.DecimalField(_("confidence level"), max_digits=4, decimal_places=3, default=0.95)
    margin = models.DecimalField(_("margin of error"), max_digits=4, decimal_places=3, default=0.05)
    minimum_per_organisation = models.PositiveSmallIntegerField(
        _("minimum respondents per organisation"), default=3
    )
    interviews_per_organisation = models.PositiveSmallIntegerField(
        _("key-informant interviews per organisation"), default=1
    )
    focus_groups = models.PositiveSmallIntegerField(_("focus groups"), default=4)
    focus_group_size = models.PositiveSmallIntegerField(_("participants per focus group"), default=8)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("sampling settings")
        verbose_name_plural = _("sampling settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence__gt=0, confidence__lt=1), name="sampling_confidence_range"
            ),
            models.CheckConstraint(
                condition=models.Q(margin__gt=0, margin__lt=1), name="sampling_margin_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workspace}: {self.confidence} ± {self.margin}"


class PhaseDates(models.Model):
    """When each phase of the programme runs (for the timeline in the inception report)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="phase_dates")
    phase = models.SlugField(_("phase"), max_length=30)
    label = models.CharField(_("label"), max_length=150)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["start", "phase"]
        verbose_name = _("phase dates")
        verbose_name_plural = _("phase dates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="phase_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.start}–{self.end}"


class ReportTemplate(models.Model):
    """A workspace's own Word template (letterhead, styles) for a kind of report."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="report_templates")
    kind = models.CharField(_("report"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("template"))
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "kind"], name="report_template_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"
