"""Forms of the training event pages. They parse input only; the rules are checked by the services (which
name the field of each problem)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ctip.core.training.model import EVENT_STATUS_LABELS, EventStatus
from ctip.web.planning.models import TRAINER_ORIGIN_CHOICES, TrainingModule
from ctip.web.stakeholders.models import Organisation
from ctip.web.trainings.models import AGE_BAND_CHOICES, LANGUAGE_CHOICES, SEX_CHOICES

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCATIONS_LIST = "training-locations"
"""The id of the page's ``<datalist>`` of known training locations."""


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to have one made, e.g. TR-2026-03."),
    )
    start_date = forms.DateField(label=_("First day"), widget=_DATE)
    end_date = forms.DateField(
        label=_("Last day"),
        widget=_DATE,
        help_text=_("Weekends inside the dates are not counted as training days."),
    )
    location = forms.CharField(
        label=_("Training location"),
        max_length=100,
        widget=forms.TextInput(attrs={"list": LOCATIONS_LIST, "autocomplete": "off"}),
        help_text=_("A training location of the plan, e.g. Mauritius or Rodrigues."),
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    audience = forms.CharField(
        label=_("Target audience"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_female = forms.IntegerField(label=_("Target participants: women"), min_value=0, initial=0)
    target_male = forms.IntegerField(label=_("Target participants: men"), min_value=0, initial=0)
    language = forms.ChoiceField(
        label=_("Language of the training"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The language of the kit, the tests and the certificates."),
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark on the post-test (per cent)"), min_value=1, max_value=100, initial=70
    )
    trainers_notes = forms.CharField(
        label=_("Trainers' notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    session = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("session", None)
        return data


class TrainerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    origin = forms.ChoiceField(
        label=_("National or international"),
        required=False,
        choices=[("", "—"), *TRAINER_ORIGIN_CHOICES],
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


TrainerFormSet = forms.formset_factory(TrainerForm, extra=2, max_num=30)


class _ModuleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: TrainingModule) -> str:
        return f"{obj.code} — {obj.title_en}"


class ModuleRowForm(forms.Form):
    module = _ModuleChoice(
        label=_("Module"), queryset=TrainingModule.objects.none(), required=False, empty_label="—"
    )
    position = forms.IntegerField(label=_("Order"), min_value=1, max_value=99, required=False)

    def __init__(self, *args: Any, modules: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if modules is not None:
            self.fields["module"].queryset = modules


class _ModuleFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, modules: Any = None, **kwargs: Any) -> None:
        self.modules = modules
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "modules": self.modules}

    def ordered(self) -> list[tuple[int, TrainingModule]]:
        """(row index, module) of the rows with a module, by the order typed (then by row)."""
        rows = [
            (form.cleaned_data.get("position") or index + 1, index, form.cleaned_data["module"])
            for index, form in enumerate(self.forms)
            if form.cleaned_data.get("module") is not None
        ]
        return [
            (index, module) for _position, index, module in sorted(rows, key=lambda row: (row[0], row[1]))
        ]


ModuleFormSet = forms.formset_factory(ModuleRowForm, formset=_ModuleFormSet, extra=2, max_num=40)


def module_choices(workspace: Any, keep: Iterable[TrainingModule] = ()) -> Any:
    """The offered modules of the catalogue, and any module the event already has."""
    kept = [module.pk for module in keep]
    return TrainingModule.objects.filter(workspace=workspace).filter(Q(is_active=True) | Q(pk__in=kept))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args: Any, allowed: Sequence[EventStatus] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status.value, _(EVENT_STATUS_LABELS[status])) for status in allowed]


class EventFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    location = forms.ChoiceField(label=_("Training location"), required=False)

    def __init__(
        self, *args: Any, years: Sequence[int] = (), locations: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All")),
            *[(status.value, _(label)) for status, label in EVENT_STATUS_LABELS.items()],
        ]
        self.fields["year"].choices = [("", _("All")), *[(year, str(year)) for year in years]]
        self.fields["location"].choices = [("", _("All")), *[(place, place) for place in locations]]


class ParticipantForm(forms.Form):
    code = forms.CharField(
        label=_("Participant code"),
        max_length=30,
        required=False,
        help_text=_(
            "Leave empty to have the next code made (P001, P002…). Never a name: names are not stored."
        ),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AGE_BAND_CHOICES, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation (stakeholder registry)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
    )
    organisation_name = forms.CharField(
        label=_("Other organisation"),
        max_length=250,
        required=False,
        help_text=_("Only when the organisation is not in the registry."),
    )
    role = forms.CharField(label=_("Role"), max_length=150, required=False)
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workspace: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(workspace=workspace).order_by(
            "name"
        )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class SigninUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Sign-in sheet (.xlsx or .csv)"),
        help_text=_(
            "Columns code, sex, age band (or age), organisation, role, location, then one column per training "
            "day headed by its date or Day 1, Day 2…"
        ),
    )


class CertificateOptionsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the certificates"), choices=LANGUAGE_CHOICES)
    all_days = forms.BooleanField(
        label=_("Only participants present on every training day"),
        required=False,
    )
