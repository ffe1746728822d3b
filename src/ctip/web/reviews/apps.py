from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Review and validation of deliverables (the inception report, the TNA report, the capacity plan and
    the NAP): versions with structured snapshots and diffs, review rounds tied to meetings, the comment
    matrix, the validation gate and the final freeze."""

    name = "ctip.web.reviews"
    label = "reviews"
    verbose_name = _("Review and validation")

    def ready(self) -> None:
        from ctip.web.inception.review_elements import DELIVERABLE as INCEPTION_REPORT
        from ctip.web.nap.review_elements import DELIVERABLE as NAP
        from ctip.web.needs.review_elements import DELIVERABLE as TNA_REPORT
        from ctip.web.planning.review_elements import DELIVERABLE as CAPACITY_PLAN
        from ctip.web.reviews.deliverables import deliverable_register

        for deliverable in (INCEPTION_REPORT, TNA_REPORT, CAPACITY_PLAN, NAP):
            deliverable_register(deliverable)
        from ctip.web.reviews import backup
        from ctip.web.workspace_backup import BackupSection, backup_section_register

        backup_section_register(
            backup.SECTION, BackupSection(export=backup.section_export, restore=backup.section_import)
        )
