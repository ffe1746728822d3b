"""Forms of the TNA pages. They parse input; the rules are checked by the services (and the core), whose
problems ``apply_domain_error`` puts on the fields."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ctip.core.stakeholders import CHAIN_STAGE_LABELS, ORGANISATION_TYPE_LABELS, PILLAR_LABELS
from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import OrganisationType
from ctip.web.tna.models import (
    FORM_LANGUAGE_CHOICES,
    LEVEL_CHOICES,
    LINK_KIND_CHOICES,
    LINK_ORGANISATION,
    SCALE_CHOICES,
    SurveyInstrument,
    WorkspaceCompetency,
)

NOT_MAPPED = ""


def _coded(labels: dict[Any, str], *, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(code.value, gettext(label)) for code, label in labels.items()]
    return [("", blank), *choices] if blank is not None else choices


def organisation_type_choices(workspace: Workspace) -> list[tuple[str, str]]:
    """The organisation types (code, label): the default list, as the workspace renamed or extended it,
    without the types it stopped using."""
    labels = {code.value: gettext(label) for code, label in ORGANISATION_TYPE_LABELS.items()}
    for row in OrganisationType.objects.filter(workspace=workspace):
        if row.is_active:
            labels[row.code] = gettext(row.label)
        else:
            labels.pop(row.code, None)
    return sorted(labels.items(), key=lambda item: item[1].casefold())


class CompetencyForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Letters, digits and “_”, starting with a letter, e.g. “ID07”. It cannot change later."),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=250)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=250, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_fr = forms.CharField(
        label=_("Description (French)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pillar = forms.ChoiceField(label=_("Pillar"))
    chain_stage = forms.ChoiceField(label=_("Response-chain stage"))
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES)
    target_types = forms.MultipleChoiceField(
        label=_("For these organisation types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: for everyone."),
    )
    child_sensitive = forms.BooleanField(label=_("Child-sensitive"), required=False)
    gender_sensitive = forms.BooleanField(label=_("Gender-sensitive"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workspace: Workspace, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].choices = _coded(PILLAR_LABELS, blank="—")
        self.fields["chain_stage"].choices = _coded(CHAIN_STAGE_LABELS, blank="—")
        self.fields["target_types"].choices = organisation_type_choices(workspace)
        if editing:
            del self.fields["code"]

    @classmethod
    def initial_for(cls, competency: WorkspaceCompetency) -> dict[str, Any]:
        return {
            "title_en": competency.title_en,
            "title_fr": competency.title_fr,
            "description_en": competency.description_en,
            "description_fr": competency.description_fr,
            "pillar": competency.pillar,
            "chain_stage": competency.chain_stage,
            "level": competency.level,
            "target_types": competency.target_types,
            "child_sensitive": competency.child_sensitive,
            "gender_sensitive": competency.gender_sensitive,
            "version": competency.version,
        }

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class CompetencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or title"), required=False, max_length=100)
    pillar = forms.ChoiceField(label=_("Pillar"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    target_type = forms.ChoiceField(label=_("For organisation type"), required=False)
    retired = forms.BooleanField(label=_("Show retired"), required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = gettext("Any")
        self.fields["pillar"].choices = _coded(PILLAR_LABELS, blank=anything)
        self.fields["level"].choices = [("", anything), *LEVEL_CHOICES]
        self.fields["target_type"].choices = [("", anything), *organisation_type_choices(workspace)]


class FileUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))


class InstrumentSegmentForm(forms.Form):
    """Step 1 of a new instrument (GET): who it is for, which pre-selects the competencies."""

    segment = forms.ChoiceField(label=_("For whom"), required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [
            ("", gettext("All staff (every organisation type)")),
            *organisation_type_choices(workspace),
        ]


class InstrumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    segment = forms.ChoiceField(label=_("For whom"), required=False, widget=forms.HiddenInput)
    scale_max = forms.TypedChoiceField(
        label=_("Rating scale"), choices=SCALE_CHOICES, coerce=int, initial=5, widget=forms.RadioSelect
    )
    competencies = forms.MultipleChoiceField(
        label=_("Competencies"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(
        self, *args: Any, workspace: Workspace, competencies: Iterable[WorkspaceCompetency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = InstrumentSegmentForm(workspace=workspace).fields["segment"].choices
        self.fields["competencies"].choices = [
            (row.code, f"{row.code} — {row.title_fr if _is_french() and row.title_fr else row.title_en}")
            for row in competencies
        ]


def _is_french() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "en").startswith("fr")


class SurveyUploadForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"))
    file = forms.FileField(
        label=_("Survey data (.csv, .xlsx, or the .zip of ODK Central)"),
        help_text=_(
            "An export from KoboToolbox or ODK Central (CSV or XLSX), or any spreadsheet with one row per "
            "respondent (you will match its columns to the instrument's questions)."
        ),
    )
    mapping = forms.ChoiceField(label=_("Saved column mapping"), required=False)

    def __init__(
        self,
        *args: Any,
        instruments: Sequence[SurveyInstrument],
        mappings: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(str(row.uuid), row.title) for row in instruments]
        if mappings:
            self.fields["mapping"].choices = [("", gettext("None: detect the columns")), *mappings]
        else:
            del self.fields["mapping"]


class ColumnMappingForm(forms.Form):
    """One drop-down per instrument field, listing the file's columns (and "not in the file")."""

    save_as = forms.CharField(
        label=_("Save this mapping as"),
        max_length=100,
        required=False,
        help_text=_("Optional: a name to reuse the mapping for the next file (also from the command line)."),
    )

    def __init__(
        self,
        *args: Any,
        fields: Sequence[tuple[str, str]],
        columns: Sequence[tuple[str, str]],
        required: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mapped_names = [name for name, _label in fields]
        self.required_names = set(required)
        options = [(NOT_MAPPED, gettext("— not in the file —")), *columns]
        save_as = self.fields.pop("save_as")
        for name, label in fields:
            self.fields[f"field_{name}"] = forms.ChoiceField(
                label=label, choices=options, required=False, help_text=name
            )
        self.fields["save_as"] = save_as

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.required_names:
            if not cleaned.get(f"field_{name}"):
                self.add_error(f"field_{name}", _("Choose the column that holds this."))
        return cleaned

    def mapping(self) -> dict[str, str]:
        """Instrument field → file column, for the fields that are mapped."""
        return {
            name: self.cleaned_data[f"field_{name}"]
            for name in self.mapped_names
            if self.cleaned_data.get(f"field_{name}")
        }


class DocumentLanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("en", "English"), ("fr", "Français")], required=False)

    def clean_language(self) -> str:
        value = self.cleaned_data.get("language") or "en"
        if value not in ("en", "fr"):
            raise ValidationError(_("Choose English or French."))
        return str(value)


class ResponseFilterForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"), required=False)

    def __init__(self, *args: Any, instruments: Sequence[SurveyInstrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [
            ("", gettext("All instruments")),
            *[(str(row.uuid), row.title) for row in instruments],
        ]


class FormLinksForm(forms.Form):
    """Make links to the built-in web form: numbered links for single respondents, or one link per
    organisation for everyone working there."""

    kind = forms.ChoiceField(
        label=_("Links for"),
        choices=LINK_KIND_CHOICES,
        widget=forms.RadioSelect,
        initial=LINK_ORGANISATION,
    )
    organisations = forms.MultipleChoiceField(
        label=_("Organisations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One link per organisation; everyone who opens it answers separately."),
    )
    count = forms.IntegerField(
        label=_("Number of single-respondent links"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("Each link takes one set of answers: give one to each person."),
    )
    label_prefix = forms.CharField(
        label=_("Label of the single-respondent links"),
        required=False,
        max_length=100,
        help_text=_("Numbered: “Respondent 001”, “Respondent 002”, …"),
    )
    language = forms.ChoiceField(
        label=_("Language the form opens in"), choices=FORM_LANGUAGE_CHOICES, initial="en"
    )

    def __init__(self, *args: Any, organisations: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [(str(row.uuid), str(row)) for row in organisations]
