from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NapConfig(AppConfig):
    """The National Action Plan: its structure (pillars → strategic objectives → priorities → outcomes →
    outputs → activities) with SMART indicators, cost lines with gender markers, the coordination
    arrangement, links to findings, the import of an existing draft, the checks panel and the documents."""

    name = "ctip.web.nap"
    label = "nap"
    verbose_name = _("National Action Plan")

    def ready(self) -> None:
        from ctip.web.nap import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
