"""The inception report as a deliverable under review: its sections and blocks, written in the workspace's
first working language, as the elements that versions store and compare (see
:mod:`ctip.web.reviews.report_elements`). A workspace has one inception report (subject ``""``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.review.diff import Element
from ctip.web.accounts.models import Workspace
from ctip.web.inception.report import inception_report
from ctip.web.reviews.deliverables import Deliverable
from ctip.web.reviews.report_elements import (
    REPORT_FIELD_LABELS,
    REPORT_KIND_LABELS,
    report_elements,
    report_language,
)

__all__ = ["DELIVERABLE", "inception_report_elements", "inception_report_subjects"]


def inception_report_subjects(workspace: Workspace) -> list[tuple[str, str]]:
    """Every workspace has an inception report: it says what is known so far."""
    return [("", _("Inception report"))]


def inception_report_elements(workspace: Workspace, subject: str = "") -> list[Element]:
    report, _charts = inception_report(workspace, language=report_language(workspace))
    return report_elements(report)


DELIVERABLE = Deliverable(
    kind="inception_report",
    label=gettext_lazy("Inception report"),
    subjects=inception_report_subjects,
    elements=inception_report_elements,
    edit_url_name="inception-report",
    kind_labels=REPORT_KIND_LABELS,
    field_labels=REPORT_FIELD_LABELS,
)
