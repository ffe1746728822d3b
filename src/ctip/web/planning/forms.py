"""Forms of the module catalogue (a module, its costs by location, a new location, a cost factor) and of the
demand (one demand row, one segment, the training locations). Forms parse and present; the services
validate the rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ctip.core.errors import DomainError
from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import (
    DELIVERY_CHOICES,
    LEVEL_CHOICES,
    PILLAR_CHOICES,
    TRAINER_PROFILE_CHOICES,
    DemandRow,
    PlanSegment,
    TrainingModule,
)
from ctip.web.tna.models import WorkspaceCompetency

MONEY = {"min_value": Decimal(0), "max_digits": 12, "decimal_places": 2}


class ModuleForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Capital letters, digits and “_”, e.g. “SCR2”. It cannot change later."),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=250)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=250, required=False)
    summary_en = forms.CharField(
        label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_fr = forms.CharField(
        label=_("Summary (French)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pillar = forms.ChoiceField(label=_("Pillar"), choices=PILLAR_CHOICES)
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES)
    competencies = forms.MultipleChoiceField(
        label=_("Competencies it builds"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Codes of the workspace's competency framework."),
    )
    duration_days = forms.DecimalField(
        label=_("Duration (days)"), min_value=Decimal("0.5"), max_value=Decimal(30), decimal_places=1
    )
    delivery_mode = forms.ChoiceField(label=_("Delivery mode"), choices=DELIVERY_CHOICES)
    participants_min = forms.IntegerField(label=_("Participants: minimum"), min_value=1)
    participants_max = forms.IntegerField(label=_("Participants: maximum"), min_value=1)
    trainer_profile = forms.ChoiceField(label=_("Who may lead it"), choices=TRAINER_PROFILE_CHOICES)
    trainer_profile_note_en = forms.CharField(
        label=_("Trainer profile (English)"), max_length=250, required=False
    )
    trainer_profile_note_fr = forms.CharField(
        label=_("Trainer profile (French)"), max_length=250, required=False
    )
    prerequisites = forms.MultipleChoiceField(
        label=_("Prerequisites"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Modules a participant must have taken in an earlier quarter."),
    )
    is_training_of_trainers = forms.BooleanField(label=_("Training of trainers"), required=False)
    cascade_of = forms.ChoiceField(
        label=_("Cascade of"),
        required=False,
        help_text=_("The training of trainers whose graduates lead this module's sessions, if any."),
    )
    sensitivity_en = forms.CharField(
        label=_("Child- and gender-sensitive content (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sensitivity_fr = forms.CharField(
        label=_("Child- and gender-sensitive content (French)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    assessment_link = forms.CharField(
        label=_("Pre/post assessment"),
        max_length=250,
        required=False,
        help_text=_("Filled in when the module's pre- and post-tests exist."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, workspace: Workspace, module: TrainingModule | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.module = module
        if module is not None:
            del self.fields["code"]
        codes = list(
            WorkspaceCompetency.objects.filter(workspace=workspace)
            .order_by("position", "code")
            .values_list("code", "title_en", "is_retired")
        )
        current = set(module.competencies if module else ())
        self.fields["competencies"].choices = [
            (code, f"{code} — {title}") for code, title, retired in codes if not retired or code in current
        ] + [(code, code) for code in sorted(current - {code for code, _title, _retired in codes})]
        others = TrainingModule.objects.filter(workspace=workspace).order_by("position", "code")
        if module is not None:
            others = others.exclude(pk=module.pk)
        rows = list(others.values_list("code", "title_en", "is_training_of_trainers"))
        self.fields["prerequisites"].choices = [(code, f"{code} — {title}") for code, title, _tot in rows]
        self.fields["cascade_of"].choices = [("", _("Not a cascade module"))] + [
            (code, f"{code} — {title}") for code, title, tot in rows if tot
        ]

    @classmethod
    def initial_for(cls, module: TrainingModule) -> dict[str, Any]:
        names = [name for name in cls.base_fields if name not in ("code", "version")]
        initial = {name: getattr(module, name) for name in names}
        initial["version"] = module.version
        return initial

    def values(self) -> dict[str, Any]:
        values = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        if "duration_days" in values and values["duration_days"] is not None:
            values["duration_days"] = Decimal(values["duration_days"])
        return values


class CostForm(forms.Form):
    """One location of a module's costs (a row of the costs table)."""

    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    offered = forms.BooleanField(label=_("Offered here"), required=False)
    session = forms.DecimalField(label=_("Cost per session"), required=False, **MONEY)
    participant = forms.DecimalField(label=_("Cost per participant"), required=False, **MONEY)
    remote = forms.BooleanField(label=_("Remote"), required=False)


CostFormSet = forms.formset_factory(CostForm, extra=1, max_num=200)


