from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TnaConfig(AppConfig):
    name = "ctip.web.tna"
    label = "tna"
    verbose_name = _("Training needs assessment")

    def ready(self) -> None:
        # Registered after stakeholders (INSTALLED_APPS order): submissions refer to organisations.
        from ctip.web.tna import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
