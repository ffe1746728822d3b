"""Legal desk review (national instruments assessed against the Palermo checklist) and the literature
library (references and the key findings later plans cite)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.web.accounts.models import WorkspaceOwned

REFERENCE_KINDS = [
    ("law", _("Law")),
    ("policy", _("Policy")),
    ("report", _("Report")),
    ("research", _("Research")),
    ("assessment", _("Assessment")),
    ("sop_nrm", _("SOP / referral mechanism")),
    ("training_material", _("Training material")),
]

INSTRUMENT_KINDS = [
    ("act", _("Act")),
    ("amendment", _("Amendment")),
    ("regulation", _("Regulation")),
    ("policy", _("Policy")),
    ("other", _("Other")),
]

STATUS_CHOICES = [
    ("met", _("Met")),
    ("partly_met", _("Partly met")),
    ("not_met", _("Not met")),
    ("not_assessed", _("Not assessed")),
]


class Reference(WorkspaceOwned):
    title = models.CharField(_("title"), max_length=400)
    authors = models.CharField(_("authors or publisher"), max_length=400, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=REFERENCE_KINDS)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return f"{self.authors} ({self.year}) {self.title}" if self.year else self.title


class KeyFinding(models.Model):
    """A short statement with its source, for plans and the NAP to cite."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="findings")
    statement = models.TextField(_("finding"))
    location = models.CharField(_("page or section"), max_length=100, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)

    class Meta:
        ordering = ["reference", "id"]
        verbose_name = _("key finding")
        verbose_name_plural = _("key findings")

    def __str__(self) -> str:
        return self.statement[:80]


class LegalInstrument(WorkspaceOwned):
    """A national law or amendment reviewed against the checklist (e.g. the 2009 Act, the 2023 amendment)."""

    title = models.CharField(_("title"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=INSTRUMENT_KINDS, default="act")
    notes = models.TextField(_("notes"), blank=True)
    reference = models.ForeignKey(
        Reference,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("library entry"),
    )

    class Meta:
        ordering = ["year", "title"]
        verbose_name = _("legal instrument")
        verbose_name_plural = _("legal instruments")

    def __str__(self) -> str:
        return self.short_name or self.title


class ChecklistAssessment(models.Model):
    """One checklist item assessed for one instrument."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.ForeignKey(LegalInstrument, on_delete=models.CASCADE, related_name="assessments")
    item_code = models.CharField(_("checklist item"), max_length=10)
    status = models.CharField(_("status"), max_length=15, choices=STATUS_CHOICES, default="not_assessed")
    provision = models.CharField(_("national provision"), max_length=300, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    note = models.TextField(_("note"), blank=True)
    references = models.ManyToManyField(
        Reference, blank=True, related_name="+", verbose_name=_("library documents")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["instrument", "item_code"]
        verbose_name = _("checklist assessment")
        verbose_name_plural = _("checklist assessments")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "item_code"], name="checklist_assessment_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=["met", "partly_met", "not_met", "not_assessed"]),
                name="checklist_assessment_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}: {self.item_code} {self.status}"
