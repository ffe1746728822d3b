from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ctip.core.errors import DomainError
from ctip.core.workspace_profile import known_countries
from ctip.web.accounts.conflicts import VersionConflict, conflict_form_refresh
from ctip.web.accounts.models import MONTH_CHOICES, ROLE_CHOICES, User, Workspace
from ctip.web.accounts.throttling import client_address, login_blocked_minutes


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a domain error on the form: its message on top, each problem on its field when the form has
    that field (otherwise on top, prefixed with where it is). After a conflict with a newer version, the
    form keeps what was typed and takes the version saved now, so that saving again overwrites knowingly."""
    form.add_error(None, error.render(gettext))
    labels = error.labels if isinstance(error, VersionConflict) else {}
    for problem in error.problems:
        if problem.location in form.fields:
            form.add_error(problem.location, problem.render(gettext))
        else:
            where = labels.get(problem.location, problem.location)
            form.add_error(None, f"{where}: {problem.render(gettext)}")
    conflict_form_refresh(form, error)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed sign-in attempts. Wait %(minutes)s minute(s) and try again, or reset your password."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        minutes = login_blocked_minutes(username=username, address=client_address(self.request.META))
        if minutes:
            raise ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": minutes}
            )
        return super().clean()


class AuditedSetPasswordForm(SetPasswordForm):
    """Password reset: the new password is stored through the audited service."""

    def save(self, commit: bool = True) -> User:
        from ctip.web.accounts.services import user_password_set

        return user_password_set(
            user=self.user, password=self.cleaned_data["new_password1"], acting_user=self.user
        )


class AuditedPasswordChangeForm(PasswordChangeForm):
    """Password change: the new password is stored through the audited service."""

    def save(self, commit: bool = True) -> User:
        from ctip.web.accounts.services import user_password_set

        return user_password_set(
            user=self.user, password=self.cleaned_data["new_password1"], acting_user=self.user
        )


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Programme name"), max_length=200)
    slug = forms.SlugField(
        label=_("Web address name"),
        max_length=50,
        help_text=_("Lower-case letters, digits and hyphens; used in links, e.g. “mauritius”."),
    )
    country = forms.ChoiceField(label=_("Country"))
    languages = forms.CharField(
        label=_("Working languages"),
        help_text=_("ISO codes separated by commas, e.g. “en, fr, mfe”."),
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("ISO 4217 code, e.g. MUR, RWF, USD.")
    )
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_("Fiscal year starts in"), choices=MONTH_CHOICES, coerce=int
    )
    plan_start_year = forms.IntegerField(label=_("Plan period: first year"), min_value=2000, max_value=2100)
    plan_end_year = forms.IntegerField(label=_("Plan period: last year"), min_value=2000, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = sorted(known_countries(get_language() or "en").items(), key=lambda item: item[1])
        self.fields["country"].choices = [
            ("", "—"),
            *[(code, f"{name} ({code})") for code, name in countries],
        ]

    def clean_currency(self) -> str:
        # Checked with every other rule in ctip.core.workspace_profile, so all problems show at once.
        return str(self.cleaned_data["currency"]).strip().upper()

    def clean_languages(self) -> tuple[str, ...]:
        return tuple(
            code.strip().lower() for code in self.cleaned_data["languages"].split(",") if code.strip()
        )

    @classmethod
    def initial_for(cls, workspace: Workspace) -> dict[str, Any]:
        return {
            "name": workspace.name,
            "slug": workspace.slug,
            "country": workspace.country,
            "languages": ", ".join(workspace.languages),
            "currency": workspace.currency,
            "fiscal_year_start_month": workspace.fiscal_year_start_month,
            "plan_start_year": workspace.plan_start_year,
            "plan_end_year": workspace.plan_end_year,
            "version": workspace.version,
        }


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username or e-mail of an existing user"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial="viewer")

    def clean_username(self) -> User:
        value = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=value).first() or (
            User.objects.filter(email__iexact=value).first() if "@" in value else None
        )
        if user is None:
            raise ValidationError(
                _("No user “%(value)s”. Ask an administrator to create the account first (ctip user add)."),
                params={"value": value},
            )
        return user


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, actions: list[str], object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any")), *[(a, a) for a in actions]]
        self.fields["object_type"].choices = [("", _("Any")), *[(t, t) for t in object_types]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What the token is for."))
