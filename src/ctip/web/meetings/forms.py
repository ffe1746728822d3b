"""Forms of the meeting pages. They parse input only; the rules are checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctip.web.meetings.models import ACTION_STATUS, MEETING_KINDS, Meeting
from ctip.web.stakeholders.models import SEX_CHOICES, Organisation

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=MEETING_KINDS, initial="inception_meeting")
    title = forms.CharField(label=_("Title"), max_length=250)
    date = forms.DateField(label=_("Date (first day)"), widget=_DATE)
    end_date = forms.DateField(
        label=_("Last day"), required=False, widget=_DATE, help_text=_("Only for meetings of several days.")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line."),
    )
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        return {
            "kind": meeting.kind,
            "title": meeting.title,
            "date": meeting.date,
            "end_date": meeting.end_date,
            "place": meeting.place,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "version": meeting.version,
        }


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisation in the registry"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label="—",
    )
    organisation_name = forms.CharField(
        label=_("Other organisation"),
        max_length=250,
        required=False,
        help_text=_("Only when the organisation is not in the stakeholder registry."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *SEX_CHOICES], required=False)
    function = forms.CharField(label=_("Function"), max_length=150, required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "attendee")
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)


class ActionPointForm(forms.Form):
    text = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Who"), max_length=200, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=_DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ACTION_STATUS, initial="open")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ACTION_STATUS)


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Sign-in sheet"),
        help_text=_(
            "An Excel workbook (.xlsx) or CSV file with the columns name, organisation, sex and function. "
            "Organisations are matched to the registry by key, acronym or name."
        ),
    )
