"""The qualitative side of the training needs assessment: key-informant interviews and focus-group
discussions (notes and transcripts, never participants' names), the codebook of themes, and the excerpts
coded to those themes (some of them anonymised quotes for the report)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.web.accounts.models import WorkspaceOwned
from ctip.web.stakeholders.models import Organisation

RECORD_KINDS = [
    ("interview", _("Key-informant interview")),
    ("focus_group", _("Focus-group discussion")),
]


class QualitativeRecord(WorkspaceOwned):
    """One interview or focus-group discussion: one *source* for the theme counts."""

    kind = models.CharField(_("type"), max_length=20, choices=RECORD_KINDS)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=250)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="qualitative_records", verbose_name=_("organisations")
    )
    participants_women = models.PositiveIntegerField(_("participants: women"), default=0)
    participants_men = models.PositiveIntegerField(_("participants: men"), default=0)
    participants_other = models.PositiveIntegerField(_("participants: other or not stated"), default=0)
    facilitator = models.CharField(_("facilitator"), max_length=150, blank=True)
    location = models.CharField(_("location"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    transcript_name = models.CharField(_("transcript file"), max_length=255, blank=True)
    transcript_text = models.TextField(_("transcript"), blank=True)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("interview or focus group")
        verbose_name_plural = _("interviews and focus groups")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    @property
    def participants_total(self) -> int:
        return self.participants_women + self.participants_men + self.participants_other


class Theme(WorkspaceOwned):
    """A codebook entry. ``competency_codes`` are codes of the TNA competency framework (e.g. "ID01"), so
    the report can show the theme beside the competencies it bears on."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=20, blank=True)
    competency_codes = models.JSONField(_("competencies"), default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent theme"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [models.UniqueConstraint(fields=["workspace", "code"], name="theme_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CodedExcerpt(models.Model):
    """A passage of a record's notes or transcript coded to a theme. ``is_quote`` puts it in the quote
    bank; it is only set once the text passed the anonymisation check (``anonymised``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(
        QualitativeRecord, on_delete=models.CASCADE, related_name="excerpts", verbose_name=_("source")
    )
    # RESTRICT: a theme with excerpts cannot be deleted (the service says so first), but deleting a whole
    # workspace, which deletes the excerpts with their records, still works.
    theme = models.ForeignKey(
        Theme, on_delete=models.RESTRICT, related_name="excerpts", verbose_name=_("theme")
    )
    text = models.TextField(_("excerpt"))
    is_quote = models.BooleanField(_("in the quote bank"), default=False)
    anonymised = models.BooleanField(_("passed the anonymisation check"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("coded excerpt")
        verbose_name_plural = _("coded excerpts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_quote=False) | models.Q(anonymised=True),
                name="coded_excerpt_quote_anonymised",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]
