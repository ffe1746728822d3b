from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualitativeConfig(AppConfig):
    name = "ctip.web.qualitative"
    label = "qualitative"
    verbose_name = _("Interviews and focus groups")

    def ready(self) -> None:
        from ctip.web.qualitative import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
