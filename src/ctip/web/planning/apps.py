from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """The three-year capacity development plan: the workspace's module catalogue, the demand drawn from
    the TNA, plan scenarios solved by HiGHS (against a greedy baseline) with their sessions, and the plan
    documents."""

    name = "ctip.web.planning"
    label = "planning"
    verbose_name = _("Capacity development plan")
