"""The stakeholder registry: organisations, their focal points, trainings they already received, and the
relations between them (who refers cases to whom, who coordinates with or funds whom)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.web.accounts.models import Workspace, WorkspaceOwned

SEX_CHOICES = [
    ("female", _("Female")),
    ("male", _("Male")),
    ("other", _("Other")),
    ("undisclosed", _("Prefers not to say")),
]


class OrganisationType(models.Model):
    """The workspace's editable list of organisation types (seeded from the HTCDS-based default list)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="organisation_types")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("organisation type")
        verbose_name_plural = _("organisation types")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "code"], name="organisation_type_code_unique")
        ]

    def __str__(self) -> str:
        return str(self.label)


class Organisation(WorkspaceOwned):
    key = models.CharField(
        _("key"), max_length=60, help_text=_("The identifier used by imports: an id or the acronym.")
    )
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=40)
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    pillars = models.JSONField(_("pillars"), default=list, blank=True)
    chain_stages = models.JSONField(_("response-chain roles"), default=list, blank=True)
    mandate = models.TextField(_("mandate"), blank=True)
    staff_women = models.PositiveIntegerField(_("staff: women"), null=True, blank=True)
    staff_men = models.PositiveIntegerField(_("staff: men"), null=True, blank=True)
    staff_total = models.PositiveIntegerField(_("staff: total"), null=True, blank=True)
    frontline_women = models.PositiveIntegerField(_("frontline staff: women"), null=True, blank=True)
    frontline_men = models.PositiveIntegerField(_("frontline staff: men"), null=True, blank=True)
    staff_as_of = models.DateField(_("staff figures as of"), null=True, blank=True)
    influence = models.PositiveSmallIntegerField(_("influence (1–5)"), null=True, blank=True)
    interest = models.PositiveSmallIntegerField(_("interest (1–5)"), null=True, blank=True)
    figures_fictional = models.BooleanField(_("figures are fictional (demo)"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="organisation_key_unique"),
            models.CheckConstraint(
                condition=models.Q(influence__isnull=True) | models.Q(influence__gte=1, influence__lte=5),
                name="organisation_influence_range",
            ),
            models.CheckConstraint(
                condition=models.Q(interest__isnull=True) | models.Q(interest__gte=1, interest__lte=5),
                name="organisation_interest_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class FocalPoint(models.Model):
    """A contact person: the minimum personal data, visible only inside the workspace."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="focal_points")
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title or function"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=SEX_CHOICES, blank=True)
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")

    def __str__(self) -> str:
        return self.name


class PriorTraining(models.Model):
    """A counter-trafficking training the organisation's staff already received (the TNA accounts for it)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="prior_trainings")
    year = models.PositiveSmallIntegerField(_("year"))
    topic = models.CharField(_("topic"), max_length=250)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    participants_women = models.PositiveIntegerField(_("participants: women"), default=0)
    participants_men = models.PositiveIntegerField(_("participants: men"), default=0)

    class Meta:
        ordering = ["-year", "topic"]
        verbose_name = _("prior training")
        verbose_name_plural = _("prior trainings")

    def __str__(self) -> str:
        return f"{self.year}: {self.topic}"


RELATION_CHOICES = [
    ("refers_cases_to", _("refers cases to")),
    ("coordinates_with", _("coordinates with")),
    ("funds", _("funds")),
]


class OrganisationRelation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=20, choices=RELATION_CHOICES)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="organisation_relation_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="organisation_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.target}"
