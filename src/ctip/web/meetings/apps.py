from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "ctip.web.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from ctip.web.meetings import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
