from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "ctip.web.stakeholders"
    label = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        # Registered before the apps whose rows refer to organisations (meetings), so restored first.
        from ctip.web.stakeholders import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
