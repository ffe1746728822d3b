from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InceptionConfig(AppConfig):
    name = "ctip.web.inception"
    label = "inception"
    verbose_name = _("Inception")

    def ready(self) -> None:
        from ctip.web.inception import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
