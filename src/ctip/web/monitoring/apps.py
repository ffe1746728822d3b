from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """The M&E framework: the logframe, its indicators with their metadata, baselines, targets and actuals
    per period, and the target-vs-actual report."""

    name = "ctip.web.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring and evaluation")
