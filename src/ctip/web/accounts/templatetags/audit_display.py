"""Showing audit rows to people: field labels and action names in the reader's language, values readable."""

from __future__ import annotations

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
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


VERB_LABELS = {
    "create": _("%(what)s created"),
    "update": _("%(what)s changed"),
    "delete": _("%(what)s deleted"),
    "import": _("%(what)s imported"),
    "upload": _("%(what)s uploaded"),
}


def _model_named(model_name: str) -> type[Model] | None:
    return next((model for model in apps.get_models() if model._meta.model_name == model_name), None)


@register.filter
def action_label(action: str) -> str:
    """A known action's label; otherwise "<model> created/changed/…" from the model's verbose name."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    model_name, _dot, verb = action.partition(".")
    model = _model_named(model_name)
    if model is None or verb not in VERB_LABELS:
        return action
    return str(VERB_LABELS[verb]) % {"what": str(model._meta.verbose_name).capitalize()}


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
