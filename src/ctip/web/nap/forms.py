"""Forms of the plan pages: the plan itself, an element of the tree (with the activity fields), a cost line
and an indicator. Each form turns its cleaned data into the ``values`` dict the services take (model field
names); the services validate the rules and name the field of every problem."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ctip.core.nap.model import DEFAULT_PRINCIPLES
from ctip.web.nap.models import (
    FUNDING_CHOICES,
    MARKER_CHOICES,
    STATUS_CHOICES,
    ActionPlan,
    NapCostLine,
    NapElement,
    NapIndicator,
)
from ctip.web.stakeholders.models import Organisation

SEX_CHOICES = {"": "", "f": "female", "female": "female", "m": "male", "male": "male"}


def lines_of(text: str) -> list[str]:
    """The non-blank lines of a text box, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def codes_of(text: str) -> list[str]:
    """Codes separated by commas, spaces or new lines (``A1.1, A1.2``)."""
    return [part for part in (text or "").replace(",", " ").split() if part]


class VersionedForm(forms.Form):
    """The version of the record as the form was shown: a stale form gets a conflict, not an overwrite."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=250)
    period_start = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    period_end = forms.IntegerField(label=_("Last year"), min_value=1990, max_value=2100)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        help_text=_("The ISO 4217 code of the currency the plan is costed in, e.g. MUR, USD, EUR."),
    )
    vision = forms.CharField(label=_("Vision"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.CharField(label=_("Overall goal"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    principles = forms.MultipleChoiceField(
        label=_("Guiding principles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, _(name)) for name in DEFAULT_PRINCIPLES],
    )
    other_principles = forms.CharField(
        label=_("Other guiding principles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, initial="draft", required=False)
    capacity_per_quarter = forms.IntegerField(
        label=_("Activities an agency can lead per quarter"),
        min_value=1,
        max_value=100,
        initial=5,
        required=False,
        help_text=_("The checks panel flags an agency leading more activities than this in one quarter."),
    )
    unfunded_threshold = forms.DecimalField(
        label=_("Unfunded share that raises a flag"),
        min_value=0,
        max_value=1,
        decimal_places=2,
        initial="0.30",
        required=False,
        help_text=_("Between 0 and 1: 0.30 flags a plan with more than 30 per cent of its cost unfunded."),
    )

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if not value.isalpha():
            raise forms.ValidationError(_("Write the currency as three letters, e.g. MUR."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end",
                _("The last year (%(end)s) is before the first year (%(start)s).")
                % {"end": end, "start": start},
            )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        chosen = [str(name) for name in data["principles"]]
        principles = [gettext(name) for name in chosen] + lines_of(data["other_principles"])
        return {
            "title": data["title"].strip(),
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "currency": data["currency"],
            "vision": data["vision"].strip(),
            "goal": data["goal"].strip(),
            "principles": principles,
            "status": data.get("status") or "draft",
            "capacity_per_quarter": data.get("capacity_per_quarter") or 5,
            "unfunded_threshold": data["unfunded_threshold"]
            if data.get("unfunded_threshold") is not None
            else Decimal("0.30"),
        }

    @staticmethod
    def initial_for(plan: ActionPlan) -> dict[str, Any]:
        preset = {gettext(name): name for name in DEFAULT_PRINCIPLES}
        kept = [preset[name] for name in plan.principles if name in preset]
        return {
            "title": plan.title,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "currency": plan.currency,
            "vision": plan.vision,
            "goal": plan.goal,
            "principles": kept,
            "other_principles": "\n".join(name for name in plan.principles if name not in preset),
            "status": plan.status,
            "capacity_per_quarter": plan.capacity_per_quarter,
            "unfunded_threshold": plan.unfunded_threshold,
            "version": plan.version,
        }


class TitleForm(VersionedForm):
    """The inline edit of an element's title on the outline page."""

    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 2}))


