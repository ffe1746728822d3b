"""Forms of the review and validation pages. They parse and shape input only: every rule (who may comment,
which status may follow which, the validation gate, the reason a decision needs) is the services' and comes
back as a :class:`~ctip.core.errors.DomainError` shown on the form."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from ctip.core.access import Permission, Role, role_allows
from ctip.core.review.workflow import DECISION_LABELS
from ctip.web.accounts.models import User, Workspace
from ctip.web.meetings.models import Meeting
from ctip.web.reviews.models import DeliverableVersion

DECISION_FILTERS = [
    ("", _("All comments")),
    ("open", _("Open (no decision yet)")),
    *[(decision.value, _(label)) for decision, label in DECISION_LABELS.items()],
]


def _meetings_first(workspace: Workspace, kind: str) -> QuerySet[Meeting]:
    """The workspace's meetings, those of ``kind`` first, newest first, with their attendee count."""
    return (
        Meeting.objects.filter(workspace=workspace)
        .annotate(
            kind_rank=Case(When(kind=kind, then=Value(0)), default=Value(1), output_field=IntegerField()),
            attendee_count=Count("attendees"),
        )
        .order_by("kind_rank", "-date", "title")
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.date:%Y-%m-%d} ({obj.get_kind_display()})"


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name()


class VersionSaveForm(forms.Form):
    deliverable = forms.CharField(widget=forms.HiddenInput)
    subject = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("What changed (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A line for the readers of the version, e.g. “Budget revised after the workshop”."),
    )


class VersionStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("under_review", _("Under review")), ("revised", _("Revised"))], widget=forms.HiddenInput
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RoundOpenForm(forms.Form):
    title = forms.CharField(label=_("Title of the round"), max_length=250)
    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("No meeting (comments in writing only)"),
        help_text=_("Usually the Technical Committee workshop where the version is presented."),
    )
    due_date = forms.DateField(
        label=_("Comments due by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reviewers = ReviewerChoiceField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Members whose role lets them comment. Each one gets an email with the link to the round."
        ),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings_first(workspace, "technical_committee_workshop")
        commenting_roles = [role.value for role in Role if role_allows(role, Permission.COMMENT_AND_VALIDATE)]
        self.fields["reviewers"].queryset = User.objects.filter(
            memberships__workspace=workspace, memberships__role__in=commenting_roles, is_active=True
        ).order_by("first_name", "last_name", "username")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=250, required=False)


def element_choices(
    elements: Iterable[Any], kind_labels: dict[str, str], *, whole_document: str | None
) -> list[tuple[Any, Any]]:
    """Options of an element select: "the document as a whole" first (when given), then one group per
    top-level element with its descendants indented under it (elements in snapshot order)."""
    ordered = list(elements)
    children: dict[str | None, list[Any]] = {}
    known = {element.id for element in ordered}
    for element in ordered:
        parent = element.parent if element.parent in known else None
        children.setdefault(parent, []).append(element)
    choices: list[tuple[Any, Any]] = []
    if whole_document is not None:
        choices.append(("", whole_document))
    for top in children.get(None, []):
        group: list[tuple[str, str]] = []
        stack: list[tuple[Any, int]] = [(top, 0)]
        while stack:
            element, depth = stack.pop()
            kind = kind_labels.get(element.kind, element.kind)
            group.append((element.id, "\u00a0\u00a0" * depth + f"{kind}: {element.label}"))
            stack.extend((child, depth + 1) for child in reversed(children.get(element.id, [])))
        label = f"{kind_labels.get(top.kind, top.kind)}: {top.label}"
        choices.append((label, group))
    return choices


class CommentForm(forms.Form):
    element = forms.ChoiceField(label=_("On which part"), required=False)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))
    organisation = forms.CharField(
        label=_("Your organisation"),
        max_length=250,
        required=False,
        help_text=_("Shown in the comment matrix beside your name."),
    )

    def __init__(self, *args: Any, choices: Sequence[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = list(choices)


class CommentEditForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}))
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("Version %(number)s (%(status)s)") % {
            "number": obj.number,
            "status": obj.get_status_display(),
        }


class RespondForm(forms.Form):
    response = forms.CharField(label=_("Response"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("", _("No decision yet")), *[(d.value, _(label)) for d, label in DECISION_LABELS.items()]],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the comment is partly or not accepted: the Technical Committee reads it."),
    )
    resolved_in = VersionChoiceField(
        label=_("Resolved by the change in"),
        queryset=DeliverableVersion.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("No change (or not yet)"),
    )
    resolved_element_id = forms.CharField(
        label=_("Which change"),
        required=False,
        widget=forms.Select,
        help_text=_("The parts that changed between the reviewed version and the chosen one."),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        versions: QuerySet[DeliverableVersion],
        changed_elements: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolved_in"].queryset = versions
        self.fields["resolved_element_id"].widget.choices = [
            ("", _("Any change in that version")),
            *changed_elements,
        ]


class ValidationMeetingChoiceField(forms.ModelChoiceField):
    """A meeting with its attendee count (``attendee_count`` annotated by the queryset)."""

    def label_from_instance(self, obj: Any) -> str:
        return _("%(title)s — %(date)s (%(kind)s, %(count)s attendees)") % {
            "title": obj.title,
            "date": f"{obj.date:%Y-%m-%d}",
            "kind": obj.get_kind_display(),
            "count": getattr(obj, "attendee_count", "?"),
        }


class ValidateForm(forms.Form):
    meeting = ValidationMeetingChoiceField(
        label=_("Validation meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Choose the meeting that validated the version"),
    )
    decision = forms.CharField(
        label=_("Decision of the meeting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As written in the minutes, e.g. “Validated with the conditions below”."),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What must still be done, if anything. Leave empty when the validation has no conditions."
        ),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _meetings_first(workspace, "validation_meeting")


class InvitationNewUserForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("Letters, digits and @ . + - _ only.")
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", _("The two passwords differ: type the same password twice."))
        return cleaned
