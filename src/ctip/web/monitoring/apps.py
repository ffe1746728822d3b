from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """The M&E framework: the logframe, its indicators with their metadata, baselines, targets and actuals
    per period, and the target-vs-actual report."""

    name = "ctip.web.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring and evaluation")

    def ready(self) -> None:
        # Values refer to users by username (accounts section, restored first); nothing else outside.
        from ctip.web.monitoring import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
