"""Models of the M&E framework: the workspace's tier names, the results (goal → outcomes → outputs →
activities), their indicators with the metadata of DOMAIN.md §2, and the values of each indicator
(targets and actuals, keyed by period × sex × location).

Fields and constraints only; every change goes through ``services/``; the rules are in
``ctip.core.monitoring``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.core.monitoring.model import (
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    RULE_LABELS,
    UNIT_LABELS,
    CumulativeRule,
    Direction,
    ValueKind,
)
from ctip.core.stakeholders import PILLAR_LABELS
from ctip.web.accounts.models import WorkspaceOwned

CODE_MAX_LENGTH = 20
PILLAR_CHOICES = [(pillar.value, _(label)) for pillar, label in PILLAR_LABELS.items()]
UNIT_CHOICES = [(unit.value, _(label)) for unit, label in UNIT_LABELS.items()]
DIRECTION_CHOICES = [(direction.value, _(label)) for direction, label in DIRECTION_LABELS.items()]
RULE_CHOICES = [(rule.value, _(label)) for rule, label in RULE_LABELS.items()]
FREQUENCY_CHOICES = [(frequency.value, _(label)) for frequency, label in FREQUENCY_LABELS.items()]
KIND_CHOICES = [(ValueKind.TARGET.value, _("Target")), (ValueKind.ACTUAL.value, _("Actual"))]
SEX_CHOICES = [("", _("All")), ("female", _("Women")), ("male", _("Men"))]


class Logframe(WorkspaceOwned):
    """The workspace's logframe settings: the names of its tiers, top first."""

    tiers = models.JSONField(_("tier names"), default=list, blank=True)
    """``[{"en": "Goal", "fr": "Objectif global"}, ...]``; empty: the default four tiers."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace"], name="monitoring_logframe_unique")]


class ResultNode(WorkspaceOwned):
    """One result of the logframe at one tier (1 = the top), under its parent (one tier up)."""

    tier = models.PositiveSmallIntegerField(_("tier"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH)
    statement_en = models.TextField(_("statement (English)"))
    statement_fr = models.TextField(_("statement (French)"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=20, choices=PILLAR_CHOICES, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("result")
        ordering = ["tier", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "code"], name="monitoring_node_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement_en[:60]}"

    def statement(self, language: str) -> str:
        return (self.statement_fr or self.statement_en) if language.startswith("fr") else self.statement_en


class Indicator(WorkspaceOwned):
    """An indicator of a result, with its metadata (DOMAIN.md §2)."""

    node = models.ForeignKey(
        ResultNode, on_delete=models.RESTRICT, related_name="indicators", verbose_name=_("result")
    )
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH)
    name_en = models.TextField(_("name (English)"))
    name_fr = models.TextField(_("name (French)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    definition_fr = models.TextField(_("definition (French)"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=UNIT_CHOICES)
    direction = models.CharField(
        _("direction of change"), max_length=20, choices=DIRECTION_CHOICES, default=Direction.INCREASE.value
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_not_applicable = models.BooleanField(_("no baseline (not applicable)"), default=False)
    baseline_note = models.CharField(_("baseline note"), max_length=500, blank=True)
    baseline_detail = models.JSONField(_("baseline detail"), default=dict, blank=True)
    """For a baseline drawn from the TNA: ``{"source": "tna", "instrument", "competency", "threshold",
    "filters", "n", "count", "by_sex": {sex: {"value", "n", "suppressed"}}}``."""
    lop_target = models.DecimalField(
        _("life-of-plan target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    cumulative_rule = models.CharField(
        _("cumulative rule"), max_length=30, choices=RULE_CHOICES, default=CumulativeRule.NON_CUMULATIVE.value
    )
    disaggregation = models.JSONField(_("disaggregation"), default=list, blank=True)
    """Codes of ``ctip.core.monitoring.Disaggregation``."""
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    collection_method = models.TextField(_("data collection method"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=FREQUENCY_CHOICES, blank=True)
    responsible_agency = models.CharField(_("responsible agency"), max_length=250, blank=True)
    data_source = models.CharField(_("data source"), max_length=250, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "code"], name="monitoring_indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en[:60]}"

    def name(self, language: str) -> str:
        return (self.name_fr or self.name_en) if language.startswith("fr") else self.name_en

    def definition(self, language: str) -> str:
        return (self.definition_fr or self.definition_en) if language.startswith("fr") else self.definition_en


class IndicatorValue(WorkspaceOwned):
    """A target or an actual of an indicator for one period, sex and location (``""``: all)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES)
    period = models.CharField(_("period"), max_length=7)
    """``2026`` or ``2026-Q2`` (``str(ctip.core.monitoring.Period)``)."""
    sex = models.CharField(_("sex"), max_length=10, choices=SEX_CHOICES, blank=True, default="")
    location = models.CharField(_("location"), max_length=100, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=250, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("indicator value")
        ordering = ["period", "kind", "sex", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "kind", "period", "sex", "location"], name="monitoring_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.sex or 'all'} {self.location or 'all'}: {self.value}"
