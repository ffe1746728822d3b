from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskReviewConfig(AppConfig):
    name = "ctip.web.desk_review"
    label = "desk_review"
    verbose_name = _("Legal review and library")

    def ready(self) -> None:
        from ctip.web.desk_review import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
