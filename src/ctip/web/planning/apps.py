from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """The three-year capacity development plan: the workspace's module catalogue, the demand drawn from
    the TNA, plan scenarios solved by HiGHS (against a greedy baseline) with their sessions, and the plan
    documents."""

    name = "ctip.web.planning"
    label = "planning"
    verbose_name = _("Capacity development plan")

    def ready(self) -> None:
        from ctip.web.planning import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
