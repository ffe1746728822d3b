from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    """Trainings: events (from a plan session or ad hoc) with their delivery kit, participants and
    attendance, the item bank and the pre/post tests (online on phones or on paper), reaction and follow-up
    surveys, the evaluation of learning, the training reports, the capacity development report, and the
    indicator actuals the training data feed."""

    name = "ctip.web.trainings"
    label = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        from ctip.web.trainings import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
