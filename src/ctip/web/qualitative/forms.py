"""Forms of the qualitative pages. They parse input only; the rules are checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.core.stakeholders import PILLAR_LABELS
from ctip.web.qualitative.models import RECORD_KINDS, QualitativeRecord, Theme
from ctip.web.stakeholders.models import Organisation

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PILLAR_CHOICES = [("", "—"), *[(pillar.value, _(label)) for pillar, label in PILLAR_LABELS.items()]]


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.acronym} — {obj.name}" if obj.acronym else obj.name


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=RECORD_KINDS, initial="interview")
    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        help_text=_("Describe the informants without naming them, e.g. “Labour inspectors, Port Louis”."),
    )
    date = forms.DateField(label=_("Date"), widget=_DATE)
    organisations = OrganisationChoiceField(
        label=_("Organisations that took part"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("From the stakeholder registry. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    participants_women = forms.IntegerField(label=_("Participants: women"), min_value=0, initial=0)
    participants_men = forms.IntegerField(label=_("Participants: men"), min_value=0, initial=0)
    participants_other = forms.IntegerField(
        label=_("Participants: other or not stated"), min_value=0, initial=0
    )
    facilitator = forms.CharField(label=_("Facilitator"), max_length=150, required=False)
    location = forms.CharField(label=_("Location"), max_length=150, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("No participant names: write “a police officer”, “participant 3”."),
    )
    transcript = forms.FileField(
        label=_("Transcript"),
        required=False,
        help_text=_("A Word (.docx) or plain-text (.txt) file; its text is kept, not the file."),
    )
    remove_transcript = forms.BooleanField(label=_("Remove the stored transcript"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, organisations: Any = None, has_transcript: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisations"].queryset = organisations
        if not has_transcript:
            del self.fields["remove_transcript"]

    @classmethod
    def initial_for(cls, record: QualitativeRecord) -> dict[str, Any]:
        return {
            "kind": record.kind,
            "title": record.title,
            "date": record.date,
            "organisations": [o.uuid for o in record.organisations.all()],
            "participants_women": record.participants_women,
            "participants_men": record.participants_men,
            "participants_other": record.participants_other,
            "facilitator": record.facilitator,
            "location": record.location,
            "notes": record.notes,
            "version": record.version,
        }


class RecordFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("All")), *RECORD_KINDS], required=False)


class ThemeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("Short and unique, e.g. “T01”."))
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When to code a passage to this theme."),
    )
    pillar = forms.ChoiceField(label=_("Pillar"), choices=PILLAR_CHOICES, required=False)
    competency_codes = forms.CharField(
        label=_("Competencies"),
        required=False,
        help_text=_("Codes of the competency framework separated by commas, e.g. “ID01, RF02”."),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent theme"),
        queryset=Theme.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label="—",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, themes: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "theme")
        super().__init__(*args, **kwargs)
        if themes is not None:
            self.fields["parent"].queryset = themes

    def clean_competency_codes(self) -> list[str]:
        raw = self.cleaned_data["competency_codes"]
        return [code.strip() for code in raw.replace(";", ",").split(",") if code.strip()]

    @classmethod
    def initial_for(cls, theme: Theme) -> dict[str, Any]:
        return {
            "code": theme.code,
            "name": theme.name,
            "description": theme.description,
            "pillar": theme.pillar,
            "competency_codes": ", ".join(theme.competency_codes or []),
            "parent": theme.parent.uuid if theme.parent is not None else None,
            "version": theme.version,
        }


class ExcerptForm(forms.Form):
    text = forms.CharField(
        label=_("Excerpt"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Copy a passage from the notes or the transcript above and paste it here."),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), to_field_name="uuid", empty_label="—"
    )
    is_quote = forms.BooleanField(
        label=_("Use as an anonymised quote"),
        required=False,
        help_text=_("Refused if the passage holds a name, an e-mail address or a phone number."),
    )

    def __init__(self, *args: Any, themes: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "excerpt")
        super().__init__(*args, **kwargs)
        if themes is not None:
            self.fields["theme"].queryset = themes


class QuoteFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args: Any, themes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if themes is not None:
            self.fields["theme"].queryset = themes
