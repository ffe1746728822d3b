"""Showing audit rows to people: field labels and action names in the reader's language, values readable."""

from __future__ import annotations

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from ctip.web.accounts.models import AuditEntry

register = template.Library()

ACTION_LABELS = {
    "workspace.create": _("Workspace created"),
    "workspace.update": _("Workspace details changed"),
    "workspace.restore": _("Workspace restored from a backup"),
    "membership.add": _("Member added"),
    "membership.change_role": _("Role changed"),
    "membership.remove": _("Member removed"),
    "user.create": _("User created"),
    "user.set_language": _("Language chosen"),
    "user.set_password": _("Password changed"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
}


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.simple_tag
def field_label(entry: AuditEntry, name: str) -> str:
    """The model field's verbose name (translated) when the audited object has that field."""
    try:
        model = apps.get_model(entry.object_type)
        return str(model._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name.replace("_", " ")


@register.filter
def audit_value(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


@register.filter
def object_type_label(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
