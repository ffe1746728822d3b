"""Models of the National Action Plan (issue 8): the plan, its elements in one tree (pillar → strategic
objective → strategic priority → outcome → output → activity), the cost lines of activities, the indicators
of outcomes and outputs, the coordination bodies and the editable lead/support matrix.

One table holds every element of the tree so that the outline page reads the whole plan in a few queries
and moves elements without touching other tables. Fields and constraints only; every change goes through
``services/``; the rules are in ``ctip.core.nap``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.core.nap.model import FUNDING_SOURCE_LABELS, GENDER_MARKER_LABELS, FundingSource
from ctip.web.accounts.models import WorkspaceOwned
from ctip.web.stakeholders.models import Organisation

LEVELS = ("pillar", "objective", "priority", "outcome", "output", "activity")
LEVEL_CHOICES = [
    ("pillar", _("Pillar")),
    ("objective", _("Strategic objective")),
    ("priority", _("Strategic priority")),
    ("outcome", _("Outcome")),
    ("output", _("Output")),
    ("activity", _("Activity")),
]
FUNDING_CHOICES = [(source.value, _(label)) for source, label in FUNDING_SOURCE_LABELS.items()]
MARKER_CHOICES = [(int(marker), _(label)) for marker, label in GENDER_MARKER_LABELS.items()]
BODY_KIND_CHOICES = [
    ("interministerial", _("Inter-ministerial committee")),
    ("technical", _("Technical committee")),
    ("working_group", _("Working group")),
    ("rapporteur", _("National rapporteur")),
    ("secretariat", _("Secretariat")),
    ("other", _("Other body")),
]
ROLE_CHOICES = [("lead", _("Lead")), ("support", _("Support")), ("none", _("Not involved"))]
STATUS_CHOICES = [("draft", _("Draft")), ("validated", _("Validated")), ("adopted", _("Adopted"))]


class ActionPlan(WorkspaceOwned):
    """A National Action Plan of the workspace (usually one; an earlier draft may sit beside it)."""

    title = models.CharField(_("title"), max_length=250)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    vision = models.TextField(_("vision"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    principles = models.JSONField(_("guiding principles"), default=list, blank=True)
    """Plain strings, in the order shown."""
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default="draft")
    capacity_per_quarter = models.PositiveSmallIntegerField(
        _("activities an agency can lead per quarter"), default=5, validators=[MinValueValidator(1)]
    )
    unfunded_threshold = models.DecimalField(
        _("unfunded share that raises a flag"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    source_file = models.CharField(_("imported from"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("national action plan")
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="nap_plan_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start}–{self.period_end})"


class NapElement(WorkspaceOwned):
    """One element of the plan's tree; the activity fields are blank at the other levels."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="elements")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("level"), max_length=20, choices=LEVEL_CHOICES)
    code = models.CharField(_("code"), max_length=40)
    title = models.TextField(_("title"))
    """The name of a pillar, objective, priority, outcome or output; the description of an activity."""
    position = models.PositiveIntegerField(_("position"), default=0)
    # Activities only
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nap_lead_activities",
        verbose_name=_("lead agency"),
    )
    lead_name = models.CharField(_("lead agency (as written)"), max_length=250, blank=True)
    """Kept when the agency is not in the registry (an imported draft)."""
    supporting = models.JSONField(_("supporting agencies"), default=list, blank=True)
    """``[{"organisation": "<uuid>" | "", "name": "…"}]``."""
    timeline = models.JSONField(_("timeline"), default=list, blank=True)
    """``[[year, quarter], …]`` in order."""
    location = models.CharField(_("location"), max_length=200, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    gender_marker = models.PositiveSmallIntegerField(_("gender marker"), choices=MARKER_CHOICES, default=0)
    child_sensitive = models.BooleanField(_("child-sensitive"), default=False)
    assumptions = models.TextField(_("assumptions"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    depends_on = models.JSONField(_("depends on"), default=list, blank=True)
    """Codes of activities that must start first."""
    # Any element
    citations = models.JSONField(_("findings cited"), default=list, blank=True)
    """Finding ids: ``legal:<item code>``, ``tna:<competency code>``, ``library:<reference uuid>``."""

    class Meta:
        verbose_name = _("plan element")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="nap_element_code_unique")]
        indexes = [models.Index(fields=["plan", "parent", "position"], name="nap_element_tree")]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"


class NapCostLine(WorkspaceOwned):
    """A cost line of an activity: unit cost × quantity × frequency, in a currency, with its funding
    source, gender marker and beneficiaries by sex and age."""

    activity = models.ForeignKey(NapElement, on_delete=models.CASCADE, related_name="cost_lines")
    code = models.CharField(_("code"), max_length=40)
    description = models.CharField(_("description"), max_length=500)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=18, decimal_places=2)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, default=Decimal(1))
    frequency = models.DecimalField(_("frequency"), max_digits=10, decimal_places=3, default=Decimal(1))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FUNDING_CHOICES, default=FundingSource.UNFUNDED.value
    )
    funder = models.CharField(_("funder"), max_length=250, blank=True)
    gender_marker = models.PositiveSmallIntegerField(_("gender marker"), choices=MARKER_CHOICES, default=0)
    marker_justification = models.TextField(_("why this marker"), blank=True)
    beneficiaries_women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    beneficiaries_men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    beneficiaries_girls = models.PositiveIntegerField(_("girls"), null=True, blank=True)
    beneficiaries_boys = models.PositiveIntegerField(_("boys"), null=True, blank=True)
    targets_women_or_girls = models.BooleanField(_("targets women or girls"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cost line")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "code"], name="nap_cost_line_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"


class NapIndicator(WorkspaceOwned):
    """An indicator of an outcome or an output (the metadata of DOMAIN.md §2, checked by the SMART
    checker of ``ctip.core.indicators``)."""

    element = models.ForeignKey(NapElement, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    name = models.TextField(_("name"))
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.CharField(_("baseline"), max_length=250, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    targets = models.JSONField(_("targets"), default=list, blank=True)
    """``[{"year": 2026, "value": "…", "sex": "" | "female" | "male"}]``."""
    source = models.CharField(_("source of data"), max_length=250, blank=True)
    responsible_agency = models.CharField(_("responsible agency"), max_length=250, blank=True)
    frequency = models.CharField(_("frequency"), max_length=50, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("NAP indicator")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["element", "code"], name="nap_indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"


class CoordinationBody(WorkspaceOwned):
    """A body of the coordination arrangement, with its chair, members, meetings and reporting line."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=BODY_KIND_CHOICES, default="other")
    chair = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nap_chaired_bodies",
        verbose_name=_("chair"),
    )
    chair_name = models.CharField(_("chair (as written)"), max_length=250, blank=True)
    members = models.ManyToManyField(
        Organisation, blank=True, related_name="nap_bodies", verbose_name=_("members")
    )
    meeting_frequency = models.CharField(_("meets"), max_length=100, blank=True)
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporting_bodies",
        verbose_name=_("reports to"),
    )
    pillar = models.ForeignKey(
        NapElement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("pillar"),
    )
    mandate = models.TextField(_("mandate"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("coordination body")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class LeadSupportOverride(WorkspaceOwned):
    """A change to the lead/support matrix derived from the activities: this agency's role for this
    output, as the coordinator set it."""

    output = models.ForeignKey(NapElement, on_delete=models.CASCADE, related_name="role_overrides")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="nap_roles")
    role = models.CharField(_("role"), max_length=10, choices=ROLE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["output", "organisation"], name="nap_role_override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.role} {self.output_id}"
