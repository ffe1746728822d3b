from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    """The TNA gap analysis: dashboard, report, annex and validation deck (no models of its own: it reads
    the survey and qualitative data of the ``tna`` and ``qualitative`` apps)."""

    name = "ctip.web.needs"
    label = "needs"
    verbose_name = _("Needs analysis")
