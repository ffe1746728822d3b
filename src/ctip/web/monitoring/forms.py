"""Forms of the M&E pages. They parse input; the rules are checked by the services (and the core), whose
problems ``apply_domain_error`` puts on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.monitoring.model import MAX_TIERS, Disaggregation
from ctip.web.monitoring.models import (
    DIRECTION_CHOICES,
    FREQUENCY_CHOICES,
    KIND_CHOICES,
    PILLAR_CHOICES,
    RULE_CHOICES,
    SEX_CHOICES,
    UNIT_CHOICES,
    Indicator,
    ResultNode,
)
from ctip.web.monitoring.services.framework import INDICATOR_FIELDS

DISAGGREGATION_CHOICES = [
    (Disaggregation.SEX.value, _("Sex")),
    (Disaggregation.AGE_BAND.value, _("Age band")),
    (Disaggregation.LOCATION.value, _("Location")),
    (Disaggregation.INSTITUTION.value, _("Institution")),
]
GROUP_ATTRIBUTES = [
    ("", _("Everyone who answered")),
    ("organisation_type", _("Organisation type")),
    ("organisation", _("Organisation")),
    ("role", _("Role or rank")),
    ("location", _("Location")),
    ("level", _("Level (national, regional, local)")),
    ("prior_training", _("Earlier training (yes/no)")),
]


class TiersForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_TIERS + 1):
            self.fields[f"tier_{number}_en"] = forms.CharField(
                label=_("Tier %(number)s (English)") % {"number": number}, max_length=60, required=False
            )
            self.fields[f"tier_{number}_fr"] = forms.CharField(
                label=_("Tier %(number)s (French)") % {"number": number}, max_length=60, required=False
            )

    @staticmethod
    def initial_for(tiers: list[dict[str, str]]) -> dict[str, str]:
        initial: dict[str, str] = {}
        for number, tier in enumerate(tiers, start=1):
            initial[f"tier_{number}_en"] = tier["en"]
            initial[f"tier_{number}_fr"] = tier["fr"]
        return initial

    def tiers(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"tier_{n}_en"], self.cleaned_data[f"tier_{n}_fr"])
            for n in range(1, MAX_TIERS + 1)
        ]


class ResultNodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example “1”, “1.2” or “OUT1.2”."))
    statement_en = forms.CharField(label=_("Result (English)"), widget=forms.Textarea(attrs={"rows": 2}))
    statement_fr = forms.CharField(
        label=_("Result (French)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pillar = forms.ChoiceField(label=_("Pillar"), required=False, choices=[("", "—"), *PILLAR_CHOICES])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(node: ResultNode) -> dict[str, Any]:
        return {
            "code": node.code,
            "statement_en": node.statement_en,
            "statement_fr": node.statement_fr,
            "pillar": node.pillar,
            "version": node.version,
        }

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example “OUT1.2a”."))
    name_en = forms.CharField(label=_("Indicator (English)"), widget=forms.Textarea(attrs={"rows": 2}))
    name_fr = forms.CharField(
        label=_("Indicator (French)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    definition_en = forms.CharField(
        label=_("Definition (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is counted, for whom, and how (numerator and denominator for a percentage)."),
    )
    definition_fr = forms.CharField(
        label=_("Definition (French)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=UNIT_CHOICES, help_text=_("A number or a percentage, never both.")
    )
    direction = forms.ChoiceField(label=_("Direction of change"), choices=DIRECTION_CHOICES)
    cumulative_rule = forms.ChoiceField(label=_("Cumulative rule"), choices=RULE_CHOICES)
    baseline_value = forms.DecimalField(label=_("Baseline"), required=False, max_digits=16, decimal_places=4)
    baseline_date = forms.DateField(
        label=_("Baseline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    baseline_not_applicable = forms.BooleanField(
        label=_("No baseline (not applicable)"), required=False, help_text=_("For example a new service.")
    )
    lop_target = forms.DecimalField(
        label=_("Life-of-plan target"),
        required=False,
        max_digits=16,
        decimal_places=4,
        help_text=_("Empty: the sum of the yearly targets (numbers that add up) or the last year's target."),
    )
    disaggregation = forms.MultipleChoiceField(
        label=_("Disaggregation"),
        required=False,
        choices=DISAGGREGATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    means_of_verification = forms.CharField(
        label=_("Means of verification"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    collection_method = forms.CharField(
        label=_("Data collection method"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    frequency = forms.ChoiceField(
        label=_("Frequency"), required=False, choices=[("", "—"), *FREQUENCY_CHOICES]
    )
    responsible_agency = forms.CharField(label=_("Responsible agency"), required=False, max_length=250)
    data_source = forms.CharField(label=_("Data source"), required=False, max_length=250)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, Any]:
        names = [
            name
            for name in INDICATOR_FIELDS
            if name not in ("node", "position", "baseline_note", "baseline_detail")
        ]
        return {**{name: getattr(indicator, name) for name in names}, "version": indicator.version}

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ValueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, initial="actual")
    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("A year (2026) or a quarter (2026-Q2).")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    location = forms.CharField(
        label=_("Location"), max_length=100, required=False, help_text=_("Empty: all locations.")
    )
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    source = forms.CharField(
        label=_("Source"),
        max_length=250,
        required=False,
        help_text=_("Required for actuals: the report, register or database."),
    )
    note = forms.CharField(label=_("Note"), max_length=250, required=False)


class BaselineForm(forms.Form):
    competency = forms.ChoiceField(label=_("Competency"))
    threshold = forms.IntegerField(
        label=_("Competence rating at least"), min_value=1, max_value=100, initial=4
    )
    attribute = forms.ChoiceField(label=_("Group of respondents"), required=False, choices=GROUP_ATTRIBUTES)
    group_values = forms.CharField(
        label=_("Values of the group"),
        required=False,
        max_length=500,
        help_text=_(
            "Separated by “;”, as listed below (for example “Law enforcement; Immigration service”)."
        ),
    )
    baseline_date = forms.DateField(
        label=_("Baseline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, competencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = competencies

    def filters(self) -> dict[str, set[str]]:
        attribute = self.cleaned_data.get("attribute") or ""
        wanted = {
            part.strip() for part in (self.cleaned_data.get("group_values") or "").split(";") if part.strip()
        }
        return {attribute: wanted} if attribute and wanted else {}


class PlanTargetsForm(forms.Form):
    modules = forms.CharField(
        label=_("Modules (codes, separated by “;”)"),
        required=False,
        max_length=500,
        help_text=_("Empty: every session of the adopted plan."),
    )

    def module_codes(self) -> list[str]:
        return [part.strip() for part in (self.cleaned_data.get("modules") or "").split(";") if part.strip()]


class FileUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
