"""Forms of the stakeholder pages. They parse input; the rules are checked by the services (and the core),
whose problems ``apply_domain_error`` puts on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ctip.core.stakeholders import (
    CHAIN_STAGE_LABELS,
    LEVEL_LABELS,
    PILLAR_LABELS,
    RELATION_KIND_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    SECTOR_LABELS,
)
from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import SEX_CHOICES, Organisation, OrganisationType

OUTGOING = "outgoing"
INCOMING = "incoming"


def _coded(labels: dict[Any, str], *, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(code.value, gettext(label)) for code, label in labels.items()]
    return [("", blank), *choices] if blank is not None else choices


def _score_choices() -> list[tuple[str, str]]:
    return [("", "—"), *[(str(score), str(score)) for score in range(SCORE_MIN, SCORE_MAX + 1)]]


def type_choices(workspace: Workspace, *, keep: str = "") -> list[tuple[str, str]]:
    """Active types (and ``keep``, the current type of the organisation being edited), by label."""
    rows = [
        row
        for row in OrganisationType.objects.filter(workspace=workspace)
        if row.is_active or row.code == keep
    ]
    return sorted(((row.code, gettext(row.label)) for row in rows), key=lambda item: item[1].casefold())


class OrganisationChoiceField(forms.ChoiceField):
    """An organisation of the workspace, chosen by UUID (never by database id)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queryset = Organisation.objects.none()

    def set_organisations(self, queryset: Any, *, blank: str | None = None) -> None:
        self.queryset = queryset
        choices = [(str(o.uuid), str(o)) for o in queryset]
        self.choices = [("", blank), *choices] if blank is not None else choices

    def clean(self, value: Any) -> Organisation | None:
        value = super().clean(value)
        if not value:
            return None
        found = self.queryset.filter(uuid=value).first()
        if found is None:
            raise ValidationError(_("Choose an organisation from the list."))
        return found


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    key = forms.CharField(
        label=_("Key"),
        max_length=60,
        required=False,
        help_text=_("A short unique identifier used by imports and the “parent” column; empty: the acronym."),
    )
    type = forms.ChoiceField(label=_("Type"))
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    location = forms.CharField(
        label=_("Location"), max_length=100, required=False, help_text=_("Town, district or island.")
    )
    parent = OrganisationChoiceField(label=_("Belongs to"), required=False)
    pillars = forms.MultipleChoiceField(
        label=_("Pillars (4Ps)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    chain_stages = forms.MultipleChoiceField(
        label=_("Response-chain stages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    mandate = forms.CharField(label=_("Mandate"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    staff_women = forms.IntegerField(label=_("Staff: women"), required=False, min_value=0)
    staff_men = forms.IntegerField(label=_("Staff: men"), required=False, min_value=0)
    staff_total = forms.IntegerField(
        label=_("Staff: total"), required=False, min_value=0, help_text=_("Empty: women + men.")
    )
    frontline_women = forms.IntegerField(label=_("Frontline staff: women"), required=False, min_value=0)
    frontline_men = forms.IntegerField(label=_("Frontline staff: men"), required=False, min_value=0)
    staff_as_of = forms.DateField(
        label=_("Staff figures as of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    influence = forms.TypedChoiceField(
        label=_("Influence (1–5)"), required=False, coerce=int, empty_value=None
    )
    interest = forms.TypedChoiceField(label=_("Interest (1–5)"), required=False, coerce=int, empty_value=None)
    figures_fictional = forms.BooleanField(label=_("The staff figures are fictional (demo)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workspace: Workspace, instance: Organisation | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            ("", "—"),
            *type_choices(workspace, keep=instance.type if instance else ""),
        ]
        self.fields["sector"].choices = _coded(SECTOR_LABELS, blank="—")
        self.fields["level"].choices = _coded(LEVEL_LABELS, blank="—")
        self.fields["pillars"].choices = _coded(PILLAR_LABELS)
        self.fields["chain_stages"].choices = _coded(CHAIN_STAGE_LABELS)
        self.fields["influence"].choices = _score_choices()
        self.fields["interest"].choices = _score_choices()
        parents = Organisation.objects.filter(workspace=workspace).order_by("name")
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, OrganisationChoiceField)
        parent_field.set_organisations(parents, blank="—")

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        return {
            "name": organisation.name,
            "acronym": organisation.acronym,
            "key": organisation.key,
            "type": organisation.type,
            "sector": organisation.sector,
            "level": organisation.level,
            "location": organisation.location,
            "parent": str(organisation.parent.uuid) if organisation.parent_id else "",
            "pillars": organisation.pillars,
            "chain_stages": organisation.chain_stages,
            "mandate": organisation.mandate,
            "staff_women": organisation.staff_women,
            "staff_men": organisation.staff_men,
            "staff_total": organisation.staff_total,
            "frontline_women": organisation.frontline_women,
            "frontline_men": organisation.frontline_men,
            "staff_as_of": organisation.staff_as_of,
            "influence": organisation.influence,
            "interest": organisation.interest,
            "figures_fictional": organisation.figures_fictional,
            "version": organisation.version,
        }

    def values(self) -> dict[str, Any]:
        """The cleaned values the services take (without ``version``)."""
        values = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        for name in ("key", "name", "acronym", "location", "mandate"):
            values[name] = (values.get(name) or "").strip()
        return values


class FocalPointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title or function"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *SEX_CHOICES], required=False)
    email = forms.EmailField(label=_("Work e-mail"), required=False)
    phone = forms.CharField(label=_("Work phone"), max_length=40, required=False)


class PriorTrainingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    topic = forms.CharField(label=_("Topic"), max_length=250)
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)
    participants_women = forms.IntegerField(label=_("Participants: women"), min_value=0, initial=0)
    participants_men = forms.IntegerField(label=_("Participants: men"), min_value=0, initial=0)


class RelationForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[(OUTGOING, _("This organisation …")), (INCOMING, _("… this organisation"))],
        initial=OUTGOING,
        help_text=_("“This organisation refers cases to X”, or “X refers cases to this organisation”."),
    )
    kind = forms.ChoiceField(label=_("Relation"))
    other = OrganisationChoiceField(label=_("Other organisation"))

    def __init__(self, *args: Any, workspace: Workspace, organisation: Organisation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _coded(RELATION_KIND_LABELS)
        other = self.fields["other"]
        assert isinstance(other, OrganisationChoiceField)
        other.set_organisations(
            Organisation.objects.filter(workspace=workspace).exclude(pk=organisation.pk).order_by("name"),
            blank="—",
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_("The columns of the template; the first sheet of a workbook is read."),
    )


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or acronym"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    location = forms.ChoiceField(label=_("Location"), required=False)
    pillar = forms.ChoiceField(label=_("Pillar"), required=False)

    def __init__(self, *args: Any, workspace: Workspace, locations: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        anything = gettext("Any")
        self.fields["type"].choices = [("", anything), *type_choices(workspace)]
        self.fields["sector"].choices = _coded(SECTOR_LABELS, blank=anything)
        self.fields["location"].choices = [("", anything), *[(value, value) for value in locations]]
        self.fields["pillar"].choices = _coded(PILLAR_LABELS, blank=anything)


class OrganisationTypeForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits, “_” and “-”; what import files use, e.g. “faith_based”."),
    )
    label = forms.CharField(label=_("Label"), max_length=100)


class OrganisationTypeEditForm(forms.Form):
    type = forms.UUIDField(widget=forms.HiddenInput)
    label = forms.CharField(label=_("Label"), max_length=100)
    is_active = forms.BooleanField(label=_("In use"), required=False)
