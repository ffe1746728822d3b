"""Forms of the plan scenarios: the parameters (every constraint of the optimizer, with its default), a
copy with a budget factor, a session edited by hand, and the choice of two scenarios to compare."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.planning.model import Parameters, TrainerOrigin
from ctip.web.planning.models import TRAINER_ORIGIN_CHOICES, PlanScenario, PlanSession, TrainingModule

YEARS = 3
PERCENT = Decimal(100)


def _plain(value: float) -> float | int:
    """150000 rather than 150000.0 in a form field."""
    return int(value) if float(value).is_integer() else value


def _percent(value: float) -> Decimal:
    return (Decimal(str(value)) * PERCENT).quantize(Decimal("0.1"))


class ScenarioForm(forms.Form):
    """Name and parameters of a scenario. Shares are entered as percentages."""

    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trainer_days_per_quarter = forms.DecimalField(
        label=_("Trainer-days per quarter"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=1,
        help_text=_("Days of training all trainers together can deliver in one quarter."),
    )
    sessions_per_location_per_quarter = forms.IntegerField(
        label=_("Sessions per location per quarter"),
        min_value=0,
        help_text=_("Venues and logistics: at most this many sessions in one place in one quarter."),
    )
    frontline_year1_seats = forms.IntegerField(
        label=_("Foundational seats per frontline group in year 1"),
        min_value=0,
        help_text=_(
            "Each frontline group gets at least this many seats in foundational modules in year 1 (0: no floor)."
        ),
    )
    location_need_floor = forms.DecimalField(
        label=_("Minimum share of need covered in each location (%)"),
        min_value=Decimal(0),
        max_value=PERCENT,
        decimal_places=1,
    )
    women_seat_factor = forms.DecimalField(
        label=_("Women's seats: factor of their share of staff in need"),
        min_value=Decimal(0),
        max_value=Decimal(2),
        decimal_places=2,
        help_text=_("1 means women get at least their share of the staff in need; 0 means no floor."),
    )
    national_share_year2 = forms.DecimalField(
        label=_("Sessions led by national trainers in year 2 (%)"),
        min_value=Decimal(0),
        max_value=PERCENT,
        decimal_places=1,
    )
    national_share_year3 = forms.DecimalField(
        label=_("Sessions led by national trainers in year 3 (%)"),
        min_value=Decimal(0),
        max_value=PERCENT,
        decimal_places=1,
    )
    cascade_sessions_per_tot_session = forms.IntegerField(
        label=_("Cascade sessions per quarter made possible by one training-of-trainers session"),
        min_value=0,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, locations: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        budget_fields: dict[str, forms.Field] = {}
        for year in range(1, YEARS + 1):
            budget_fields[f"budget_year{year}"] = forms.DecimalField(
                label=_("Budget of year %(year)s") % {"year": year},
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
            )
        self.locations = list(locations)
        floor_fields: dict[str, forms.Field] = {}
        for index, location in enumerate(self.locations):
            floor_fields[f"floor_{index}"] = forms.DecimalField(
                label=_("Minimum share of need covered at %(location)s (%%)") % {"location": location},
                min_value=Decimal(0),
                max_value=PERCENT,
                decimal_places=1,
                required=False,
                help_text=_("Empty: the share above applies."),
            )
        declared: dict[str, forms.Field] = dict(self.fields)
        ordered = dict(list(declared.items())[:2]) | budget_fields
        ordered |= {name: field for name, field in declared.items() if name not in ordered}
        ordered_items = list(ordered.items())
        floor_at = [name for name, _field in ordered_items].index("location_need_floor") + 1
        self.fields.clear()
        self.fields.update(ordered_items[:floor_at] + list(floor_fields.items()) + ordered_items[floor_at:])

    @classmethod
    def initial_for(
        cls, parameters: Parameters, locations: Sequence[str], scenario: PlanScenario | None = None
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "trainer_days_per_quarter": _plain(parameters.trainer_days_per_quarter),
            "sessions_per_location_per_quarter": parameters.sessions_per_location_per_quarter,
            "frontline_year1_seats": parameters.frontline_year1_seats,
            "location_need_floor": _percent(parameters.location_need_floor),
            "women_seat_factor": _plain(parameters.women_seat_factor),
            "national_share_year2": _percent(parameters.national_share_year2),
            "national_share_year3": _percent(parameters.national_share_year3),
            "cascade_sessions_per_tot_session": parameters.cascade_sessions_per_tot_session,
        }
        for year in range(1, YEARS + 1):
            budget = parameters.budget_for_year(year)
            initial[f"budget_year{year}"] = _plain(budget)
        for index, location in enumerate(locations):
            if location in parameters.location_need_floor_by_location:
                initial[f"floor_{index}"] = _percent(parameters.location_need_floor_by_location[location])
        if scenario is not None:
            initial |= {
                "name": scenario.name,
                "description": scenario.description,
                "version": scenario.version,
            }
        return initial

    def parameters(self, base: Parameters) -> Parameters:
        data = self.cleaned_data
        floors = {
            location: float(data[f"floor_{index}"]) / 100
            for index, location in enumerate(self.locations)
            if data.get(f"floor_{index}") is not None
        }
        return dataclasses.replace(
            base,
            budget_per_year=tuple(float(data[f"budget_year{year}"]) for year in range(1, YEARS + 1)),
            trainer_days_per_quarter=float(data["trainer_days_per_quarter"]),
            sessions_per_location_per_quarter=int(data["sessions_per_location_per_quarter"]),
            frontline_year1_seats=int(data["frontline_year1_seats"]),
            location_need_floor=float(data["location_need_floor"]) / 100,
            location_need_floor_by_location=floors,
            women_seat_factor=float(data["women_seat_factor"]),
            national_share_year2=float(data["national_share_year2"]) / 100,
            national_share_year3=float(data["national_share_year3"]) / 100,
            cascade_sessions_per_tot_session=int(data["cascade_sessions_per_tot_session"]),
        )


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=150)
    budget_change = forms.DecimalField(
        label=_("Change of the budget (%)"),
        min_value=Decimal(-90),
        max_value=Decimal(500),
        decimal_places=1,
        initial=Decimal(-20),
        help_text=_("−20 lowers every year's budget by a fifth; 0 keeps it."),
    )

    @property
    def budget_factor(self) -> float:
        return 1 + float(self.cleaned_data["budget_change"]) / 100


class SessionForm(forms.Form):
    """One session by hand: module, location, quarter, trainer and the seats of each segment there."""

    module = forms.ModelChoiceField(
        label=_("Module"), queryset=TrainingModule.objects.none(), to_field_name="code"
    )
    location = forms.ChoiceField(label=_("Location"))
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int)
    trainer = forms.ChoiceField(
        label=_("Trainer"), choices=TRAINER_ORIGIN_CHOICES, initial=TrainerOrigin.NATIONAL.value
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        modules: Any,
        locations: Sequence[str],
        quarters: int,
        segments: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        module_field = self.fields["module"]
        assert isinstance(module_field, forms.ModelChoiceField)
        module_field.queryset = modules
        location_field = self.fields["location"]
        assert isinstance(location_field, forms.ChoiceField)
        location_field.choices = [(location, location) for location in locations]
        quarter_field = self.fields["quarter"]
        assert isinstance(quarter_field, forms.ChoiceField)
        quarter_field.choices = [
            (
                quarter,
                _("Q%(quarter)s (year %(year)s)") % {"quarter": quarter, "year": (quarter - 1) // 4 + 1},
            )
            for quarter in range(1, quarters + 1)
        ]
        self.segment_codes = [code for code, _label in segments]
        self.segment_labels = dict(segments)
        for code, label in segments:
            for sex, sex_label in (("female", _("women")), ("male", _("men"))):
                self.fields[f"seats_{code}_{sex}"] = forms.IntegerField(
                    label=f"{label}: {sex_label}", min_value=0, required=False
                )

    @classmethod
    def initial_for(cls, session: PlanSession) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "module": session.module.code,
            "location": session.location,
            "quarter": session.quarter,
            "trainer": session.trainer,
            "version": session.version,
        }
        for seat in session.seats:
            initial[f"seats_{seat['segment']}_female"] = seat.get("female", 0)
            initial[f"seats_{seat['segment']}_male"] = seat.get("male", 0)
        return initial

    def seats(self) -> list[dict[str, Any]]:
        return [
            {
                "segment": code,
                "female": self.cleaned_data.get(f"seats_{code}_female") or 0,
                "male": self.cleaned_data.get(f"seats_{code}_male") or 0,
            }
            for code in self.segment_codes
        ]

    def seat_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(group label, women's field, men's field) for each segment."""
        return [
            (self.segment_labels[code], self[f"seats_{code}_female"], self[f"seats_{code}_male"])
            for code in self.segment_codes
        ]


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(
        label=_("Scenario"), queryset=PlanScenario.objects.none(), to_field_name="uuid"
    )
    b = forms.ModelChoiceField(
        label=_("Compared with"), queryset=PlanScenario.objects.none(), to_field_name="uuid"
    )

    def __init__(self, *args: Any, scenarios: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = scenarios
