"""Forms of the desk_review pages. They parse input; the services validate the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.web.accounts.models import Workspace
from ctip.web.desk_review.models import INSTRUMENT_KINDS, REFERENCE_KINDS, STATUS_CHOICES, Reference
from ctip.web.desk_review.selectors import library_documents
from ctip.web.desk_review.services import UPLOAD_TYPES

TAGS_HELP = _("Separate tags with commas, e.g. “labour, Rodrigues, children”.")


def tags_split(text: str) -> list[str]:
    return [tag.strip() for tag in (text or "").split(",") if tag.strip()]


class ReferenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    authors = forms.CharField(label=_("Authors or publisher"), max_length=400, required=False)
    year = forms.IntegerField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=REFERENCE_KINDS)
    url = forms.CharField(label=_("Web address"), max_length=500, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx) or plain text (.txt)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_TYPES)}),
    )
    remove_file = forms.BooleanField(label=_("Remove the stored file"), required=False)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words: what the document covers and why it matters here."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=2000, help_text=TAGS_HELP)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["remove_file"]

    def clean_tags(self) -> list[str]:
        return tags_split(self.cleaned_data.get("tags", ""))

    @staticmethod
    def initial_for(reference: Reference) -> dict[str, Any]:
        return {
            "title": reference.title,
            "authors": reference.authors,
            "year": reference.year,
            "kind": reference.kind,
            "url": reference.url,
            "summary": reference.summary,
            "tags": ", ".join(reference.tags or []),
            "version": reference.version,
        }


class KeyFindingForm(forms.Form):
    statement = forms.CharField(
        label=_("Finding"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One short statement in your own words, e.g. a gap or a figure plans can cite."),
    )
    location = forms.CharField(label=_("Page or section"), max_length=100, required=False)
    tags = forms.CharField(label=_("Tags"), required=False, max_length=2000, help_text=TAGS_HELP)

    def clean_tags(self) -> list[str]:
        return tags_split(self.cleaned_data.get("tags", ""))


class LibraryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, *args: Any, tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *REFERENCE_KINDS]
        self.fields["tag"].choices = [("", _("Any")), *[(tag, tag) for tag in tags]]


class _ReferenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Reference) -> str:
        return f"{obj.title} ({obj.year})" if obj.year else obj.title


class _ReferenceMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Reference) -> str:
        return f"{obj.title} ({obj.year})" if obj.year else obj.title


class InstrumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_("Shown in tables, e.g. “CTIP Act 2009”."),
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=INSTRUMENT_KINDS, initial="act")
    reference = _ReferenceChoiceField(
        label=_("Library entry"),
        queryset=Reference.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("The text of the instrument in the library, if it is there."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].queryset = library_documents(workspace)


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, widget=forms.RadioSelect)
    provision = forms.CharField(
        label=_("National provision"),
        max_length=300,
        required=False,
        help_text=_("Section or article that meets the item, e.g. “s. 11(1)”."),
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    references = _ReferenceMultipleChoiceField(
        label=_("Library documents"),
        queryset=Reference.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["references"].queryset = library_documents(workspace)