class ElementForm(VersionedForm):
    """Any element; the activity fields are added when the element is an activity."""

    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 2}))
    citations = forms.CharField(
        label=_("Findings cited"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: legal:<checklist item>, tna:<competency code> or library:<reference id>."),
    )

    def __init__(self, *args: Any, plan: ActionPlan, level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.level = level
        if level == "activity":
            self.fields["title"].label = _("Description")
            self._add_activity_fields(plan)

    def _add_activity_fields(self, plan: ActionPlan) -> None:
        registry = Organisation.objects.filter(workspace_id=plan.workspace_id).order_by("name")
        years = range(plan.period_start, plan.period_end + 1)
        self.fields.update(
            {
                "lead": forms.ModelChoiceField(
                    label=_("Lead agency (from the registry)"),
                    queryset=registry,
                    required=False,
                    to_field_name="uuid",
                ),
                "lead_name": forms.CharField(
                    label=_("Lead agency (if not in the registry)"), max_length=250, required=False
                ),
                "supporting": forms.ModelMultipleChoiceField(
                    label=_("Supporting agencies (from the registry)"),
                    queryset=registry,
                    required=False,
                    to_field_name="uuid",
                    widget=forms.CheckboxSelectMultiple,
                ),
                "supporting_names": forms.CharField(
                    label=_("Other supporting agencies"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("One per line, for agencies not in the registry."),
                ),
                "timeline": forms.MultipleChoiceField(
                    label=_("Timeline"),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    choices=[(f"{year}-Q{q}", f"{year} Q{q}") for year in years for q in range(1, 5)],
                ),
                "location": forms.CharField(label=_("Location"), max_length=200, required=False),
                "target_groups": forms.CharField(
                    label=_("Target groups"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("One per line, e.g. women survivors, labour inspectors."),
                ),
                "gender_marker": forms.TypedChoiceField(
                    label=_("Gender marker"), choices=MARKER_CHOICES, coerce=int, initial=0
                ),
                "child_sensitive": forms.BooleanField(label=_("Child-sensitive"), required=False),
                "assumptions": forms.CharField(
                    label=_("Assumptions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                ),
                "risks": forms.CharField(
                    label=_("Risks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                ),
                "depends_on": forms.CharField(
                    label=_("Depends on"),
                    required=False,
                    help_text=_("Codes of the activities that must start first, separated by commas."),
                ),
            }
        )
        self.years = list(years)

    def timeline_rows(self) -> list[dict[str, Any]]:
        """The timeline checkboxes as a years × quarters grid."""
        if "timeline" not in self.fields:
            return []
        boxes = {box.data["value"]: box for box in self["timeline"]}
        return [
            {"year": year, "quarters": [boxes[f"{year}-Q{q}"] for q in range(1, 5)]} for year in self.years
        ]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "code": data["code"].strip(),
            "title": data["title"].strip(),
            "citations": lines_of(data["citations"]),
        }
        if self.level != "activity":
            return values
        lead = data.get("lead")
        supporting = [{"organisation": str(org.uuid), "name": org.name} for org in data["supporting"]]
        supporting += [{"organisation": "", "name": name} for name in lines_of(data["supporting_names"])]
        timeline = sorted([int(part[:4]), int(part[-1])] for part in data["timeline"])
        values.update(
            {
                "lead": lead,
                "lead_name": data["lead_name"].strip() or (lead.name if lead else ""),
                "supporting": supporting,
                "timeline": timeline,
                "location": data["location"].strip(),
                "target_groups": lines_of(data["target_groups"]),
                "gender_marker": data["gender_marker"],
                "child_sensitive": data["child_sensitive"],
                "assumptions": data["assumptions"].strip(),
                "risks": data["risks"].strip(),
                "depends_on": codes_of(data["depends_on"]),
            }
        )
        return values

    @staticmethod
    def initial_for(element: NapElement) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "code": element.code,
            "title": element.title,
            "citations": "\n".join(element.citations or ()),
            "version": element.version,
        }
        if element.level == "activity":
            supporting = element.supporting or []
            lead_uuid = element.lead.uuid if element.lead_id and element.lead else None
            initial.update(
                {
                    "lead": lead_uuid,
                    "lead_name": "" if lead_uuid else element.lead_name,
                    "supporting": [item["organisation"] for item in supporting if item.get("organisation")],
                    "supporting_names": "\n".join(
                        item.get("name", "") for item in supporting if not item.get("organisation")
                    ),
                    "timeline": [f"{year}-Q{quarter}" for year, quarter in element.timeline or ()],
                    "location": element.location,
                    "target_groups": "\n".join(element.target_groups or ()),
                    "gender_marker": element.gender_marker,
                    "child_sensitive": element.child_sensitive,
                    "assumptions": element.assumptions,
                    "risks": element.risks,
                    "depends_on": ", ".join(element.depends_on or ()),
                }
            )
        return initial


COST_FIELDS = (
    "code",
    "description",
    "unit",
    "unit_cost",
    "quantity",
    "frequency",
    "year",
    "currency",
    "funding_source",
    "funder",
    "gender_marker",
    "marker_justification",
    "beneficiaries_women",
    "beneficiaries_men",
    "beneficiaries_girls",
    "beneficiaries_boys",
    "targets_women_or_girls",
)


class CostLineForm(VersionedForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    description = forms.CharField(label=_("Description"), max_length=500)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=100,
        required=False,
        help_text=_("What one unit is, e.g. participant-day."),
    )
    unit_cost = forms.DecimalField(
        label=_("Unit cost"), max_digits=18, decimal_places=2, min_value=Decimal(0)
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=14, decimal_places=3, min_value=Decimal(0), initial=Decimal(1)
    )
    frequency = forms.DecimalField(
        label=_("Frequency"),
        max_digits=10,
        decimal_places=3,
        min_value=Decimal(0),
        initial=Decimal(1),
        help_text=_("How many times the quantity recurs, e.g. 4 quarterly meetings."),
    )
    year = forms.IntegerField(label=_("Budget year"), required=False, min_value=1990, max_value=2100)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FUNDING_CHOICES)
    funder = forms.CharField(label=_("Funder"), max_length=250, required=False)
    gender_marker = forms.TypedChoiceField(label=_("Gender marker"), choices=MARKER_CHOICES, coerce=int)
    marker_justification = forms.CharField(
        label=_("Why this marker"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for markers 1 and 2."),
    )
    beneficiaries_women = forms.IntegerField(label=_("Women reached"), required=False, min_value=0)
    beneficiaries_men = forms.IntegerField(label=_("Men reached"), required=False, min_value=0)
    beneficiaries_girls = forms.IntegerField(label=_("Girls reached"), required=False, min_value=0)
    beneficiaries_boys = forms.IntegerField(label=_("Boys reached"), required=False, min_value=0)
    targets_women_or_girls = forms.BooleanField(label=_("Meant for women or girls"), required=False)

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if not value.isalpha():
            raise forms.ValidationError(_("Write the currency as three letters, e.g. MUR."))
        return value

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in COST_FIELDS}
        for name in ("code", "description", "unit", "funder", "marker_justification"):
            values[name] = values[name].strip()
        return values

    @staticmethod
    def initial_for(line: NapCostLine) -> dict[str, Any]:
        return {**{name: getattr(line, name) for name in COST_FIELDS}, "version": line.version}


class IndicatorForm(VersionedForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Indicator"), widget=forms.Textarea(attrs={"rows": 2}))
    definition = forms.CharField(
        label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False, help_text=_("number, percent, milestone…")
    )
    baseline = forms.CharField(label=_("Baseline"), max_length=250, required=False)
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, min_value=1990, max_value=2100
    )
    targets = forms.CharField(
        label=_("Targets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: year; value — or year; value; female/male for a part by sex. E.g. 2027; 40"
        ),
    )
    source = forms.CharField(label=_("Source of data"), max_length=250, required=False)
    responsible_agency = forms.CharField(label=_("Responsible agency"), max_length=250, required=False)
    frequency = forms.CharField(label=_("Frequency of collection"), max_length=50, required=False)

    def clean_targets(self) -> list[dict[str, Any]]:
        targets: list[dict[str, Any]] = []
        problems: list[str] = []
        for number, line in enumerate(lines_of(self.cleaned_data["targets"]), start=1):
            parts = [part.strip() for part in line.split(";")]
            sex = SEX_CHOICES.get(parts[2].lower()) if len(parts) == 3 else ""
            if len(parts) not in (2, 3) or not parts[0].isdigit() or not parts[1] or sex is None:
                problems.append(
                    gettext("Line %(line)s (“%(text)s”): write year; value or year; value; female.")
                    % {"line": number, "text": line}
                )
                continue
            targets.append({"year": int(parts[0]), "value": parts[1], "sex": sex})
        if problems:
            raise forms.ValidationError(problems)
        return targets

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in ("code", "name", "definition", "unit", "baseline", "source")}
        values = {name: value.strip() for name, value in values.items()}
        values.update(
            {
                "baseline_year": data["baseline_year"],
                "targets": data["targets"],
                "responsible_agency": data["responsible_agency"].strip(),
                "frequency": data["frequency"].strip(),
            }
        )
        return values

    @staticmethod
    def initial_for(indicator: NapIndicator) -> dict[str, Any]:
        targets = "\n".join(
            "; ".join(
                str(part) for part in (t.get("year"), t.get("value"), t.get("sex")) if part not in ("", None)
            )
            for t in indicator.targets or ()
        )
        fields = ("code", "name", "definition", "unit", "baseline", "baseline_year", "source")
        return {
            **{name: getattr(indicator, name) for name in fields},
            "responsible_agency": indicator.responsible_agency,
            "frequency": indicator.frequency,
            "targets": targets,
            "version": indicator.version,
        }
