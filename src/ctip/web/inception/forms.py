"""Forms of the inception settings pages. They parse input only; the rules are checked by the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.web.inception.models import SamplingSettings

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CONFIDENCE_CHOICES = [("0.900", "90%"), ("0.950", "95%"), ("0.990", "99%")]


class SamplingSettingsForm(forms.Form):
    """Percentages on the page, fractions in the service (95% → 0.95)."""

    confidence = forms.TypedChoiceField(
        label=_("Confidence level"),
        choices=CONFIDENCE_CHOICES,
        coerce=Decimal,
        help_text=_("How sure you want to be that the survey's results hold for all staff. 95% is usual."),
    )
    margin = forms.DecimalField(
        label=_("Margin of error (percentage points)"),
        min_value=Decimal("0.5"),
        max_value=Decimal("30"),
        decimal_places=1,
        help_text=_(
            "How close to the true share the results should be: ±5 is usual; ±3 needs many more people."
        ),
    )
    minimum_per_organisation = forms.IntegerField(
        label=_("Minimum respondents per organisation"),
        min_value=0,
        max_value=1000,
        help_text=_("So that every organisation is heard, even a small one."),
    )
    interviews_per_organisation = forms.IntegerField(
        label=_("Key-informant interviews per organisation"), min_value=0, max_value=1000
    )
    focus_groups = forms.IntegerField(label=_("Focus-group discussions"), min_value=0, max_value=1000)
    focus_group_size = forms.IntegerField(
        label=_("Participants per focus group"), min_value=0, max_value=1000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = str(self.initial.get("confidence", ""))
        if current and current not in dict(CONFIDENCE_CHOICES):
            # A level set through the API stays selectable.
            label = f"{Decimal(current) * 100:g}%"
            self.fields["confidence"].choices = [*CONFIDENCE_CHOICES, (current, label)]

    def clean_margin(self) -> Decimal:
        return self.cleaned_data["margin"] / 100

    @classmethod
    def initial_for(cls, parameters: SamplingSettings) -> dict[str, Any]:
        return {
            "confidence": f"{Decimal(str(parameters.confidence)):.3f}",
            "margin": (Decimal(str(parameters.margin)) * 100).quantize(Decimal("0.1")),
            "minimum_per_organisation": parameters.minimum_per_organisation,
            "interviews_per_organisation": parameters.interviews_per_organisation,
            "focus_groups": parameters.focus_groups,
            "focus_group_size": parameters.focus_group_size,
            "version": parameters.version,
        }


class PhaseDatesForm(forms.Form):
    """One row of the timeline table. Its inputs sit in the table's cells and point at the row's ``<form>``
    element through the HTML ``form`` attribute (``form_id``)."""

    phase = forms.SlugField(widget=forms.HiddenInput)
    label = forms.CharField(label=_("Phase"), max_length=150, required=False)
    start = forms.DateField(
        label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, form_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if form_id:
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id


class ReportTemplateForm(forms.Form):
    template = forms.FileField(
        label=_("Word template (.docx)"),
        help_text=_(
            "Your letterhead and styles, with the fields listed above. It replaces the template in use."
        ),
    )
