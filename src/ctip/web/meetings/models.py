"""Meetings of every kind (inception meeting, validation workshops, Technical Committee workshops, training
debriefs): agenda, attendance, minutes, decisions and action points."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.web.accounts.models import WorkspaceOwned
from ctip.web.stakeholders.models import SEX_CHOICES, Organisation

MEETING_KINDS = [
    ("inception_meeting", _("Inception meeting")),
    ("validation_workshop", _("Validation workshop")),
    ("technical_committee_workshop", _("Technical Committee workshop")),
    ("validation_meeting", _("Validation meeting")),
    ("training_debrief", _("Training debrief")),
    ("other", _("Other meeting")),
]

ACTION_STATUS = [("open", _("Open")), ("in_progress", _("In progress")), ("done", _("Done"))]


class Meeting(WorkspaceOwned):
    kind = models.CharField(_("type"), max_length=40, choices=MEETING_KINDS)
    title = models.CharField(_("title"), max_length=250)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("date")),
                name="meeting_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class Attendee(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation (not in the registry)"), max_length=250, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=SEX_CHOICES, blank=True)
    function = models.CharField(_("function"), max_length=150, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class ActionPoint(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_points")
    text = models.TextField(_("action"))
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ACTION_STATUS, default="open")

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self) -> str:
        return self.text[:80]