def cost_initial(module: TrainingModule | None, locations: dict[str, bool]) -> list[dict[str, Any]]:
    """The costs table: the module's locations (offered), then the catalogue's other locations (not offered)."""
    costs = dict(module.costs or {}) if module else {}
    rows = [
        {
            "location": location,
            "offered": True,
            "session": entry.get("session"),
            "participant": entry.get("participant"),
            "remote": bool(entry.get("remote")) or locations.get(location, False),
        }
        for location, entry in sorted(costs.items(), key=lambda item: item[0].casefold())
        if isinstance(entry, dict)
    ]
    rows += [
        {"location": location, "offered": False, "session": None, "participant": None, "remote": remote}
        for location, remote in locations.items()
        if location not in costs
    ]
    return rows


def costs_from_formset(formset: Any) -> dict[str, dict[str, Any]]:
    """The offered rows of a valid costs formset as ``{location: {session, participant, remote}}``; a row
    offered without a figure keeps the figure empty, which the service refuses with its place."""
    costs: dict[str, dict[str, Any]] = {}
    for form in formset.forms:
        data = form.cleaned_data
        location = " ".join(str(data.get("location") or "").split())
        if not location or not data.get("offered"):
            continue
        costs[location] = {
            "session": data.get("session"),
            "participant": data.get("participant"),
            **({"remote": True} if data.get("remote") else {}),
        }
    return costs


class LocationForm(forms.Form):
    location = forms.CharField(label=_("New location"), max_length=100)
    remote = forms.BooleanField(label=_("Remote (use the remote costs: travel and per diem)"), required=False)


class CostFactorForm(forms.Form):
    factor = forms.DecimalField(
        label=_("Multiply every cost by"),
        min_value=Decimal("0.0001"),
        max_digits=12,
        decimal_places=4,
        help_text=_("For example the exchange rate from US dollars, or 1.05 for 5 % inflation."),
    )


class DemandRowForm(forms.Form):
    staff_female = forms.IntegerField(label=_("Staff in need: women"), min_value=0)
    staff_male = forms.IntegerField(label=_("Staff in need: men"), min_value=0)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=4,
        help_text=_("What one person trained is worth to the plan; the TNA gives the need score (MWDS)."),
    )
    note = forms.CharField(label=_("Note"), max_length=250, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, row: DemandRow) -> dict[str, Any]:
        return {
            "staff_female": row.staff_female,
            "staff_male": row.staff_male,
            "weight": round(row.weight, 4),
            "note": row.note,
            "version": row.version,
        }

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class SegmentForm(forms.Form):
    role_group = forms.CharField(label=_("Role group"), max_length=100)
    location = forms.CharField(label=_("Location"), max_length=100)
    is_frontline = forms.BooleanField(label=_("Frontline"), required=False)
    staff_female = forms.IntegerField(label=_("Staff: women"), min_value=0)
    staff_male = forms.IntegerField(label=_("Staff: men"), min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, segment: PlanSegment) -> dict[str, Any]:
        return {
            "role_group": segment.role_group,
            "location": segment.location,
            "is_frontline": segment.is_frontline,
            "staff_female": segment.staff_female,
            "staff_male": segment.staff_male,
            "version": segment.version,
        }

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class DeriveForm(forms.Form):
    overwrite_edited = forms.BooleanField(
        label=_("Also replace the rows and segments edited by hand"), required=False
    )


class VenuesForm(forms.Form):
    """The training location of each place: one text input per place (``venue_<n>``), the place itself in a
    hidden input (``place_<n>``) so that the rows saved are the rows shown. Venues are not required here:
    the service refuses a blank one with the place's name."""

    MAX_PLACES = 500

    overwrite_edited = forms.BooleanField(
        label=_("Also replace the rows and segments edited by hand"), required=False
    )

    def __init__(self, *args: Any, places: Sequence[str], venues: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = list(places)[: self.MAX_PLACES]
        for index, place in enumerate(self.places):
            self.fields[f"place_{index}"] = forms.CharField(
                widget=forms.HiddenInput, initial=place, required=False
            )
            self.fields[f"venue_{index}"] = forms.CharField(
                label=place, initial=venues.get(place, ""), required=False
            )

    @classmethod
    def posted_places(cls, data: Mapping[str, Any]) -> list[str]:
        """The places of a submitted form, in their order."""
        places: list[str] = []
        while len(places) < cls.MAX_PLACES and f"place_{len(places)}" in data:
            places.append(str(data[f"place_{len(places)}"]))
        return places

    def rows(self) -> list[tuple[str, forms.BoundField]]:
        return [(place, self[f"venue_{index}"]) for index, place in enumerate(self.places)]

    def mapping(self) -> dict[str, str]:
        return {
            place: str(self.cleaned_data.get(f"venue_{index}") or "")
            for index, place in enumerate(self.places)
        }

    def apply_domain_error(self, error: DomainError) -> None:
        """The error's message on top and each problem on the venue of the place it names."""
        self.add_error(None, error.render(gettext))
        fields = {" ".join(place.split()): f"venue_{index}" for index, place in enumerate(self.places)}
        for problem in error.problems:
            name = fields.get(problem.location)
            if name is not None:
                self.add_error(name, problem.render(gettext))
            else:
                self.add_error(None, f"{problem.location}: {problem.render(gettext)}")
